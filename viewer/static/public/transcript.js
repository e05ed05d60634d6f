// A published session's transcript on the public archive: captions on the video, and a search of what was said
// (with or without diacritics) whose hits play the video from where the words were spoken.

import { api } from '../shared/api.js';
import { captionsTrack, clock } from '../shared/chapters.js';
import { h, replace, setBusy } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

function hitList(hits, player) {
  if (!hits.length) return h('p', { class: 'empty', text: t('transcript.noHits') });
  const seek = (hit) => () => {
    player.currentTime = hit.start;
    player.play().catch(() => {
      // Playing refused (no sound allowed yet): the video still shows the moment.
    });
  };
  return [
    h('p', { class: 'muted', text: t('transcript.hits', { count: hits.length }) }),
    h(
      'ol',
      { class: 'transcript-hits', 'data-testid': 'transcript-hits' },
      hits.map((hit) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'transcript-line', on: { click: seek(hit) } },
            h('span', { class: 'transcript-time', text: clock(hit.start) }),
            h('span', { class: 'transcript-text' }, hit.speaker ? h('b', { text: `${hit.speaker}: ` }) : null, hit.text),
          ),
        ),
      ),
    ),
  ];
}

// Adds the captions and the search under the video in `slot` if staff published the session's transcript.
export async function attachTranscript(slot, sessionId) {
  const player = slot.querySelector('video');
  if (!player) return;
  const base = `/api/public/archive/${sessionId}`;
  try {
    await api.get(`${base}/transcript?q=`, { signIn: 'throw' });
  } catch {
    return;
  }
  player.append(captionsTrack(`${base}/captions.vtt`));
  const input = h('input', { type: 'search', name: 'q', maxlength: '200', id: 'transcript-query', placeholder: t('transcript.searchHint') });
  const button = h('button', { type: 'submit', class: 'button', text: t('transcript.searchButton') });
  const results = h('div', { class: 'transcript-results', role: 'status' });
  const form = h(
    'form',
    { class: 'transcript-search', role: 'search', 'data-testid': 'transcript-search' },
    h('label', { for: 'transcript-query', class: 'section-label', text: t('transcript.search') }),
    h('div', { class: 'copy-row' }, input, button),
    results,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    setBusy(button, true);
    try {
      replace(results, hitList(await api.get(`${base}/transcript?q=${encodeURIComponent(input.value)}`, { signIn: 'throw' }), player));
    } catch (error) {
      replace(results, h('p', { class: 'form-error', role: 'alert', text: error.message }));
    } finally {
      setBusy(button, false);
    }
  });
  const chapters = slot.querySelector('[data-testid="chapters"]');
  (chapters ?? player).after(form);
}
