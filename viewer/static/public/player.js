// The livestream player. It follows the public stream slice ({status, hls_url?}) and just works:
// - it waits for the stream: a playlist that is not there yet (the camera starts after the page opened, or the
//   network dropped) is asked for again with a growing pause (1 s, 2 s, 4 s, then every 8 s), never a reload;
// - it shows where the stream is: LIVE, starting soon, interrupted, ended;
// - it starts by itself, muted (browsers allow only that), with a button to turn the sound on;
// - the viewer can seek back within the live window, and a button takes them back to live;
// - Safari and iOS play HLS themselves; elsewhere hls.js, loaded only when there is a video to show.

import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

const HLS_MODULE = '/vendor/hls.js/hls.light.min.mjs';
const RETRY_MS = [1000, 2000, 4000, 8000];
const BEHIND_LIVE_S = 8;

// Safari and every iOS browser (all WebKit, vendor Apple) play HLS themselves, with the system's own live controls;
// other browsers that claim HLS support (Chromium on Android) do better with hls.js over Media Source Extensions.
function nativeHls(video) {
  const hlsType = video.canPlayType('application/vnd.apple.mpegurl') !== '';
  return hlsType && (navigator.vendor.startsWith('Apple') || !('MediaSource' in window || 'ManagedMediaSource' in window));
}

export class Player {
  url = null;
  status = 'off';
  #hls = null;
  #retries = 0;
  #timer = null;
  #playing = false;

  constructor() {
    this.video = h('video', {
      class: 'player-video',
      controls: true,
      muted: true,
      playsinline: true,
      preload: 'none',
      'data-testid': 'video',
      'aria-label': t('stream.video'),
    });
    this.video.muted = true;
    this.badge = h('span', { class: 'player-badge', 'data-testid': 'stream-badge' });
    this.unmute = h('button', {
      type: 'button',
      class: 'button player-unmute',
      'data-testid': 'unmute',
      hidden: true,
      on: { click: () => this.#unmute() },
    });
    this.toLive = h('button', {
      type: 'button',
      class: 'button button-quiet player-live',
      'data-testid': 'back-to-live',
      hidden: true,
      on: { click: () => this.#backToLive() },
    });
    this.note = h('p', { class: 'player-note', 'data-testid': 'stream-note', role: 'status' });
    this.stage = h('div', { class: 'player-stage', hidden: true }, this.video, h('div', { class: 'player-overlay' }, this.badge, this.unmute));
    this.root = h('div', { class: 'player', 'data-state': 'off' }, this.stage, this.note, this.toLive);
    this.video.addEventListener('playing', () => this.#onPlaying());
    this.video.addEventListener('volumechange', () => this.#render());
    this.video.addEventListener('timeupdate', () => this.#render());
    window.addEventListener('online', () => this.#retryNow());
    this.#render();
  }

  // `stream`: the public stream slice {status, hls_url?}.
  update(stream) {
    this.status = stream?.status ?? 'off';
    const url = ['live', 'paused', 'reconnecting'].includes(this.status) ? (stream.hls_url ?? null) : null;
    if (url !== this.url) {
      this.url = url;
      this.#stop();
      if (url) this.#start();
    }
    this.#render();
  }

  relabel() {
    this.video.setAttribute('aria-label', t('stream.video'));
    this.#render();
  }

  // What the viewer is told: the player's own state wins over the stream's while the picture is not moving yet.
  get state() {
    if (this.status === 'ended') return 'ended';
    if (!this.url) return this.status === 'off' ? 'off' : 'waiting';
    if (this.status === 'paused' || this.status === 'reconnecting') return 'paused';
    return this.#playing ? 'live' : 'starting';
  }

  #render() {
    const state = this.state;
    this.root.dataset.state = state;
    this.stage.hidden = !this.url;
    this.badge.textContent = t(`player.${state}`);
    this.badge.dataset.state = state;
    const note = state === 'live' ? '' : t(`player.note.${state}`);
    this.note.textContent = note;
    this.note.hidden = !note;
    this.unmute.textContent = t('player.unmute');
    this.unmute.hidden = !(this.#playing && this.video.muted);
    this.toLive.textContent = t('player.backToLive');
    this.toLive.hidden = !(this.#playing && this.#behind() > BEHIND_LIVE_S);
  }

  #behind() {
    const live = this.#hls?.liveSyncPosition ?? (this.video.seekable.length ? this.video.seekable.end(this.video.seekable.length - 1) : null);
    return live == null ? 0 : live - this.video.currentTime;
  }

  #backToLive() {
    const live = this.#hls?.liveSyncPosition ?? this.video.seekable.end(this.video.seekable.length - 1);
    this.video.currentTime = live;
    this.video.play().catch(() => {});
  }

  #unmute() {
    this.video.muted = false;
    this.video.play().catch(() => {});
  }

  #onPlaying() {
    this.#playing = true;
    this.#retries = 0;
    this.#render();
  }

  #stop() {
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#hls?.destroy();
    this.#hls = null;
    this.#playing = false;
    this.#retries = 0;
    this.video.removeAttribute('src');
    this.video.load();
  }

  async #start() {
    const url = this.url;
    if (nativeHls(this.video)) {
      this.video.addEventListener('error', () => this.#retryLater(url), { once: true });
      this.video.src = url;
      this.#play();
      return;
    }
    const { default: Hls } = await import(HLS_MODULE);
    if (url !== this.url || this.#hls) return;
    const hls = new Hls({ liveSyncDurationCount: 2, lowLatencyMode: false, backBufferLength: 90 });
    this.#hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => this.#play());
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
        return;
      }
      this.#retryLater(url);
    });
    hls.attachMedia(this.video);
    hls.loadSource(url);
  }

  // The playlist is not there yet, or the network dropped: ask again after a pause that grows, from scratch.
  #retryLater(url) {
    if (url !== this.url || this.#timer) return;
    this.#playing = false;
    this.#render();
    const pause = RETRY_MS[Math.min(this.#retries, RETRY_MS.length - 1)];
    this.#retries += 1;
    this.#timer = setTimeout(() => this.#restart(url), pause);
  }

  #retryNow() {
    if (this.#timer && this.url) {
      clearTimeout(this.#timer);
      this.#restart(this.url);
    }
  }

  #restart(url) {
    this.#timer = null;
    if (url !== this.url) return;
    const retries = this.#retries;
    this.#stop();
    this.#retries = retries;
    this.url = url;
    this.#start();
  }

  #play() {
    this.video.play().catch(() => {
      // Autoplay refused even muted (a data saver, say): the controls are there to start it.
    });
  }
}
