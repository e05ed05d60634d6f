// A council's public petitions page (?council=ID): what voters raised and how the agencies answered, searchable
// with or without diacritics and filtered by field, locality and status; and a form to send a new petition without
// an account. Only /api/public/… is used: no voter's name or contact ever reaches this page.

import { api } from '../shared/api.js';
import { $, h, replace, setBusy } from '../shared/dom.js';
import { field, select, value } from '../shared/forms.js';
import { formatDateTime, formatNumber, labelFor, onLanguageChange, t } from '../shared/i18n.js';
import { failure, runApp, showCouncilName } from '../shared/shell.js';
import { solve } from './work.js';

const STATUSES = ['forwarded', 'answered', 'closed'];
const PER_PAGE = 20;
// A search counts its matches up to this many and one more (session_server/petitions/search.py).
const COUNT_LIMIT = 2000;

function councilParam() {
  const raw = new URLSearchParams(window.location.search).get('council');
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

function vnDate(iso) {
  if (!iso) return '';
  const [year, month, day] = iso.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
}

function discussed(item) {
  const where = item.discussed;
  if (!where) return null;
  const seconds = where.start_ms === null ? null : Math.floor(where.start_ms / 1000);
  const href = `/public/?archive=${where.session_id}${seconds === null ? '' : `#t=${seconds}`}`;
  return h(
    'p',
    { class: 'discussed' },
    t('pub.discussed', { session: where.session_title, item: where.agenda_title }),
    ' ',
    h('a', { href, 'data-testid': 'watch-chapter', text: t('pub.watch') }),
  );
}

function card(item) {
  return h(
    'li',
    { class: 'public-petition', id: `petition-${item.id}`, 'data-testid': 'public-petition', data: { id: item.id } },
    h('h3', { class: 'petition-question', text: item.content }),
    h(
      'p',
      { class: 'facts' },
      h('span', { class: ['badge', item.status === 'answered' || item.status === 'closed' ? 'badge-ok' : 'badge-scheduled'], text: labelFor('pet.status', item.status) }),
      item.field ? h('span', { text: item.field }) : null,
      item.locality ? h('span', { text: item.locality }) : null,
      h('span', { text: t('pet.voters', { count: formatNumber(item.voter_count) }) }),
      item.received_on ? h('span', { text: vnDate(item.received_on) }) : null,
    ),
    item.answer
      ? h(
          'div',
          { class: 'public-answer', 'data-testid': 'public-answer' },
          h('p', { class: 'section-label', text: t('pub.answerBy', { agency: item.agency_name || t('pet.office'), date: formatDateTime(item.answered_at, { day: '2-digit', month: '2-digit', year: 'numeric' }) }) }),
          h('p', { text: item.answer }),
          item.attachments.length ? h('ul', { class: 'doc-links' }, item.attachments.map((f) => h('li', {}, h('a', { href: f.url, target: '_blank', rel: 'noopener', text: f.file_name })))) : null,
        )
      : h('p', { class: 'muted', text: item.agency_name ? t('pub.waiting', { agency: item.agency_name }) : t('pub.waitingOffice') }),
    discussed(item),
  );
}

class PetitionsPage {
  constructor(councilId) {
    this.councilId = councilId;
    this.query = { q: '', field: '', locality: '', status: '' };
    this.items = [];
    this.page = 1;
    this.data = null;
  }

  url() {
    const params = new URLSearchParams({ page: String(this.page), per_page: String(PER_PAGE) });
    for (const [name, v] of Object.entries(this.query)) if (v) params.set(name, v);
    return `/api/public/councils/${this.councilId}/petitions?${params}`;
  }

  async load({ more = false } = {}) {
    this.page = more ? this.page + 1 : 1;
    try {
      this.data = await api.get(this.url(), { signIn: 'throw' });
    } catch (error) {
      replace($('[data-slot="results"]'), failure(error, () => this.load()));
      return;
    }
    this.items = more ? [...this.items, ...this.data.items] : this.data.items;
    showCouncilName({ name: this.data.council_name });
    if (!more) this.renderSearch();
    this.renderResults();
  }

  renderSearch() {
    const search = h('input', { name: 'q', type: 'search', value: this.query.q, maxlength: '200', placeholder: t('pub.searchPlaceholder'), 'data-testid': 'public-search' });
    const element = h(
      'form',
      { class: 'petition-filters', role: 'search' },
      field(t('pub.search'), search),
      field(t('pet.field'), select('field', [['', t('pet.all')], ...this.data.fields.map((f) => [f, f])], this.query.field)),
      field(t('pet.locality'), select('locality', [['', t('pet.all')], ...this.data.localities.map((l) => [l, l])], this.query.locality)),
      field(t('pet.status'), select('status', [['', t('pet.all')], ...STATUSES.map((s) => [s, labelFor('pet.status', s)])], this.query.status)),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', text: t('pub.find') })),
    );
    element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.query = { q: value(element, 'q').trim(), field: value(element, 'field'), locality: value(element, 'locality'), status: value(element, 'status') };
      this.load();
    });
    replace($('[data-slot="search"]'), element);
  }

  renderResults() {
    const more = this.items.length < this.data.total;
    replace(
      $('[data-slot="results"]'),
      h('p', { class: 'muted', 'data-testid': 'public-total', text: this.data.total > COUNT_LIMIT ? t('pub.foundMore', { count: formatNumber(COUNT_LIMIT) }) : t('pub.found', { count: formatNumber(this.data.total) }) }),
      this.items.length
        ? h('ol', { class: 'public-petitions', 'data-testid': 'public-petitions' }, this.items.map(card))
        : h('p', { class: 'empty', text: t('pub.none') }),
      more ? h('button', { type: 'button', class: 'button', text: t('pub.more'), on: { click: () => this.load({ more: true }) } }) : null,
    );
  }
}

