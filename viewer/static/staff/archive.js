// After the session: the archive job's progress, the video with its chapters for review, the draft minutes to
// complete (speech summaries, notes per agenda item, closing notes), approval with the signature's check,
// publication, and reopening approved minutes to correct them.

import { api } from '../shared/api.js';
import { chapteredVideo } from '../shared/chapters.js';
import { h, replace } from '../shared/dom.js';
import { field, form, value } from '../shared/forms.js';
import { formatDateTime, labelFor, t } from '../shared/i18n.js';
import { failure } from '../shared/shell.js';

const AFTER = ['ended', 'archived'];
const SIGNED = ['approved', 'published'];

function textArea(name, text, { rows = 2, maxlength = 4000 } = {}) {
  return h('textarea', { name, rows: String(rows), maxlength: String(maxlength), text });
}

function speechField(speech) {
  const label = t('minutes.speech', { speaker: speech.speaker, kind: labelFor('speech.kind', speech.kind), time: (speech.started_at ?? '').slice(11, 19) });
  return field(label, textArea(`speech-${speech.id}`, speech.summary));
}

function draftEditor(minutes, save) {
  const content = minutes.minutes;
  const speeches = [...content.items.flatMap((item) => item.speeches), ...content.other_speeches];
  const items = content.items.map((item) =>
    h('fieldset', { class: 'minutes-item' }, h('legend', { text: `${item.position}. ${item.title}` }), item.speeches.map(speechField), field(t('minutes.itemNote'), textArea(`item-${item.id}`, item.note))),
  );
  const others = content.other_speeches.length ? h('fieldset', { class: 'minutes-item' }, h('legend', { text: t('minutes.otherSpeeches') }), content.other_speeches.map(speechField)) : null;
  return form({
    className: 'minutes-editor',
    testid: 'minutes-editor',
    fields: [h('h3', { class: 'section-label', text: t('minutes.draft') }), items, others, field(t('minutes.notes'), textArea('notes', content.notes, { rows: 4, maxlength: 20000 }))],
    submitText: t('minutes.save'),
    submit: (element) =>
      save({
        summaries: Object.fromEntries(speeches.map((speech) => [speech.id, value(element, `speech-${speech.id}`)])),
        item_notes: Object.fromEntries(content.items.map((item) => [item.id, value(element, `item-${item.id}`)])),
        notes: value(element, 'notes'),
      }),
  });
}

function signatureLine(signature, timeZone) {
  const at = signature.signed_at ? formatDateTime(signature.signed_at, { timeZone }) : '';
  // The signer comes as the certificate's whole subject ("Common Name: …; Organization: …"); its name says enough.
  const signer = /Common Name: ([^;]+)/.exec(signature.signer)?.[1] ?? signature.signer;
  const problem = signature.problem ? ` (${signature.problem})` : '';
  return h('p', {
    class: ['notice', signature.ok ? 'notice-ok' : 'notice-error'],
    role: 'status',
    'data-testid': 'signature',
    'data-state': signature.ok ? 'valid' : 'invalid',
    text: signature.ok ? t('minutes.signatureValid', { signer, at }) : t('minutes.signatureInvalid') + problem,
  });
}

function reopenForm(reopen) {
  return h(
    'details',
    { class: 'setup-add', 'data-testid': 'reopen' },
    h('summary', { text: t('minutes.reopen') }),
    h('p', { class: 'muted', text: t('minutes.reopenHint') }),
    form({
      fields: [field(t('minutes.reopenReason'), textArea('reason', '', { maxlength: 2000 }))],
      submitText: t('minutes.reopenConfirm'),
      submit: (element) => reopen(value(element, 'reason')),
    }),
  );
}

export function archivePanel(session) {
  if (!AFTER.includes(session.status)) return null;
  const base = `/api/sessions/${session.id}`;
  const head = h('div', { class: 'archive-head' });
  const media = h('div', { class: 'archive-media' });
  const record = h('div', { class: 'archive-minutes' });
  const body = h('div', { class: 'archive-body' }, head, media, record);
  const root = h('section', { class: 'panel', 'aria-labelledby': 'archive-review-heading', 'data-testid': 'archive-review' }, h('h2', { id: 'archive-review-heading', text: t('archive.review') }), body);

  // `keepVideo`: an action on the minutes leaves the video where the reviewer had it.
  const load = async ({ keepVideo = false, notice = null } = {}) => {
    let archive;
    let minutes = null;
    try {
      archive = await api.get(`${base}/archive`);
      if (archive.minutes_status) minutes = await api.get(`${base}/minutes`);
    } catch (error) {
      replace(record, failure(error, () => load()));
      return;
    }
    replace(
      head,
      h('p', { class: 'facts' }, h('span', { class: 'badge', text: labelFor('archive.status', archive.status) }), minutes ? h('span', { 'data-testid': 'minutes-status', text: t('archive.minutesStatus', { status: labelFor('minutes.status', minutes.status) }) }) : null),
      archive.error ? h('p', { class: 'notice notice-error', text: archive.error }) : null,
    );
    if (!keepVideo || !media.hasChildNodes()) replace(media, archive.video ? chapteredVideo(archive.video, archive.chapters) : null);
    replace(record, minutes ? minutesView(archive, minutes, notice) : null, h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-quiet', text: t('archive.rerun'), on: { click: act(`${base}/archive/job`, false) } })));
  };

  const act = (path, keepVideo = true) => async (event) => {
    event.currentTarget.disabled = true;
    try {
      await api.post(path, {});
    } catch (error) {
      replace(record, failure(error, () => load({ keepVideo })));
      return;
    }
    await load({ keepVideo });
  };

  const minutesView = (archive, minutes, notice) => {
    const timeZone = minutes.minutes.session.timezone;
    const draft = minutes.status === 'draft';
    const reopened = minutes.reopened;
    const signature = minutes.signature ? h('div', { class: 'signature' }, signatureLine(minutes.signature, timeZone)) : null;
    const checkAgain = async (event) => {
      event.currentTarget.disabled = true;
      try {
        replace(signature, signatureLine(await api.get(`${base}/minutes/signature`), timeZone));
      } catch (error) {
        replace(signature, failure(error));
      }
    };
    return [
      draft && reopened ? h('p', { class: 'notice notice-warn', 'data-testid': 'reopened', text: t('minutes.reopened', { at: formatDateTime(reopened.at, { timeZone }), by: reopened.by, reason: reopened.reason }) }) : null,
      notice ? h('p', { class: 'notice notice-ok', role: 'status', text: notice }) : null,
      draft
        ? draftEditor(minutes, async (edits) => {
            await api.patch(`${base}/minutes`, edits);
            await load({ keepVideo: true, notice: t('minutes.saved') });
          })
        : null,
      signature,
      h(
        'div',
        { class: 'form-actions' },
        h('a', { class: 'button', href: minutes.pdf_url, text: t('archive.minutesPdf') }),
        draft ? h('button', { type: 'button', class: 'button button-primary', text: t('archive.approve'), on: { click: act(`${base}/minutes/approve`) } }) : null,
        signature ? h('button', { type: 'button', class: 'button', text: t('minutes.checkSignature'), on: { click: checkAgain } }) : null,
        minutes.status === 'approved' && !archive.published_at ? h('button', { type: 'button', class: 'button button-primary', text: t('archive.publish'), on: { click: act(`${base}/archive/publish`) } }) : null,
      ),
      SIGNED.includes(minutes.status)
        ? reopenForm(async (reason) => {
            await api.post(`${base}/minutes/reopen`, { reason });
            await load({ keepVideo: true });
          })
        : null,
    ];
  };

  load();
  return root;
}
