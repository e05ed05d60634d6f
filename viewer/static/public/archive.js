// The public archive: a council's published sessions, and one of them with its video, chapters, minutes,
// vote results and public documents.

import { api } from '../shared/api.js';
import { chapteredVideo } from '../shared/chapters.js';
import { h, replace } from '../shared/dom.js';
import { formatNumber, getLanguage, t } from '../shared/i18n.js';

function archiveLink(session) {
  return h(
    'li',
    {},
    h('a', { class: 'archive-link', href: `/public/?archive=${session.id}`, text: session.title }),
    session.opened_at ? h('span', { class: 'muted', text: ` · ${session.opened_at.slice(0, 10)}` }) : null,
  );
}

export async function showArchiveList(slot, councilId) {
  let sessions;
  try {
    sessions = await api.get(`/api/public/councils/${councilId}/archive`, { signIn: 'throw' });
  } catch {
    return;
  }
  slot.hidden = false;
  replace(
    slot,
    h('h2', { id: 'archive-heading', text: t('archive.heading') }),
    sessions.length ? h('ul', { class: 'archive-list', 'data-testid': 'archive-list' }, sessions.map(archiveLink)) : h('p', { class: 'empty', text: t('archive.none') }),
  );
}

export async function showArchivedSession(slot, sessionId) {
  const session = await api.get(`/api/public/archive/${sessionId}`, { signIn: 'throw' });
  slot.hidden = false;
  replace(
    slot,
    h('h2', { id: 'archive-heading', text: session.title }),
    h('p', { class: 'facts' }, h('span', { text: session.council_name }), session.place ? h('span', { text: t('session.place', { place: session.place }) }) : null),
    session.video ? chapteredVideo(session.video, session.chapters) : null,
    session.votes.length
      ? [
          h('h3', { class: 'section-label', text: t('vote.results') }),
          h('ul', { class: 'results', 'data-testid': 'archive-votes' }, session.votes.map((vote) => h('li', { class: 'result' }, h('p', { class: 'result-title', text: vote.title }), h('p', { text: getLanguage() === 'en' ? vote.text_en : vote.text_vi })))),
        ]
      : null,
    session.minutes ? h('p', {}, h('a', { class: 'button', href: session.minutes.pdf_url, 'data-testid': 'minutes-pdf', text: t('archive.minutes') })) : null,
    session.documents.length
      ? [
          h('h3', { class: 'section-label', text: t('doc.public') }),
          h('ul', { class: 'doc-links' }, session.documents.map((d) => h('li', {}, h('a', { href: `/api/public/documents/${d.id}/file`, text: t('doc.choice', { title: d.title, count: formatNumber(d.page_count) }) })))),
        ]
      : null,
  );
}
