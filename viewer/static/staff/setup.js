// Preparing a session: its status and chair, the agenda with motions, the documents, the camera stream, and
// after the session the archive review.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { field, form, select, value } from '../shared/forms.js';
import { formatNumber, getLanguage, labelFor, t } from '../shared/i18n.js';
import { statusBadge } from '../shared/sessions.js';
import { failure } from '../shared/shell.js';
import { archivePanel } from './archive.js';
import { streamPanel } from './stream.js';

const AGENDA_KINDS = ['report', 'draft_resolution', 'questioning', 'discussion', 'vote', 'other'];
const BALLOTS = ['open', 'named', 'secret'];
const CLASSIFICATIONS = ['public', 'internal', 'restricted'];
const PREPARING = ['draft', 'scheduled'];

export class SessionSetup {
  constructor(slot, { members, onChange }) {
    this.slot = slot;
    this.members = members;
    this.onChange = onChange;
  }

  async load(sessionId) {
    this.sessionId = sessionId;
    try {
      const [session, documents] = await Promise.all([
        api.get(`/api/sessions/${sessionId}/setup`),
        api.get(`/api/sessions/${sessionId}/documents`),
      ]);
      this.session = session;
      this.documents = documents;
      this.rules ??= await api.get('/api/documents/upload-rules');
    } catch (error) {
      replace(this.slot, failure(error, () => this.load(sessionId)));
      return;
    }
    this.render();
  }

  // `listed`: the change shows in the list of sessions too (its status), so the list is reloaded.
  async reload(listed = false) {
    await this.load(this.sessionId);
    if (listed) this.onChange?.();
  }

