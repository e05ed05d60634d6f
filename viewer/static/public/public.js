// The public app: no account needed, and nothing private ever reaches it (only `/public` and `/api/public/…`).
// The server renders each page at its short address with the ids this script follows in its head
// (<meta name="hopso:view|council|session">): the front door lists the councils; a council's page shows its live
// and upcoming sessions, a search and its archive; a session's page follows it live over the read-only `/public`
// namespace (livestream, current item, speaker with the timer, the vote under way, results with their verdicts,
// the document page on screen) and, once it closes, becomes its record in place; a published session shows its
// archive (video with chapters, results, signed minutes, documents).

import { startClocks } from '../shared/clock.js';
import { $, h, replace } from '../shared/dom.js';
import { formatNumber, labelFor, onLanguageChange, t } from '../shared/i18n.js';
import { PageViewer } from '../shared/pages.js';
import { runApp, showCouncilName } from '../shared/shell.js';
import { SessionState } from '../shared/state.js';
import { agendaList, resultsList, sessionHeading, speakerNow } from '../shared/views.js';
import { Player } from './player.js';

// Each view's own modules load when it is shown: the live page's critical path holds only what it needs.
const archive = () => import('./archive.js');
const front = () => import('./front.js');

const CLOSED = ['ended', 'archived'];

function meta(name) {
  return document.querySelector(`meta[name="hopso:${name}"]`)?.content ?? null;
}

function documentsView(state) {
  const documents = state.documents;
  if (!documents.length) return h('p', { class: 'empty', text: t('doc.none') });
  return h(
    'ul',
    { class: 'doc-links', 'data-testid': 'public-documents' },
    documents.map((d) =>
      h('li', {}, h('a', { href: `/api/public/documents/${d.document_id}/file`, text: t('doc.choice', { title: d.title, count: formatNumber(d.page_count) }) })),
    ),
  );
}

// The vote under way has a card of its own, beside the speaker's: both can be true at once.
function voteCard(vote) {
  const current = vote?.current;
  if (!current) return null;
  return h(
    'section',
    { class: 'panel public-vote', 'aria-labelledby': 'vote-heading', 'data-testid': 'public-vote' },
    h('h2', { id: 'vote-heading', text: t('public.voting') }),
    h('p', { class: 'public-vote-title', text: current.title }),
    h('p', { class: 'muted', text: labelFor('motion.ballot', current.ballot_type) }),
  );
}

function closedNotice() {
  return h(
    'section',
    { class: 'panel notice public-closed', role: 'status', 'data-testid': 'session-closed' },
    h('h2', { text: t('public.closed') }),
    h('p', { text: t('public.closedRecord') }),
  );
}

function build(state, root, player) {
  const head = h('section', { class: 'panel live-head' });
  const now = h('section', { class: 'panel public-now', 'aria-labelledby': 'now-heading', 'data-testid': 'public-now' });
  const vote = h('div', { class: 'public-vote-slot' });
  const results = h('section', { class: 'panel', 'aria-labelledby': 'results-heading' });
  const agenda = h('section', { class: 'panel', 'aria-labelledby': 'agenda-heading' });
  const documents = h('section', { class: 'panel', 'aria-labelledby': 'documents-heading' });
  const viewer = new PageViewer({ base: '/api/public', thumbnails: false });
  viewer.root.classList.add('public-doc');
  const closed = () => CLOSED.includes(state.session?.status);
  state.watch(['stream'], () => player.update(state.slices.stream));
  state.watch(['session', 'agenda'], () => {
    showCouncilName(state.session.council);
    replace(head, sessionHeading(state));
  });
  state.watch(['session', 'speakers', 'vote'], () => {
    replace(vote, closed() ? null : voteCard(state.slices.vote));
    if (closed()) {
      replace(now, closedNotice());
      return;
    }
    replace(now, h('h2', { id: 'now-heading', text: t('speakers.now') }), speakerNow(state.slices.speakers?.current, { big: true }));
  });
  state.watch(['vote'], () => replace(results, h('h2', { id: 'results-heading', text: t('vote.results') }), resultsList(state.slices.vote)));
  state.watch(['session', 'agenda'], () => replace(agenda, h('h2', { id: 'agenda-heading', text: t('agenda.heading') }), agendaList(state)));
  state.watch(['session', 'agenda', 'presentation'], () => {
    const shown = closed() ? null : state.slices.presentation;
    viewer.relabel();
    viewer.show(shown?.document_id ? shown : null, shown?.page ?? 1);
    replace(documents, h('h2', { id: 'documents-heading', text: t('doc.public') }), viewer.root, documentsView(state));
  });
  onLanguageChange(() => player.relabel());
  replace(
    root,
    h('div', { class: 'public-grid' }, h('div', { class: 'public-main' }, player.root, head, documents), h('div', { class: 'public-side' }, now, vote, results, agenda)),
  );
}

async function followLive(live, sessionId, slot, archiveSlot) {
  const state = new SessionState(live);
  const root = $('[data-slot="live"]');
  const player = new Player();
  startClocks(live);
  build(state, root, player);
  // The page was served with the stream on: the video starts while the connection is made for the rest.
  const hls = meta('hls');
  if (hls) {
    player.update({ status: 'live', hls_url: hls });
    root.hidden = false;
    $('[data-slot="intro"]').hidden = true;
  }
  try {
    await live.join(sessionId);
  } catch (error) {
    const render = () => {
      slot.textContent = t('session.notFollowing', { message: error.message });
    };
    onLanguageChange(render);
    render();
    return;
  }
  $('[data-slot="intro"]').hidden = true;
  root.hidden = false;
  await (await archive()).showArchiveList(archiveSlot, state.session.council.id);
}

const view = meta('view') ?? 'front';
const live = view === 'live';

runApp({ namespace: live ? '/public' : null, signIn: false, identify: false }, async ({ live: connection }) => {
  const slot = $('[data-slot="public-status"]');
  const main = $('[data-slot="front"]');
  const archiveSlot = $('[data-slot="archive"]');
  const sessionId = Number(meta('session'));
  const councilId = Number(meta('council'));
  if (view === 'front' || view === 'missing') {
    if (view === 'missing') {
      const render = () => {
        slot.textContent = t('public.missing');
      };
      onLanguageChange(render);
      render();
    }
    await (await front()).showFront(main);
  } else if (view === 'council') {
    $('[data-slot="intro"]').hidden = true;
    await (await front()).showCouncil(main, archiveSlot, councilId);
  } else if (view === 'archive') {
    $('[data-slot="intro"]').hidden = true;
    const session = await (await archive()).showArchivedSession(archiveSlot, sessionId);
    showCouncilName({ name: session.council_name });
  } else {
    await followLive(connection, sessionId, slot, archiveSlot);
  }
});
