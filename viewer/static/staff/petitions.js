// Voter petitions (ý kiến, kiến nghị cử tri). The council office works through views chosen by the address's hash:
// the list (search, filters, a petition's detail, merging, forwarding, taking up in a session), the workbook
// import, the public form's queue, statistics, agencies and voter meetings, and voters' personal data. An agency
// account (cơ quan giải quyết) sees only the petitions assigned to it, and answers them.

import { officeCouncils } from '../shared/councils.js';
import { $, h, replace } from '../shared/dom.js';
import { onLanguageChange, t } from '../shared/i18n.js';
import { failure, runApp, showCouncilName } from '../shared/shell.js';
import { agencyInbox } from './petition-agency.js';
import { agenciesView, meetingsView, personalDataView, submissionsView } from './petition-admin.js';
import { importView } from './petition-import.js';
import { PetitionList } from './petition-list.js';
import { statsView } from './petition-stats.js';

const VIEWS = ['list', 'import', 'online', 'stats', 'agencies', 'meetings', 'data'];

function currentView() {
  const name = window.location.hash.slice(1);
  return VIEWS.includes(name) ? name : 'list';
}

class PetitionsConsole {
  constructor(councils) {
    this.councils = councils;
    this.council = null;
    this.view = $('[data-slot="view"]');
    window.addEventListener('hashchange', () => this.show());
    onLanguageChange(() => this.show());
  }

  async choose(councilId) {
    this.council = this.councils.find((c) => c.id === councilId);
    const url = new URL(window.location.href);
    url.searchParams.set('council', String(councilId));
    window.history.replaceState(null, '', url);
    showCouncilName(this.council);
    this.list = new PetitionList(this.council);
    this.show();
  }

  tabs() {
    const active = currentView();
    replace(
      $('[data-slot="tabs"]'),
      VIEWS.map((name) =>
        h('a', { class: 'tab', href: `#${name}`, 'aria-current': name === active ? 'page' : false, 'data-testid': `tab-${name}`, text: t(`pet.view.${name}`) }),
      ),
    );
  }

  summary() {
    const picker = this.councils.length > 1
      ? h(
          'div',
          { class: 'field field-inline' },
          h('label', { for: 'council-picker', text: t('council.label') }),
          h(
            'select',
            { id: 'council-picker', on: { change: (event) => this.choose(Number(event.target.value)) } },
            this.councils.map((c) => h('option', { value: c.id, selected: c.id === this.council.id, text: c.name })),
          ),
        )
      : null;
    replace($('[data-slot="council-picker"]'), picker);
    replace($('[data-slot="council-summary"]'), h('h2', { id: 'council-heading', text: this.council.name }));
  }

  async show() {
    if (!this.council) return;
    // A tab chosen while the previous one still loads wins: the slower, older view must not replace it.
    const shown = (this.shown = (this.shown || 0) + 1);
    this.summary();
    this.tabs();
    const council = this.council;
    const views = {
      list: () => this.list.root(),
      import: () => importView(council, () => (window.location.hash = '#list')),
      online: () => submissionsView(council),
      stats: () => statsView(council),
      agencies: () => agenciesView(council),
      meetings: () => meetingsView(council),
      data: () => personalDataView(council),
    };
    try {
      const view = await views[currentView()]();
      if (shown === this.shown) replace(this.view, view);
    } catch (error) {
      if (shown === this.shown) replace(this.view, failure(error, () => this.show()));
    }
  }
}

runApp(
  { namespace: null, roles: ['admin', 'secretary', 'agency'], audienceKey: 'shell.audience.petitions' },
  async ({ user }) => {
    if (user.role === 'agency') {
      replace($('[data-slot="tabs"]'));
      replace($('[data-slot="nav"]'));
      await agencyInbox(user, $('[data-slot="council-summary"]'), $('[data-slot="view"]'));
      return;
    }
    const office = await officeCouncils(user);
    if (office) await new PetitionsConsole(office.councils).choose(office.first.id);
  },
);
