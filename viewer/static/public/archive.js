// The public archive: a council's published sessions, and one of them with its video, chapters, minutes,
// vote results and public documents.

import { api } from '../shared/api.js';
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

function clock(seconds) {
  const whole = Math.floor(seconds);
  const pad = (value) => String(value).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}`;
}

export async function showArchivedSession(slot, sessionId) {
  const session = await api.get(`/api/public/archive/${sessionId}`, { signIn: 'throw' });
  const video = session.video
    ? h('video', { class: 'player-video', controls: true, preload: 'metadata', src: session.video.url, poster: session.video.poster_url || false })
    : null;
  const chapters = session.chapters.map((chapter) =>
    h(
      'li',
      {},
      h('button', {
        type: 'button',
        class: 'chapter',
        text: `${clock(chapter.start)} ${chapter.title}`,
        on: {
          click: () => {
            video.currentTime = chapter.start;
            video.play().catch(() => {});
          },
        },
      }),
    ),
  );
  slot.hidden = false;
  replace(
    slot,
    h('h2', { id: 'archive-heading', text: session.title }),
    h('p', { class: 'facts' }, h('span', { text: session.council_name }), session.place ? h('span', { text: t('session.place', { place: session.place }) }) : null),
    video,
    chapters.length ? [h('h3', { class: 'section-label', text: t('archive.chapters') }), h('ol', { class: 'chapters' }, chapters)] : null,
    session.votes.length
      ? [
          h('h3', { class: 'section-label', text: t('vote.results') }),
          h('ul', { class: 'results' }, session.votes.map((vote) => h('li', { class: 'result' }, h('p', { class: 'result-title', text: vote.title }), h('p', { text: getLanguage() === 'en' ? vote.text_en : vote.text_vi })))),
        ]
      : null,
    session.minutes ? h('p', {}, h('a', { class: 'button', href: session.minutes.pdf_url, text: t('archive.minutes') })) : null,
    session.documents.length
      ? [
          h('h3', { class: 'section-label', text: t('doc.public') }),
          h('ul', { class: 'doc-links' }, session.documents.map((d) => h('li', {}, h('a', { href: `/api/public/documents/${d.id}/file`, text: t('doc.choice', { title: d.title, count: formatNumber(d.page_count) }) })))),
        ]
      : null,
  );
}
