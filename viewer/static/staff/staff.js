// The council office console: the councils this account manages, a council's delegates and its sessions.
// A chosen session is prepared below the list: see setup.js.

import { api } from '../shared/api.js';
import { officeCouncils } from '../shared/councils.js';
import { $, h, replace } from '../shared/dom.js';
import { field, form, select, value } from '../shared/forms.js';
import { formatNumber, labelFor, onLanguageChange, t } from '../shared/i18n.js';
import { SessionBrowser } from '../shared/sessions.js';
import { failure, runApp, showCouncilName } from '../shared/shell.js';
import { accountButton } from './account.js';
import { pairButton } from './pairing.js';
import { SessionSetup } from './setup.js';

const SESSION_KINDS = ['regular', 'thematic', 'extraordinary', 'standing_committee'];

function inOffice(yes) {
  return h('span', { class: yes ? 'badge badge-ok' : 'badge', text: t(yes ? 'member.inOffice' : 'member.left') });
}

// The full name is the row's header, so a screen reader names each row by the delegate.
const COLUMNS = [
  ['member.code', (m) => m.code],
  ['member.name', (m) => m.full_name],
  ['member.title', (m) => m.title],
  ['member.group', (m) => m.group],
  ['member.committee', (m) => m.committee],
  ['member.status', (m) => inOffice(m.in_office)],
];

