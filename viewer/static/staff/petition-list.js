// The office's list of petitions: search without diacritics, filters, pages; ticking rows to merge them, forward
// them to an agency or take them up in a session; entering a new petition with duplicate suggestions as one types;
// a petition's detail beside the list.

import { api } from '../shared/api.js';
import { h, keepFocus, replace } from '../shared/dom.js';
import { field, form, select, value } from '../shared/forms.js';
import { formatNumber, t } from '../shared/i18n.js';
import { failure } from '../shared/shell.js';
import { CHANNELS, FIELDS, LEVELS, STATUSES, inDays, options, statusBadge, textArea, vnDate } from './petition-common.js';
import { PetitionDetail } from './petition-detail.js';

const PER_PAGE = 25;
// A search counts its matches up to this many and one more (session_server/petitions/search.py).
const COUNT_LIMIT = 2000;

export function totalText(total) {
  return total > COUNT_LIMIT ? t('pet.totalMore', { count: formatNumber(COUNT_LIMIT) }) : t('pet.total', { count: formatNumber(total) });
}

export class PetitionList {
  constructor(council) {
    this.council = council;
    this.query = { q: '', status: '', field: '', locality: '', overdue: false, page: 1 };
    this.selected = new Set();
    this.page = null;
    this.element = h('div', { class: 'petitions-split' });
    this.listPanel = h('section', { class: 'panel petitions-list', 'aria-labelledby': 'petitions-heading' });
    this.detailPanel = h('div', { class: 'petitions-detail', 'data-slot': 'detail' });
    this.detail = new PetitionDetail(this.detailPanel, council, () => this.load());
    replace(this.element, this.listPanel, this.detailPanel);
  }

  async root() {
    [this.agencies, this.sessions] = await Promise.all([
      api.get(`/api/councils/${this.council.id}/agencies`),
      api.get(`/api/councils/${this.council.id}/sessions`),
    ]);
    this.detail.agencies = this.agencies;
    this.detail.sessions = this.sessions;
    await this.load();
    return this.element;
  }

  params() {
    const params = new URLSearchParams({ page: String(this.query.page), per_page: String(PER_PAGE) });
    for (const name of ['q', 'status', 'field', 'locality']) if (this.query[name]) params.set(name, this.query[name]);
    if (this.query.overdue) params.set('overdue', 'true');
    return params;
  }

  async load() {
    try {
      this.page = await api.get(`/api/councils/${this.council.id}/petitions?${this.params()}`);
    } catch (error) {
      replace(this.listPanel, failure(error, () => this.load()));
      return;
    }
    keepFocus(this.listPanel, () => this.render());
  }

