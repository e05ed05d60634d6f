// The public page: no account needed. A session's published link (?session=ID) follows it live over the
// read-only `/public` namespace: the livestream, the current item and speaker with the timer, the vote in
// progress and the results as they are announced, the agenda and the public documents. ?archive=ID shows a
// published past session. Only `/public` and `/api/public/…` are used, so nothing private reaches the page.

import { startClocks } from '../shared/clock.js';
import { $, h, replace } from '../shared/dom.js';
import { formatNumber, labelFor, onLanguageChange, t } from '../shared/i18n.js';
import { PageViewer } from '../shared/pages.js';
import { runApp, showCouncilName } from '../shared/shell.js';
import { SessionState } from '../shared/state.js';
import { agendaList, resultsList, sessionHeading, speakerNow } from '../shared/views.js';
import { showArchiveList, showArchivedSession } from './archive.js';
import { Player } from './player.js';

function param(name) {
  const value = new URLSearchParams(window.location.search).get(name);
  return value && /^\d+$/.test(value) ? Number(value) : null;
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

function build(state, root) {
  const player = new Player();
  const head = h('section', { class: 'panel live-head' });
  const now = h('section', { class: 'panel public-now', 'aria-labelledby': 'now-heading', 'data-testid': 'public-now' });
  const results = h('section', { class: 'panel', 'aria-labelledby': 'results-heading' });
  const agenda = h('section', { class: 'panel', 'aria-labelledby': 'agenda-heading' });
  const documents = h('section', { class: 'panel', 'aria-labelledby': 'documents-heading' });
  const viewer = new PageViewer({ base: '/api/public', thumbnails: false });
  viewer.root.classList.add('public-doc');
  state.watch(['stream'], () => player.update(state.slices.stream));
  state.watch(['session', 'agenda'], () => {
    showCouncilName(state.session.council);
    replace(head, sessionHeading(state));
  });
  state.watch(['speakers', 'vote', 'agenda'], () => {
    const current = state.slices.vote?.current;
    replace(
      now,
      h('h2', { id: 'now-heading', text: t('speakers.now') }),
      speakerNow(state.slices.speakers?.current, { big: true }),
      current
        ? h('p', { class: 'notice', 'data-testid': 'public-vote', text: t('vote.inProgress', { title: current.title, ballot: labelFor('motion.ballot', current.ballot_type) }) })
        : null,
    );
  });
  state.watch(['vote'], () => replace(results, h('h2', { id: 'results-heading', text: t('vote.results') }), resultsList(state.slices.vote)));
  state.watch(['agenda'], () => replace(agenda, h('h2', { id: 'agenda-heading', text: t('agenda.heading') }), agendaList(state)));
  state.watch(['agenda', 'presentation'], () => {
    const shown = state.slices.presentation;
    viewer.relabel();
    viewer.show(shown?.document_id ? shown : null, shown?.page ?? 1);
    replace(documents, h('h2', { id: 'documents-heading', text: t('doc.public') }), viewer.root, documentsView(state));
  });
  replace(root, h('div', { class: 'public-grid' }, h('div', { class: 'public-main' }, player.root, head, documents), h('div', { class: 'public-side' }, now, results, agenda)));
}

runApp({ namespace: '/public', signIn: false }, async ({ live }) => {
  const slot = $('[data-slot="public-status"]');
  const archiveSlot = $('[data-slot="archive"]');
  const sessionId = param('session');
  const archiveId = param('archive');
  if (archiveId !== null) {
    $('[data-slot="intro"]').hidden = true;
    await showArchivedSession(archiveSlot, archiveId);
    return;
  }
  const council = param('council');
  if (council !== null) await showArchiveList(archiveSlot, council);
  let failure = null;
  const render = () => {
    if (sessionId === null) slot.textContent = t('public.howto');
    else if (failure) slot.textContent = t('session.notFollowing', { message: failure.message });
  };
  onLanguageChange(render);
  render();
  if (sessionId === null) return;
  const state = new SessionState(live);
  const root = $('[data-slot="live"]');
  startClocks(live);
  build(state, root);
  try {
    await live.join(sessionId);
  } catch (error) {
    failure = error;
    render();
    return;
  }
  $('[data-slot="intro"]').hidden = true;
  root.hidden = false;
  if (council === null) await showArchiveList(archiveSlot, state.session.council.id);
});