// `accounts`: the delegates' sign-in accounts by member id; a delegate with one can have a tablet paired and the
// account managed; `onAccountChange(account)` hears that one was locked or unlocked.
function memberTable(members, accounts, timeZone, onAccountChange) {
  if (!members.length) return h('p', { class: 'empty', text: t('members.none') });
  return h(
    'div',
    { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': t('members.table') },
    h(
      'table',
      { class: 'table', 'data-testid': 'member-table' },
      h(
        'thead',
        {},
        h('tr', {}, COLUMNS.map(([key]) => h('th', { scope: 'col', text: t(key) })), h('th', { scope: 'col', text: t('member.tablet') })),
      ),
      h(
        'tbody',
        {},
        members.map((member) =>
          h(
            'tr',
            { data: { id: member.id } },
            COLUMNS.map(([key, cell]) =>
              key === 'member.name' ? h('th', { scope: 'row' }, cell(member)) : h('td', {}, cell(member)),
            ),
            h(
              'td',
              { class: 'row-actions' },
              accounts.has(member.id)
                ? [pairButton(accounts.get(member.id), timeZone), accountButton(accounts.get(member.id), timeZone, onAccountChange)]
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

function councilSummary(council) {
  return [
    h('h2', { id: 'council-heading', text: council.name }),
    h(
      'p',
      { class: 'facts' },
      council.term ? h('span', { text: t('council.term', { term: council.term }) }) : null,
      h('span', { text: t('council.total', { count: formatNumber(council.total_delegates) }) }),
    ),
  ];
}

function rememberCouncil(councilId, previous) {
  const url = new URL(window.location.href);
  url.searchParams.set('council', String(councilId));
  if (previous !== null && previous !== councilId) url.searchParams.delete('session');
  window.history.replaceState(null, '', url);
}

class StaffConsole {
  council = null;
  members = null;
  accounts = new Map();

  constructor(councils) {
    this.councils = councils;
    this.setup = new SessionSetup($('[data-slot="setup"]'), { members: [], onChange: () => this.sessions.load(this.council.id) });
    this.sessions = new SessionBrowser({
      list: $('[data-slot="sessions"]'),
      detail: $('[data-slot="session"]'),
      onOpen: (session) => this.setup.load(session.id),
    });
    onLanguageChange(() => {
      this.render();
      if (this.setup.session) this.setup.render();
    });
  }

  async choose(councilId) {
    const previous = this.council?.id ?? null;
    this.council = this.councils.find((c) => c.id === councilId);
    rememberCouncil(councilId, previous);
    showCouncilName(this.council);
    this.members = null;
    this.render();
    this.sessions.timeZone = this.council.timezone;
    await Promise.all([this.loadMembers(), this.sessions.load(councilId)]);
  }

  async loadMembers() {
    const councilId = this.council.id;
    try {
      const [members, users] = await Promise.all([api.get(`/api/councils/${councilId}/members`), api.get('/api/users')]);
      if (this.council.id !== councilId) return;
      this.members = members;
      this.accounts = new Map(
        users.filter((u) => u.role === 'delegate' && u.council_id === councilId && u.member_id !== null).map((u) => [u.member_id, u]),
      );
      this.setup.members = members.filter((m) => m.in_office);
      this.render();
    } catch (error) {
      replace($('[data-slot="members"]'), failure(error, () => this.loadMembers()));
    }
  }

  newSessionForm() {
    return h(
      'details',
      { class: 'setup-add' },
      h('summary', { 'data-testid': 'new-session', text: t('setup.newSession') }),
      form({
        testid: 'new-session-form',
        fields: [
          field(t('setup.sessionTitle'), h('input', { name: 'title', required: true, maxlength: '300' })),
          field(t('setup.sessionKind'), select('kind', SESSION_KINDS.map((k) => [k, labelFor('session.kind', k)]), 'regular')),
          field(t('setup.startsAt'), h('input', { name: 'starts_at', type: 'datetime-local' })),
          field(t('setup.place'), h('input', { name: 'place', maxlength: '300' })),
          field(t('setup.public'), h('input', { name: 'public', type: 'checkbox', checked: true })),
        ],
        submitText: t('setup.create'),
        submit: async (element) => {
          const startsAt = value(element, 'starts_at');
          const created = await api.post(`/api/councils/${this.council.id}/sessions`, {
            title: value(element, 'title'),
            kind: value(element, 'kind'),
            place: value(element, 'place'),
            public: element.elements.namedItem('public').checked,
            starts_at: startsAt ? `${startsAt}:00+07:00` : null,
          });
          const url = new URL(window.location.href);
          url.searchParams.set('session', String(created.id));
          window.history.replaceState(null, '', url);
          await this.sessions.load(this.council.id);
        },
      }),
    );
  }

  importForm() {
    return h(
      'details',
      { class: 'setup-add' },
      h('summary', { text: t('members.import') }),
      h('p', { class: 'muted', text: t('members.importHint') }),
      form({
        testid: 'member-import',
        fields: [field(t('members.importFile'), h('input', { name: 'file', type: 'file', accept: '.csv,text/csv', required: true }))],
        submitText: t('members.importButton'),
        submit: async (element) => {
          const file = element.elements.namedItem('file').files[0];
          if (!file) throw new Error(t('members.importMissing'));
          await api.upload(`/api/councils/${this.council.id}/members/import`, { text: await file.text(), type: 'text/csv' });
          await this.loadMembers();
        },
      }),
    );
  }

  render() {
    this.renderPicker();
    replace($('[data-slot="new-session"]'), this.newSessionForm());
    replace($('[data-slot="member-import"]'), this.importForm());
    replace($('[data-slot="council-summary"]'), councilSummary(this.council));
    const count = $('[data-slot="member-count"]');
    count.textContent = this.members ? t('members.count', { count: formatNumber(this.members.length) }) : '';
    replace(
      $('[data-slot="members"]'),
      this.members ? memberTable(this.members, this.accounts, this.council.timezone, () => this.render()) : h('p', { class: 'loading', text: t('shell.loading') }),
    );
  }

  renderPicker() {
    const slot = $('[data-slot="council-picker"]');
    if (this.councils.length < 2) {
      replace(slot);
      return;
    }
    const select = h(
      'select',
      { id: 'council-picker', on: { change: (event) => this.choose(Number(event.target.value)) } },
      this.councils.map((council) =>
        h('option', { value: council.id, selected: council.id === this.council.id, text: council.name }),
      ),
    );
    const label = h('label', { for: 'council-picker', text: t('council.label') });
    replace(slot, h('div', { class: 'field field-inline' }, label, select));
  }
}

runApp({ namespace: '/live', roles: ['admin', 'secretary'], audienceKey: 'shell.audience.staff' }, async ({ user }) => {
  const office = await officeCouncils(user);
  if (office) await new StaffConsole(office.councils).choose(office.first.id);
});