  filters() {
    const search = h('input', { name: 'q', type: 'search', value: this.query.q, maxlength: '200', 'data-testid': 'petition-search' });
    const overdue = h('input', { name: 'overdue', type: 'checkbox', checked: this.query.overdue });
    const element = h(
      'form',
      { class: 'petition-filters', role: 'search', 'data-testid': 'petition-filters' },
      field(t('pet.search'), search),
      field(t('pet.status'), select('status', options(STATUSES, 'pet.status', { empty: t('pet.all') }), this.query.status)),
      field(t('pet.field'), select('field', options(FIELDS, null, { empty: t('pet.all') }), this.query.field)),
      field(t('pet.locality'), h('input', { name: 'locality', value: this.query.locality, maxlength: '200' })),
      field(t('pet.onlyOverdue'), overdue),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', text: t('pet.find') })),
    );
    element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.query = {
        q: value(element, 'q').trim(),
        status: value(element, 'status'),
        field: value(element, 'field'),
        locality: value(element, 'locality').trim(),
        overdue: overdue.checked,
        page: 1,
      };
      this.load();
    });
    return element;
  }

  row(petition) {
    const box = h('input', {
      type: 'checkbox',
      'aria-label': t('pet.select', { id: petition.id }),
      checked: this.selected.has(petition.id),
      on: {
        change: (event) => {
          if (event.target.checked) this.selected.add(petition.id);
          else this.selected.delete(petition.id);
          keepFocus(this.listPanel, () => this.render());
        },
      },
      'data-focus-key': `select-${petition.id}`,
    });
    const open = h('button', {
      type: 'button',
      class: 'link-button',
      'data-testid': 'open-petition',
      'data-focus-key': `open-${petition.id}`,
      text: petition.content,
      on: { click: () => this.detail.open(petition.id) },
    });
    return h(
      'li',
      { class: ['petition-row', petition.overdue ? 'petition-overdue' : ''], 'data-testid': 'petition-row', data: { id: petition.id } },
      box,
      h(
        'div',
        { class: 'petition-row-body' },
        open,
        h(
          'p',
          { class: 'facts' },
          h('span', { text: `#${petition.id}` }),
          statusBadge(petition.status, petition.overdue),
          petition.field ? h('span', { text: petition.field }) : null,
          petition.locality ? h('span', { text: petition.locality }) : null,
          h('span', { text: t('pet.voters', { count: formatNumber(petition.voter_count) }) }),
          petition.agency_name ? h('span', { text: petition.agency_name }) : null,
          petition.deadline ? h('span', { text: t('pet.deadlineOn', { date: vnDate(petition.deadline) }) }) : null,
          petition.published ? h('span', { class: 'chip', text: t('pet.published') }) : null,
        ),
      ),
    );
  }

  selection() {
    if (!this.selected.size) return null;
    const ids = [...this.selected].sort((a, b) => a - b);
    const agency = select('agency_id', this.agencies.filter((a) => a.active).map((a) => [a.id, a.name]));
    const deadline = h('input', { name: 'deadline', type: 'date', value: inDays(30), required: true });
    const items = this.sessions.flatMap((s) => (s.status === 'archived' ? [] : [[s.id, s.title]]));
    return h(
      'div',
      { class: 'selection-bar', role: 'region', 'aria-label': t('pet.selection', { count: ids.length }), 'data-testid': 'selection' },
      h('p', { text: t('pet.selection', { count: formatNumber(ids.length) }) }),
      ids.length > 1
        ? h('button', {
            type: 'button',
            class: 'button',
            'data-testid': 'merge-selected',
            text: t('pet.mergeInto', { id: ids[0] }),
            on: { click: () => this.act(() => api.post(`/api/petitions/${ids[0]}/merge`, { petition_ids: ids.slice(1) })) },
          })
        : null,
      form({
        className: 'inline-form',
        testid: 'forward-selected',
        fields: [field(t('pet.agency'), agency), field(t('pet.deadline'), deadline)],
        submitText: t('pet.forward'),
        submit: async (element) => {
          for (const id of ids) {
            await api.post(`/api/petitions/${id}/forward`, { agency_id: Number(value(element, 'agency_id')), deadline: value(element, 'deadline') });
          }
          this.selected.clear();
          await this.load();
        },
      }),
      items.length ? this.takeUpForm(ids, items) : null,
    );
  }

  takeUpForm(ids, sessions) {
    const sessionSelect = select('session', sessions);
    const itemSelect = h('select', { name: 'item' });
    const fillItems = async () => {
      const detail = await api.get(`/api/sessions/${sessionSelect.value}`);
      replace(itemSelect, detail.agenda.map((item) => h('option', { value: item.id, selected: item.kind === 'questioning', text: `${item.position}. ${item.title}` })));
    };
    sessionSelect.addEventListener('change', fillItems);
    fillItems();
    return form({
      className: 'inline-form',
      testid: 'take-up-selected',
      fields: [field(t('pet.session'), sessionSelect), field(t('pet.agendaItem'), itemSelect)],
      submitText: t('pet.takeUp'),
      submit: async (element) => {
        await api.post(`/api/agenda-items/${value(element, 'item')}/petitions`, { petition_ids: ids });
        this.selected.clear();
        await this.load();
      },
    });
  }

  async act(work) {
    try {
      await work();
      this.selected.clear();
      await this.load();
    } catch (error) {
      window.alert(error.message);
    }
  }

  pager() {
    const pages = Math.max(1, Math.ceil(this.page.total / PER_PAGE));
    if (pages === 1) return null;
    const go = (page) => {
      this.query.page = page;
      this.load();
    };
    return h(
      'nav',
      { class: 'pager', 'aria-label': t('pet.pages') },
      h('button', { type: 'button', class: 'button button-quiet', disabled: this.query.page <= 1, text: t('pet.previous'), on: { click: () => go(this.query.page - 1) } }),
      h('span', { text: t('pet.pageOf', { page: this.query.page, pages }) }),
      h('button', { type: 'button', class: 'button button-quiet', disabled: this.query.page >= pages, text: t('pet.next'), on: { click: () => go(this.query.page + 1) } }),
    );
  }

  render() {
    const exportUrl = `/api/councils/${this.council.id}/petitions/export.xlsx?${this.params()}`;
    replace(
      this.listPanel,
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'petitions-heading', text: t('pet.heading') }),
        h('p', { class: 'muted', 'data-testid': 'petition-total', text: totalText(this.page.total) }),
      ),
      this.filters(),
      h(
        'p',
        { class: 'export-links' },
        h('a', { class: 'button button-quiet', href: exportUrl, download: '', text: t('pet.exportXlsx') }),
        h('a', { class: 'button button-quiet', href: `/api/councils/${this.council.id}/petitions/report.pdf?${this.params()}`, download: '', text: t('pet.reportPdf') }),
        h('a', { class: 'button button-quiet', href: `/api/councils/${this.council.id}/petitions/report.docx?${this.params()}`, download: '', text: t('pet.reportDocx') }),
      ),
      this.selection(),
      this.page.items.length
        ? h('ul', { class: 'petition-rows', 'data-testid': 'petition-rows' }, this.page.items.map((p) => this.row(p)))
        : h('p', { class: 'empty', text: t('pet.none') }),
      this.pager(),
      this.newForm(),
      this.sessionReport(),
    );
  }

  // The report on answers read at a session, stored as one of the session's documents.
  sessionReport() {
    const sessions = this.sessions.filter((s) => s.status !== 'archived');
    if (!sessions.length) return null;
    const done = h('p', { role: 'status', 'data-testid': 'session-report-done' });
    return h(
      'details',
      { class: 'setup-add' },
      h('summary', { 'data-testid': 'session-report', text: t('pet.sessionReport') }),
      h('p', { class: 'muted', text: t('pet.sessionReportHint') }),
      form({
        testid: 'session-report-form',
        fields: [field(t('pet.session'), select('session', sessions.map((s) => [s.id, s.title])))],
        submitText: t('pet.makeSessionReport'),
        submit: async (element) => {
          const document = await api.post(`/api/sessions/${value(element, 'session')}/petition-report`, {});
          replace(done, t('pet.sessionReportMade', { title: document.title, version: document.version, pages: document.page_count }));
        },
      }),
      done,
    );
  }

  newForm() {
    const suggestions = h('div', { class: 'duplicates', 'aria-live': 'polite', 'data-testid': 'entry-duplicates' });
    const content = textArea('content', { required: true });
    let timer = null;
    content.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = content.value.trim();
        if (text.length < 12) {
          replace(suggestions);
          return;
        }
        const found = await api.post(`/api/councils/${this.council.id}/petitions/duplicates`, { content: text }).catch(() => []);
        replace(
          suggestions,
          found.length
            ? [
                h('p', { class: 'notice notice-warn', text: t('pet.maybeDuplicate') }),
                h('ul', {}, found.map((d) => h('li', {}, h('button', { type: 'button', class: 'link-button', text: `#${d.id} (${formatNumber(d.score)}%) ${d.content}`, on: { click: () => this.detail.open(d.id) } })))),
              ]
            : null,
        );
      }, 400);
    });
    return h(
      'details',
      { class: 'setup-add' },
      h('summary', { 'data-testid': 'new-petition', text: t('pet.new') }),
      form({
        testid: 'new-petition-form',
        fields: [
          field(t('pet.content'), content),
          suggestions,
          field(t('pet.field'), select('field', options(FIELDS, null, { empty: t('pet.unclassified') }), '')),
          field(t('pet.level'), select('level', options(LEVELS, 'pet.level', { empty: t('pet.unclassified') }), '')),
          field(t('pet.locality'), h('input', { name: 'locality', maxlength: '200' })),
          field(t('pet.channel'), select('channel', options(CHANNELS, 'pet.channel'), 'meeting')),
          field(t('pet.voterCount'), h('input', { name: 'voter_count', type: 'number', min: '1', value: '1' })),
          field(t('pet.voterName'), h('input', { name: 'voter_name', maxlength: '200', autocomplete: 'off' })),
          field(t('pet.voterContact'), h('input', { name: 'voter_contact', maxlength: '200', autocomplete: 'off' })),
        ],
        submitText: t('pet.create'),
        submit: async (element) => {
          const name = value(element, 'voter_name').trim();
          const contact = value(element, 'voter_contact').trim();
          const created = await api.post(`/api/councils/${this.council.id}/petitions`, {
            content: value(element, 'content'),
            field: value(element, 'field'),
            level: value(element, 'level') || null,
            locality: value(element, 'locality'),
            channel: value(element, 'channel'),
            voter_count: Number(value(element, 'voter_count')) || 1,
            voters: name || contact ? [{ full_name: name, contact }] : [],
          });
          replace(suggestions);
          await this.load();
          await this.detail.open(created.id);
        },
      }),
    );
  }
}
