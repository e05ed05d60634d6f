// Preparing a session: its status and chair, the agenda with motions of every kind, the documents, the camera
// stream, and after the session the archive review.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { field, form, select, value } from '../shared/forms.js';
import { formatNumber, labelFor, t } from '../shared/i18n.js';
import { statusBadge } from '../shared/sessions.js';
import { sharePanel } from '../shared/share.js';
import { failure } from '../shared/shell.js';
import { archivePanel } from './archive.js';
import { documentsPanel } from './documents.js';
import { motionForm, motionItem } from './motions.js';
import { streamPanel } from './stream.js';

const AGENDA_KINDS = ['report', 'draft_resolution', 'questioning', 'discussion', 'vote', 'other'];
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
      const [session, documents, rules] = await Promise.all([
        api.get(`/api/sessions/${sessionId}/setup`),
        api.get(`/api/sessions/${sessionId}/documents`),
        this.rules ?? api.get('/api/documents/upload-rules'),
      ]);
      const templates = await api.get(`/api/councils/${session.council_id}/ballot-templates`);
      // All at once: a render in between (the language switched) must not find a session without its rules.
      Object.assign(this, { session, documents, rules, templates });
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
      documentsPanel({ session, documents: this.documents, rules: this.rules, reload: () => this.reload() }),
      session.public ? sharePanel(session.id) : null,
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
              ? h('ul', { class: 'motions' }, item.motions.map((m) => motionItem(m, { preparing, templates: this.templates, onChange: () => this.reload() })))
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
      { class: 'setup-add', data: { item: item.id } },
      h('summary', { text: t('setup.addMotion') }),
      motionForm({
        templates: this.templates,
        councilId: this.session.council_id,
        submitText: t('setup.addMotionButton'),
        testid: 'add-motion',
        save: async (body) => {
          await api.post(`/api/agenda/${item.id}/motions`, body);
          await this.reload();
        },
        // A template saved stays out of the form being filled in; one removed leaves every form at once.
        onTemplates: async ({ removed = false } = {}) => {
          this.templates = await api.get(`/api/councils/${this.session.council_id}/ballot-templates`);
          if (removed) this.render();
        },
      }),
    );
  }
}
