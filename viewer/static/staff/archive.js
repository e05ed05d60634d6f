// After the session: the archive job's progress, the video with its chapters for review, the draft minutes to
// complete (number, speech summaries, notes per agenda item, closing notes) in PDF and Word, approval, the
// secretary's and the chair's signatures with their checks (and the seal), publication once both have signed, and
// reopening approved minutes to correct them.

import { api } from '../shared/api.js';
import { askToConfirm } from '../shared/confirm.js';
import { chapteredVideo } from '../shared/chapters.js';
import { h, replace } from '../shared/dom.js';
import { field, form, value } from '../shared/forms.js';
import { formatDateTime, labelFor, t } from '../shared/i18n.js';
import { signatureList } from '../shared/signatures.js';
import { signingPanel, signingState } from '../shared/signing.js';
import { failure } from '../shared/shell.js';
import { speechSource, transcriptReview } from './transcript.js';

const AFTER = ['ended', 'archived'];
const APPROVED = ['approved', 'published'];

function textArea(name, text, { rows = 2, maxlength = 4000 } = {}) {
  return h('textarea', { name, rows: String(rows), maxlength: String(maxlength), text });
}

function speechField(speech) {
  const label = t('minutes.speech', { speaker: speech.speaker, kind: labelFor('speech.kind', speech.kind), time: (speech.started_at ?? '').slice(11, 19) });
  return [field(label, textArea(`speech-${speech.id}`, speech.summary)), speechSource(speech)];
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
    fields: [
      h('h3', { class: 'section-label', text: t('minutes.draft') }),
      field(t('minutes.number'), h('input', { type: 'number', name: 'number', min: '1', max: '999999', value: content.number ?? '', 'data-testid': 'minutes-number' })),
      items,
      others,
      field(t('minutes.notes'), textArea('notes', content.notes, { rows: 4, maxlength: 20000 })),
    ],
    submitText: t('minutes.save'),
    submit: (element) =>
      save({
        number: value(element, 'number') ? Number(value(element, 'number')) : null,
        summaries: Object.fromEntries(speeches.map((speech) => [speech.id, value(element, `speech-${speech.id}`)])),
        sources: Object.fromEntries(speeches.map((speech) => [speech.id, value(element, `source-${speech.id}`)])),
        item_notes: Object.fromEntries(content.items.map((item) => [item.id, value(element, `item-${item.id}`)])),
        notes: value(element, 'notes'),
      }),
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

const approveConfirm = () => ({
  title: t('archive.approveConfirmTitle'),
  describe: () => [h('p', { text: t('archive.approveConfirmText') })],
  confirmText: t('archive.approve'),
  tone: 'primary',
});

// `action` runs once the person has confirmed in the dialog `options()` describes.
const confirmed = (options, action) => async (event) => {
  const button = event.currentTarget;
  if (await askToConfirm(options())) await action({ currentTarget: button });
};

export function archivePanel(session) {
  if (!AFTER.includes(session.status)) return null;
  const base = `/api/sessions/${session.id}`;
  const head = h('div', { class: 'archive-head' });
  const media = h('div', { class: 'archive-media' });
  const record = h('div', { class: 'archive-minutes' });
  const transcript = transcriptReview(session.id, () => media.querySelector('video'));
  const body = h('div', { class: 'archive-body' }, head, h('div', { class: 'archive-watch' }, media, transcript), record);
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
    const { signing } = minutes;
    const signatures = draft ? null : h('div', { class: 'signatures' }, signatureList(minutes.signatures, timeZone));
    const checkAgain = async (event) => {
      event.currentTarget.disabled = true;
      try {
        replace(signatures, signatureList(await api.get(`${base}/minutes/signatures`), timeZone));
      } catch (error) {
        replace(signatures, failure(error));
      }
    };
    const yourTurn = !draft && signing.next_role && signing.your_role === signing.next_role;
    const signers = !draft && signing.next_role && !yourTurn ? h('p', { class: 'muted', 'data-testid': 'sign-link' }, t('minutes.signersSignAt'), ' ', h('a', { href: `/sign/?session=${minutes.session_id}`, text: t('app.sign') })) : null;
    return [
      draft && reopened ? h('p', { class: 'notice notice-warn', 'data-testid': 'reopened', text: t('minutes.reopened', { at: formatDateTime(reopened.at, { timeZone }), by: reopened.by, reason: reopened.reason }) }) : null,
      notice ? h('p', { class: 'notice notice-ok', role: 'status', text: notice }) : null,
      draft
        ? draftEditor(minutes, async (edits) => {
            await api.patch(`${base}/minutes`, edits);
            await load({ keepVideo: true, notice: t('minutes.saved') });
          })
        : null,
      signingState(minutes),
      signatures,
      signers,
      yourTurn ? signingPanel(minutes, timeZone, () => load({ keepVideo: true, notice: t('signing.done') })) : null,
      h(
        'div',
        { class: 'form-actions' },
        h('a', { class: 'button', href: minutes.pdf_url, 'data-testid': 'minutes-pdf', text: t(draft ? 'archive.draftPdf' : 'archive.minutesPdf') }),
        h('a', { class: 'button', href: minutes.docx_url, 'data-testid': 'minutes-docx', text: t('archive.minutesDocx') }),
        draft ? h('button', { type: 'button', class: 'button button-primary', text: t('archive.approve'), on: { click: confirmed(approveConfirm, act(`${base}/minutes/approve`)) } }) : null,
        minutes.signatures.length ? h('button', { type: 'button', class: 'button', text: t('minutes.checkSignature'), on: { click: checkAgain } }) : null,
        signing.seal_allowed ? h('button', { type: 'button', class: 'button', 'data-testid': 'seal', text: t('minutes.seal'), on: { click: act(`${base}/minutes/seal`) } }) : null,
        minutes.status === 'approved' && !signing.next_role && !archive.published_at ? h('button', { type: 'button', class: 'button button-primary', text: t('archive.publish'), on: { click: act(`${base}/archive/publish`) } }) : null,
      ),
      APPROVED.includes(minutes.status)
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
