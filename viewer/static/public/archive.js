// The public archive: a council's published sessions, and one of them with its video, chapters, vote results with
// their verdicts, the signed minutes with each signature's status, and the public documents.

import { api } from '../shared/api.js';
import { chapteredVideo } from '../shared/chapters.js';
import { h, replace } from '../shared/dom.js';
import { formatLocalDate, formatNumber, getLanguage, t } from '../shared/i18n.js';
import { signatureList } from '../shared/signatures.js';
import { checkRecord } from './record.js';
import { attachTranscript } from './transcript.js';

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

function archiveLink(session) {
  return h(
    'li',
    {},
    h('a', { class: 'archive-link', href: session.url, text: session.title }),
    session.opened_at ? h('span', { class: 'muted', 'data-testid': 'archive-date', text: ` · ${formatLocalDate(session.opened_at)}` }) : null,
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

function voteItem(vote) {
  const english = getLanguage() === 'en';
  const verdict = english ? vote.verdict_en : vote.verdict_vi;
  return h(
    'li',
    { class: 'result', id: `motion-${vote.motion_id}`, 'data-testid': 'archive-vote' },
    h('p', { class: 'result-title', text: vote.title }),
    h('p', { text: english ? vote.text_en : vote.text_vi }),
    verdict ? h('p', { class: ['verdict', vote.passed ? 'verdict-passed' : 'verdict-failed'], 'data-testid': 'verdict', text: `${verdict[0].toUpperCase()}${verdict.slice(1)}.` }) : null,
  );
}

// The voters' petitions taken up in the session, each with a button to its agenda item's part of the video.
function petitionsDiscussed(petitions, video) {
  if (!petitions.length) return null;
  const player = video?.[0];
  return [
    h('h3', { class: 'section-label', text: t('archive.petitions') }),
    h(
      'ul',
      { class: 'archive-petitions', 'data-testid': 'archive-petitions' },
      petitions.map((p) =>
        h(
          'li',
          {},
          h('a', { href: `/public/petitions/?council=${p.council_id}#petition-${p.id}`, text: p.content }),
          player && p.discussed?.start_ms != null
            ? h('button', {
                type: 'button',
                class: 'chapter',
                'data-testid': 'petition-chapter',
                text: t('archive.watchPetition', { item: p.discussed.agenda_title }),
                on: {
                  click: () => {
                    player.currentTime = p.discussed.start_ms / 1000;
                    player.play().catch(() => {});
                  },
                },
              })
            : null,
        ),
      ),
    ),
  ];
}

// "#t=754" in the page's address (a link from a petition) starts the video there (a media fragment).
function recordMessage(report) {
  const problem = report.problems[0];
  const seq = formatNumber(report.headSeq);
  if (!problem) {
    const counts = { events: formatNumber(report.events), votes: formatNumber(report.votes), seq };
    return t(report.anchored ? 'record.ok' : 'record.okUnanchored', counts);
  }
  if (problem.kind === 'content' || problem.kind === 'link') {
    return t('record.broken', { seq: formatNumber(problem.seq), type: problem.type ?? t('record.omittedType') });
  }
  if (problem.kind === 'jump') return t('record.jump', { seq: formatNumber(problem.seq), after: formatNumber(problem.after) });
  if (problem.kind === 'head') return t('record.headMismatch', { seq, hash: report.headHash, anchored: problem.anchored });
  if (problem.kind === 'format') return t('record.format');
  return t('record.tally', { seq: formatNumber(problem.seq), motion: formatNumber(problem.motion) });
}

// The record is fetched with the page, so the check needs no network once the page is shown.
function verifiableRecord(record) {
  const anchored = record.anchored_head;
  const loaded = fetch(record.url).then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))));
  loaded.catch(() => {});
  const result = h('p', { class: 'record-result', role: 'status', 'aria-live': 'polite', 'data-testid': 'integrity-result' });
  const show = async (text) => {
    result.className = 'record-result';
    result.textContent = t('record.checking');
    try {
      const report = { ...(await checkRecord(await text, anchored?.hash)), anchored: Boolean(anchored) };
      result.classList.add(report.ok ? 'record-ok' : 'record-broken');
      result.textContent = recordMessage(report);
    } catch {
      result.classList.add('record-broken');
      result.textContent = t('record.unavailable');
    }
  };
  const file = h('input', { type: 'file', accept: '.jsonl,application/jsonl,application/json', 'data-testid': 'record-file' });
  file.addEventListener('change', () => file.files[0] && show(file.files[0].text()));
  return [
    h('h3', { class: 'section-label', text: t('record.heading') }),
    anchored
      ? h('p', { class: 'record-head', 'data-testid': 'chain-head' }, t('record.head', { seq: formatNumber(anchored.seq) }), ' ', h('code', { text: anchored.hash }))
      : null,
    h(
      'p',
      { class: 'record-actions' },
      h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'check-integrity', text: t('record.check'), on: { click: () => show(loaded) } }),
      h('a', { class: 'button', href: record.url, download: '', 'data-testid': 'record-download', text: t('record.download') }),
    ),
    h('label', { class: 'record-file' }, t('record.file'), file),
    result,
  ];
}

function startingAt(video) {
  const start = /^#t=(\d+)$/.exec(window.location.hash)?.[1];
  return start ? { ...video, url: `${video.url}#t=${start}` } : video;
}

export async function showArchivedSession(slot, sessionId) {
  const [session, petitions] = await Promise.all([
    api.get(`/api/public/archive/${sessionId}`, { signIn: 'throw' }),
    api.get(`/api/public/sessions/${sessionId}/petitions`, { signIn: 'throw' }).catch(() => []),
  ]);
  const video = session.video ? chapteredVideo(startingAt(session.video), session.chapters) : null;
  slot.hidden = false;
  replace(
    slot,
    h('h2', { id: 'archive-heading', text: session.title }),
    h(
      'p',
      { class: 'facts' },
      h('span', { text: session.council_name }),
      session.opened_at ? h('span', { 'data-testid': 'archive-date', text: t('archive.date', { date: formatLocalDate(session.opened_at) }) }) : null,
      session.place ? h('span', { text: t('session.place', { place: session.place }) }) : null,
    ),
    video,
    petitionsDiscussed(petitions, video),
    session.votes.length
      ? [
          h('h3', { class: 'section-label', text: t('vote.results') }),
          h('ul', { class: 'results', 'data-testid': 'archive-votes' }, session.votes.map(voteItem)),
        ]
      : null,
    session.minutes
      ? [
          h('h3', { class: 'section-label', text: t('archive.signedMinutes') }),
          h('p', {}, h('a', { class: 'button', href: session.minutes.pdf_url, 'data-testid': 'minutes-pdf', text: t('archive.minutes') })),
          signatureList(session.minutes.signatures, TIME_ZONE),
        ]
      : null,
    session.record ? verifiableRecord(session.record) : null,
    session.documents.length
      ? [
          h('h3', { class: 'section-label', text: t('doc.public') }),
          h('ul', { class: 'doc-links' }, session.documents.map((d) => h('li', {}, h('a', { href: `/api/public/documents/${d.id}/file`, text: t('doc.choice', { title: d.title, count: formatNumber(d.page_count) }) })))),
        ]
      : null,
  );
  if (session.video) await attachTranscript(slot, sessionId);
  return session;
}
