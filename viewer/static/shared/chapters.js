// A recorded session's video with its chapters, for the public archive and the office's review: choosing a
// chapter moves the video to the chapter's start and plays it.

import { h } from './dom.js';
import { t } from './i18n.js';

export function clock(seconds) {
  const whole = Math.floor(seconds);
  const pad = (value) => String(value).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}`;
}

// Captions of a recorded session (WebVTT, Vietnamese), shown by default.
export function captionsTrack(url) {
  return h('track', { kind: 'captions', srclang: 'vi', label: t('archive.captions'), src: url, default: true, 'data-testid': 'captions' });
}

// `video`: {url, poster_url}; `chapters`: [{start, title}] in seconds from the video's start.
export function chapteredVideo(video, chapters) {
  const player = h('video', {
    class: 'player-video',
    controls: true,
    preload: 'metadata',
    src: video.url,
    poster: video.poster_url || false,
    'data-testid': 'archive-video',
    'aria-label': t('archive.video'),
  });
  const items = chapters.map((chapter) =>
    h(
      'li',
      {},
      h('button', {
        type: 'button',
        class: 'chapter',
        text: `${clock(chapter.start)} ${chapter.title}`,
        on: {
          click: () => {
            player.currentTime = chapter.start;
            player.play().catch(() => {
              // Playing refused (no sound allowed yet, say): the video still shows the chapter's start.
            });
          },
        },
      }),
    ),
  );
  return [player, items.length ? [h('h3', { class: 'section-label', text: t('archive.chapters') }), h('ol', { class: 'chapters', 'data-testid': 'chapters' }, items)] : null];
}
