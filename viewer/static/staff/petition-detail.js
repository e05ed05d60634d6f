// One petition for the office: its text and facts, the voters who raised it (staff only), its sources, what to do
// next (classify, forward, close, publish, record the voters' rating), the answers with their files, likely
// duplicates to merge, and the log of who did what and when.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { field, form, select, value } from '../shared/forms.js';
import { formatDateTime, formatNumber, labelFor, t } from '../shared/i18n.js';
import { failure } from '../shared/shell.js';
import { FIELDS, LEVELS, RATINGS, inDays, options, statusBadge, textArea, vnDate } from './petition-common.js';

export function answersList(answers) {
  if (!answers.length) return h('p', { class: 'muted', text: t('pet.noAnswer') });
  return h(
    'ul',
    { class: 'answers', 'data-testid': 'answers' },
    answers.map((answer) =>
      h(
        'li',
        { class: 'answer' },
        h('p', { class: 'facts' }, h('span', { text: answer.agency_name || t('pet.office') }), h('span', { text: formatDateTime(answer.answered_at) })),
        h('p', { class: 'answer-text', text: answer.text }),
        answer.attachments.length
          ? h('ul', { class: 'doc-links' }, answer.attachments.map((file) => h('li', {}, h('a', { href: file.url, target: '_blank', rel: 'noopener', text: file.file_name }))))
          : null,
      ),
    ),
  );
}

// An answer's form: the text, then its files uploaded one by one once the answer is stored.
export function answerForm(petitionId, onDone) {
  const files = h('input', { name: 'files', type: 'file', multiple: true, accept: 'application/pdf,image/png,image/jpeg' });
  return form({
    testid: 'answer-form',
    fields: [field(t('pet.answerText'), textArea('text', { required: true, rows: 5 })), field(t('pet.attachments'), files)],
    submitText: t('pet.sendAnswer'),
    submit: async (element) => {
      const answer = await api.post(`/api/petitions/${petitionId}/answers`, { text: value(element, 'text') });
      for (const file of files.files) {
        const data = new FormData();
        data.append('file', file, file.name);
        await api.upload(`/api/petition-answers/${answer.id}/attachments`, data);
      }
      await onDone();
    },
  });
}

function eventLine(event) {
  const what = labelFor('pet.event', event.type);
  const extra = event.data.agency ? ` — ${event.data.agency}` : event.data.reason ? ` — ${event.data.reason}` : '';
  return h('li', {}, h('span', { class: 'muted', text: `${formatDateTime(event.at)} · ${event.actor || t('pet.system')}: ` }), `${what}${extra}`);
}

export class PetitionDetail {
  constructor(slot, council, onChange) {
    this.slot = slot;
    this.council = council;
    this.onChange = onChange;
    this.agencies = [];
    this.sessions = [];
  }

  async open(id) {
    try {
      const [petition, duplicates] = await Promise.all([api.get(`/api/petitions/${id}`), api.get(`/api/petitions/${id}/duplicates`)]);
      this.petition = petition;
      this.duplicates = duplicates;
    } catch (error) {
      replace(this.slot, failure(error, () => this.open(id)));
      return;
    }
    this.render();
    this.slot.querySelector('h2')?.focus();
  }

  async act(path, body) {
    this.petition = await api.post(`/api/petitions/${this.petition.id}/${path}`, body);
    this.duplicates = await api.get(`/api/petitions/${this.petition.id}/duplicates`);
    this.render();
    await this.onChange();
  }