// The form: the challenge is fetched and solved while the person writes, so sending is immediate.
function sendForm(councilId) {
  const status = h('p', { class: 'form-status', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button button-primary', text: t('pub.send') });
  let work = null;
  const prepare = () => {
    work = api
      .post(`/api/public/councils/${councilId}/petition-challenge`, {}, { signIn: 'throw' })
      .then(async ({ challenge, bits }) => ({ challenge, nonce: await solve(challenge, bits) }));
    work.catch(() => {});
  };
  prepare();
  const honeypot = h('div', { class: 'visually-hidden', 'aria-hidden': 'true' }, h('label', { for: 'website', text: 'Website' }), h('input', { id: 'website', name: 'website', tabindex: '-1', autocomplete: 'off' }));
  const element = h(
    'form',
    { class: 'setup-form', novalidate: true, 'data-testid': 'public-send' },
    h('p', { class: 'muted', text: t('pub.sendHint') }),
    field(t('pub.content'), h('textarea', { name: 'content', rows: '5', required: true, minlength: '10', maxlength: '5000' })),
    field(t('pub.locality'), h('input', { name: 'locality', maxlength: '200' })),
    field(t('pub.name'), h('input', { name: 'full_name', maxlength: '200', autocomplete: 'name' })),
    field(t('pub.contact'), h('input', { name: 'contact', maxlength: '200', autocomplete: 'email' })),
    h('p', { class: 'muted small', text: t('pub.privacy') }),
    honeypot,
    h('div', { class: 'form-actions' }, button),
    status,
    error,
  );
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (value(element, 'content').trim().length < 10) {
      error.textContent = t('pub.tooShort');
      return;
    }
    setBusy(button, true);
    status.textContent = t('pub.checking');
    try {
      const { challenge, nonce } = await work;
      const receipt = await api.post(
        `/api/public/councils/${councilId}/petition-submissions`,
        {
          challenge,
          nonce,
          content: value(element, 'content').trim(),
          locality: value(element, 'locality').trim(),
          full_name: value(element, 'full_name').trim(),
          contact: value(element, 'contact').trim(),
          website: value(element, 'website'),
        },
        { signIn: 'throw' },
      );
      element.reset();
      status.textContent = receipt.message;
      status.dataset.testid = 'public-sent';
    } catch (failure) {
      status.textContent = '';
      error.textContent = failure.message;
    } finally {
      setBusy(button, false);
      prepare();
    }
  });
  return element;
}

runApp({ namespace: null, signIn: false }, async () => {
  const councilId = councilParam();
  if (councilId === null) {
    replace($('[data-slot="results"]'), h('p', { class: 'notice', text: t('pub.noCouncil') }));
    return;
  }
  const page = new PetitionsPage(councilId);
  await page.load();
  replace($('[data-slot="send"]'), sendForm(councilId));
  onLanguageChange(() => {
    page.renderSearch();
    page.renderResults();
    replace($('[data-slot="send"]'), sendForm(councilId));
  });
});