  render() {
    const session = this.session;
    const preparing = PREPARING.includes(session.status);
    replace(
      this.slot,
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'setup-heading', 'data-testid': 'setup' },
        h('div', { class: 'session-head' }, h('h2', { id: 'setup-heading', text: t('setup.heading', { title: session.title }) }), statusBadge(session.status)),
        preparing ? this.#facts() : null,
        h('h3', { class: 'section-label', text: t('agenda.heading') }),
        this.#agenda(preparing),
        preparing ? this.#newItem() : null,
      ),
      this.#documents(),
      streamPanel(session),
      archivePanel(session),
    );
  }

  #memberOptions() {
    return [['', t('setup.nobody')], ...this.members.map((m) => [m.id, m.full_name])];
  }

  #facts() {
    const session = this.session;
    const chair = select('chair_member_id', this.#memberOptions(), session.chair_member_id ?? '');
    const secretary = select('secretary_member_id', this.#memberOptions(), session.secretary_member_id ?? '');
    const roles = form({
      className: 'form-row',
      testid: 'session-roles',
      fields: [field(t('setup.chair'), chair), field(t('setup.secretary'), secretary)],
      submitText: t('setup.save'),
      submit: async (element) => {
        const number = (name) => (value(element, name) ? Number(value(element, name)) : null);
        await api.patch(`/api/sessions/${session.id}`, { chair_member_id: number('chair_member_id'), secretary_member_id: number('secretary_member_id') });
        await this.reload();
      },
    });
    const next = session.status === 'draft' ? 'scheduled' : 'draft';
    const schedule = h('button', {
      type: 'button',
      class: session.status === 'draft' ? 'button button-primary' : 'button',
      'data-testid': 'schedule',
      text: t(session.status === 'draft' ? 'setup.schedule' : 'setup.unschedule'),
      on: {
        click: async () => {
          await api.patch(`/api/sessions/${session.id}`, { status: next });
          await this.reload(true);
        },
      },
    });
    return h('div', { class: 'setup-facts' }, roles, h('p', { class: 'muted', text: t(session.status === 'draft' ? 'setup.draftHint' : 'setup.scheduledHint') }), schedule);
  }

  #agenda(preparing) {
    const items = this.session.agenda;
    if (!items.length) return h('p', { class: 'empty', text: t('agenda.empty') });
    return h(
      'ol',
      { class: 'agenda', 'data-testid': 'setup-agenda' },
      items.map((item) =>
        h(
          'li',
          { class: 'agenda-item' },
          h('span', { class: 'agenda-number', 'aria-hidden': 'true', text: formatNumber(item.position) }),
          h(
            'div',
            { class: 'agenda-body' },
            h('p', { class: 'agenda-title', text: item.title }),
            h('p', { class: 'facts' }, h('span', { class: 'chip', text: labelFor('agenda.kind', item.kind) }), item.presenter ? h('span', { text: t('agenda.presenter', { name: item.presenter }) }) : null),
            item.motions.length
              ? h('ul', { class: 'motions' }, item.motions.map((m) => h('li', { class: 'motion' }, h('span', { text: m.title }), h('span', { class: ['chip', `chip-${m.ballot_type}`], text: labelFor('motion.ballot', m.ballot_type) }))))
              : null,
            preparing ? this.#newMotion(item) : null,
          ),
        ),
      ),
    );
  }

  #newItem() {
    return h(
      'details',
      { class: 'setup-add' },
      h('summary', { text: t('setup.addItem') }),
      form({
        testid: 'add-item',
        fields: [
          field(t('setup.itemTitle'), h('input', { name: 'title', required: true, maxlength: '500' })),
          field(t('setup.itemKind'), select('kind', AGENDA_KINDS.map((k) => [k, labelFor('agenda.kind', k)]), 'report')),
          field(t('setup.presenter'), h('input', { name: 'presenter', maxlength: '200' })),
        ],
        submitText: t('setup.addItemButton'),
        submit: async (element) => {
          await api.post(`/api/sessions/${this.session.id}/agenda`, { title: value(element, 'title'), kind: value(element, 'kind'), presenter: value(element, 'presenter') });
          await this.reload();
        },
      }),
    );
  }

  #newMotion(item) {
    return h(
      'details',
      { class: 'setup-add' },
      h('summary', { text: t('setup.addMotion') }),
      form({
        testid: 'add-motion',
        fields: [
          field(t('setup.motionTitle'), h('input', { name: 'title', required: true, maxlength: '500' })),
          field(t('setup.ballot'), select('ballot_type', BALLOTS.map((b) => [b, labelFor('motion.ballot', b)]), 'open')),
        ],
        submitText: t('setup.addMotionButton'),
        submit: async (element) => {
          await api.post(`/api/agenda/${item.id}/motions`, { title: value(element, 'title'), ballot_type: value(element, 'ballot_type') });
          await this.reload();
        },
      }),
    );
  }

  #documents() {
    const items = this.session.agenda;
    const notice = getLanguage() === 'en' ? this.rules.state_secret_notice_en : this.rules.state_secret_notice_vi;
    const list = this.documents.length
      ? h(
          'ul',
          { class: 'doc-choices', 'data-testid': 'setup-documents' },
          this.documents.map((d) =>
            h(
              'li',
              { class: 'doc-choice-row' },
              h('span', { class: 'doc-choice-title', text: t('doc.choice', { title: d.title, count: formatNumber(d.page_count) }) }),
              h('span', { class: ['chip', `chip-${d.classification}`], text: labelFor('doc.classification', d.classification) }),
              h('span', { class: 'muted', text: items.find((i) => i.id === d.agenda_item_id)?.title ?? t('setup.noItem') }),
            ),
          ),
        )
      : h('p', { class: 'empty', text: t('doc.none') });
    const upload = form({
      testid: 'upload',
      fields: [
        field(t('setup.file'), h('input', { name: 'file', type: 'file', accept: 'application/pdf', required: true })),
        field(t('setup.docTitle'), h('input', { name: 'title', maxlength: '500' })),
        field(t('setup.classification'), select('classification', CLASSIFICATIONS.map((c) => [c, labelFor('doc.classification', c)]), 'internal')),
        field(t('setup.item'), select('agenda_item_id', [['', t('setup.noItem')], ...items.map((i) => [i.id, `${formatNumber(i.position)}. ${i.title}`])], '')),
        h('p', { class: 'notice notice-warn', text: notice }),
        field(t('setup.notSecret'), h('input', { name: 'not_state_secret', type: 'checkbox', value: 'true', required: true })),
      ],
      submitText: t('setup.upload'),
      submit: async (element) => {
        if (!element.elements.namedItem('not_state_secret').checked) throw new Error(t('setup.confirmNotSecret'));
        await api.upload(`/api/sessions/${this.session.id}/documents`, new FormData(element));
        await this.reload();
      },
    });
    return h('section', { class: 'panel', 'aria-labelledby': 'documents-heading' }, h('h2', { id: 'documents-heading', text: t('doc.heading') }), list, h('details', { class: 'setup-add' }, h('summary', { text: t('setup.addDocument') }), upload));
  }
}
