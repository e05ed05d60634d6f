// The front door (/public/): every council of the deployment, found by typing its name with or without
// diacritics; and a council's page (/public/<council>/): its live session first, then the sessions coming up
// with their date and agenda, a search across its public record, its feeds, then its archive.

import { api } from '../shared/api.js';
import { formatDateTime, onLanguageChange, t } from '../shared/i18n.js';
import { h, replace } from '../shared/dom.js';
import { showCouncilName } from '../shared/shell.js';
import { showArchiveList } from './archive.js';

const TYPING_PAUSE_MS = 200;

// Waits for a pause in typing, and drops answers to queries that are no longer the latest.
function searchBox({ id, label, hint, testid, onResults, fetchResults }) {
  const input = h('input', { id, type: 'search', class: 'input', autocomplete: 'off', placeholder: hint, 'data-testid': testid });
  let timer = null;
  let asked = 0;
  const run = async () => {
    const ask = ++asked;
    const answer = await fetchResults(input.value.trim());
    if (ask === asked) onResults(answer, input.value.trim());
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, TYPING_PAUSE_MS);
  });
  return { field: h('div', { class: 'field public-search' }, h('label', { for: id, text: label }), input), run };
}

function councilItem(council) {
  return h(
    'li',
    { class: 'council-item' },
    h('a', { class: 'council-link', href: council.url, text: council.name }),
    council.live ? h('span', { class: 'badge badge-live', text: t('public.liveCount') }) : null,
  );
}

export async function showFront(slot) {
  const list = h('ul', { class: 'council-list', 'data-testid': 'council-list', 'aria-live': 'polite' });
  const show = (councils) => replace(list, councils.length ? councils.map(councilItem) : h('li', { class: 'empty', text: t('public.noCouncil') }));
  const search = searchBox({
    id: 'council-search',
    label: t('public.findCouncil'),
    hint: 'hoa binh',
    testid: 'council-search',
    fetchResults: (q) => api.get(`/api/public/councils${q ? `?q=${encodeURIComponent(q)}` : ''}`, { signIn: 'throw' }),
    onResults: show,
  });
  slot.hidden = false;
  replace(slot, h('h2', { id: 'councils-heading', text: t('public.councils') }), search.field, list);
  await search.run();
}

function when(session) {
  if (!session.starts_at) return null;
  const moment = new Date(session.starts_at);
  return t('public.when', {
    date: formatDateTime(moment, { day: '2-digit', month: '2-digit', year: 'numeric' }),
    time: formatDateTime(moment, { hour: '2-digit', minute: '2-digit' }),
  });
}

function sessionCard(session, live) {
  const date = when(session);
  return h(
    'li',
    { class: ['session-card', live ? 'session-card-live' : null], 'data-testid': live ? 'live-session' : 'upcoming-session' },
    h('a', { class: 'session-link', href: session.url }, live ? h('span', { class: 'badge badge-live', text: t('player.live') }) : null, h('span', { text: session.title })),
    date || session.place ? h('p', { class: 'muted', text: [date, session.place].filter(Boolean).join(' · ') }) : null,
    session.agenda.length ? h('ol', { class: 'session-agenda' }, session.agenda.map((title) => h('li', { text: title }))) : null,
  );
}

function hitItem(hit) {
  const label = t(`public.hit.${hit.kind}`, { page: hit.page });
  return h(
    'li',
    { class: 'search-hit', 'data-testid': 'search-hit' },
    h('p', { class: 'section-label', text: `${label} · ${hit.session_title}` }),
    h('a', { href: hit.url, text: hit.title }),
    hit.snippet ? h('p', { class: 'muted', text: hit.snippet }) : null,
    hit.video_url ? h('a', { class: 'button button-quiet', href: hit.video_url, 'data-testid': 'hit-moment', text: t('public.watchMoment') }) : null,
  );
}

export async function showCouncil(slot, archiveSlot, councilId) {
  const front = await api.get(`/api/public/councils/${councilId}`, { signIn: 'throw' });
  showCouncilName(front.council);
  const hits = h('ul', { class: 'search-hits', 'data-testid': 'search-hits', 'aria-live': 'polite' });
  const search = searchBox({
    id: 'record-search',
    label: t('public.search'),
    hint: t('public.searchHint'),
    testid: 'record-search',
    fetchResults: (q) => (q ? api.get(`/api/public/councils/${councilId}/search?q=${encodeURIComponent(q)}`, { signIn: 'throw' }) : null),
    onResults: (answer, q) => replace(hits, !q ? null : answer.hits.length ? answer.hits.map(hitItem) : h('li', { class: 'empty', text: t('public.searchNone') })),
  });
  const render = () => {
    slot.hidden = false;
    replace(
      slot,
      h('p', {}, h('a', { href: '/public/', text: `← ${t('public.allCouncils')}` })),
      h('h2', { id: 'councils-heading', 'data-testid': 'council-name', text: front.council.name }),
      front.live.length
        ? [h('h3', { class: 'section-label', text: t('public.live') }), h('ul', { class: 'session-cards' }, front.live.map((s) => sessionCard(s, true)))]
        : null,
      h('h3', { class: 'section-label', text: t('public.upcoming') }),
      front.upcoming.length ? h('ul', { class: 'session-cards' }, front.upcoming.map((s) => sessionCard(s, false))) : h('p', { class: 'empty', text: t('public.noUpcoming') }),
      search.field,
      hits,
      h(
        'p',
        { class: 'public-feeds' },
        h('span', { class: 'section-label', text: t('public.subscribe') }),
        h('a', { href: front.atom_url, 'data-testid': 'atom-feed', text: t('public.atom') }),
        h('a', { href: front.calendar_url, 'data-testid': 'calendar-feed', text: t('public.calendar') }),
      ),
    );
  };
  render();
  onLanguageChange(render);
  await showArchiveList(archiveSlot, councilId);
}
