// The livestream: hls.js over Media Source Extensions where the browser has them, else the browser's own HLS
// (Safari, iOS). Muted autoplay, as browsers allow; the viewer turns the sound on.

import Hls from '/vendor/hls.js/hls.mjs';
import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

export class Player {
  url = null;
  #hls = null;

  constructor() {
    this.video = h('video', { class: 'player-video', controls: true, muted: true, playsinline: true, 'data-testid': 'video', 'aria-label': t('stream.video') });
    this.video.muted = true;
    this.video.hidden = true;
    this.note = h('p', { class: 'player-note', 'data-testid': 'stream-note', role: 'status' });
    this.root = h('div', { class: 'player' }, this.video, this.note);
  }

  // `stream`: the public stream slice {status, hls_url?}.
  update(stream) {
    const status = stream?.status ?? 'off';
    const url = status === 'live' || status === 'paused' ? (stream.hls_url ?? null) : null;
    this.note.textContent = status === 'live' ? '' : t(`stream.public.${status}`);
    this.note.hidden = status === 'live';
    this.video.setAttribute('aria-label', t('stream.video'));
    if (url === this.url) return;
    this.url = url;
    this.#hls?.destroy();
    this.#hls = null;
    this.video.hidden = !url;
    if (!url) {
      this.video.removeAttribute('src');
      return;
    }
    if (Hls.isSupported()) {
      this.#hls = new Hls({ liveSyncDurationCount: 2, lowLatencyMode: false });
      this.#hls.loadSource(url);
      this.#hls.attachMedia(this.video);
      this.#hls.on(Hls.Events.MANIFEST_PARSED, () => this.#play());
    } else {
      this.video.src = url;
      this.video.addEventListener('loadedmetadata', () => this.#play(), { once: true });
    }
  }

  #play() {
    this.video.play().catch(() => {
      // Autoplay refused: the controls are there for the viewer to start it.
    });
  }
}