  actions() {
    const p = this.petition;
    const open = ['received', 'classified', 'returned'].includes(p.status);
    const parts = [];
    if (open) {
      parts.push(
        form({
          className: 'inline-form',
          testid: 'classify-form',
          fields: [
            field(t('pet.field'), select('field', options(FIELDS), p.field || FIELDS[0])),
            field(t('pet.level'), select('level', options(LEVELS, 'pet.level'), p.level || 'commune')),
          ],
          submitText: t('pet.classify'),
          submit: (element) => this.act('classify', { field: value(element, 'field'), level: value(element, 'level') }),
        }),
      );
    }
    if (open || p.status === 'forwarded') {
      parts.push(
        form({
          className: 'inline-form',
          testid: 'forward-form',
          fields: [
            field(t('pet.agency'), select('agency_id', this.agencies.filter((a) => a.active).map((a) => [a.id, a.name]), p.agency_id)),
            field(t('pet.deadline'), h('input', { name: 'deadline', type: 'date', required: true, value: p.deadline || inDays(30) })),
          ],
          submitText: p.status === 'forwarded' ? t('pet.reassign') : t('pet.forward'),
          submit: (element) => this.act('forward', { agency_id: Number(value(element, 'agency_id')), deadline: value(element, 'deadline') }),
        }),
      );
    }
    const buttons = [];
    if (['answered', 'returned'].includes(p.status)) {
      buttons.push(h('button', { type: 'button', class: 'button', 'data-testid': 'close-petition', text: t('pet.close'), on: { click: () => this.act('close') } }));
    }
    buttons.push(
      h('button', {
        type: 'button',
        class: ['button', p.published ? '' : 'button-primary'],
        'data-testid': 'publish-petition',
        'aria-pressed': String(p.published),
        text: p.published ? t('pet.unpublish') : t('pet.publish'),
        on: { click: () => this.act('publish', { published: !p.published }) },
      }),
    );
    parts.push(h('div', { class: 'form-actions' }, buttons));
    if (['answered', 'closed'].includes(p.status)) {
      parts.push(
        form({
          className: 'inline-form',
          testid: 'rating-form',
          fields: [
            field(t('pet.rating'), select('rating', options(RATINGS, 'pet.rating'), p.rating || 'satisfied')),
            field(t('pet.ratingNote'), h('input', { name: 'note', maxlength: '4000', value: p.rating_note })),
          ],
          submitText: t('pet.saveRating'),
          submit: (element) => this.act('rating', { rating: value(element, 'rating'), note: value(element, 'note') }),
        }),
      );
    }
    return parts;
  }

  duplicatesView() {
    if (!this.duplicates.length) return null;
    return h(
      'section',
      { class: 'duplicates', 'aria-labelledby': 'dup-heading', 'data-testid': 'duplicates' },
      h('h3', { id: 'dup-heading', text: t('pet.duplicates') }),
      h(
        'ul',
        {},
        this.duplicates.map((d) =>
          h(
            'li',
            {},
            h('p', { text: `#${d.id} · ${formatNumber(d.score)}% · ${d.content}` }),
            h('button', {
              type: 'button',
              class: 'button button-quiet',
              'data-testid': 'merge-duplicate',
              text: t('pet.mergeHere'),
              on: { click: () => this.act('merge', { petition_ids: [d.id] }) },
            }),
          ),
        ),
      ),
    );
  }

  render() {
    const p = this.petition;
    replace(
      this.slot,
      h(
        'article',
        { class: 'panel petition-detail', 'aria-labelledby': 'petition-heading', 'data-testid': 'petition-detail' },
        h('h2', { id: 'petition-heading', tabindex: '-1', text: t('pet.number', { id: p.id }) }),
        h('p', { class: 'petition-content', text: p.content }),
        h(
          'p',
          { class: 'facts' },
          statusBadge(p.status, p.overdue),
          h('span', { text: labelFor('pet.channel', p.channel) }),
          p.field ? h('span', { text: p.field }) : null,
          p.level ? h('span', { text: labelFor('pet.level', p.level) }) : null,
          p.locality ? h('span', { text: p.locality }) : null,
          h('span', { text: t('pet.voters', { count: formatNumber(p.voter_count) }) }),
          p.agency_name ? h('span', { text: p.agency_name }) : null,
          p.deadline ? h('span', { text: t('pet.deadlineOn', { date: vnDate(p.deadline) }) }) : null,
          p.published ? h('span', { class: 'chip', text: t('pet.published') }) : null,
        ),
        p.return_reason ? h('p', { class: 'notice notice-warn', text: t('pet.returnedBecause', { reason: p.return_reason }) }) : null,
        h('div', { class: 'petition-actions' }, this.actions()),
        this.duplicatesView(),
        h('h3', { text: t('pet.answers') }),
        answersList(p.answers),
        ['forwarded', 'answered'].includes(p.status)
          ? h('details', { class: 'setup-add' }, h('summary', { text: t('pet.enterAnswer') }), answerForm(p.id, () => this.open(p.id)))
          : null,
        h('h3', { text: t('pet.votersHeading') }),
        p.voters.length
          ? h('ul', { class: 'voters', 'data-testid': 'voters' }, p.voters.map((v) => h('li', { text: v.erased ? t('pet.erased') : [v.full_name, v.address, v.contact].filter(Boolean).join(' · ') })))
          : h('p', { class: 'muted', text: t('pet.noVoters') }),
        h('h3', { text: t('pet.sources') }),
        h('ul', { class: 'sources' }, p.sources.map((s) => h('li', {}, h('span', { class: 'muted', text: `${labelFor('pet.channel', s.channel)}${s.received_on ? `, ${vnDate(s.received_on)}` : ''}${s.reference ? ` (${s.reference})` : ''}: ` }), s.content))),
        h('h3', { text: t('pet.log') }),
        h('ol', { class: 'event-log', 'data-testid': 'event-log' }, p.events.map(eventLine)),
      ),
    );
  }
}
