// A document's pages on a touch screen: one page image sized to the screen, swipe or buttons to turn pages,
// pinch (or the zoom buttons, or a double tap) to zoom and drag to pan, and a strip of page thumbnails.
// Page images come from the server at the width the screen needs (GET …/pages/{n}?w=).

import { h, replace, setInactive } from './dom.js';
import { formatNumber, t } from './i18n.js';

const WIDTHS = [800, 1200, 1600, 2048];
const THUMB_WIDTH = 320;
const SWIPE_PX = 60;
const MAX_ZOOM = 4;

function pageUrl(base, documentId, page, width) {
  return `${base}/documents/${documentId}/pages/${page}?w=${width}`;
}

function widthFor(element) {
  const wanted = (element.clientWidth || 800) * (window.devicePixelRatio || 1);
  return WIDTHS.find((width) => width >= wanted) ?? WIDTHS[WIDTHS.length - 1];
}

export class PageViewer {
  document = null;
  page = 1;
  #zoom = 1;
  #pan = { x: 0, y: 0 };
  #pointers = new Map();
  #gesture = null;

  // `base`: '/api' for signed-in readers, '/api/public' for the public; `onTurn(page)` when the reader turns a
  // page (the tablet stops following the chair then); `tools`: extra controls for the toolbar.
  constructor({ base = '/api', onTurn = () => {}, tools = [], thumbnails = true } = {}) {
    this.base = base;
    this.onTurn = onTurn;
    this.thumbnails = thumbnails;
    this.image = h('img', { class: 'doc-page', alt: '', draggable: 'false', 'data-testid': 'doc-page' });
    this.stage = h('div', { class: 'doc-stage', 'data-testid': 'doc-stage' }, this.image);
    this.title = h('h3', { class: 'doc-title', 'data-testid': 'doc-title' });
    this.counter = h('p', { class: 'doc-counter', 'data-testid': 'doc-counter', 'aria-live': 'polite' });
    this.previous = this.#button('‹', 'doc.previous', () => this.turn(this.page - 1));
    this.next = this.#button('›', 'doc.next', () => this.turn(this.page + 1));
    this.zoomIn = this.#button('+', 'doc.zoomIn', () => this.#setZoom(this.#zoom * 1.5));
    this.zoomOut = this.#button('−', 'doc.zoomOut', () => this.#setZoom(this.#zoom / 1.5));
    this.strip = h('ol', { class: 'doc-thumbs', 'data-testid': 'doc-thumbs' });
    this.root = h(
      'section',
      { class: 'doc-viewer', 'aria-labelledby': 'doc-title' },
      h(
        'div',
        { class: 'doc-toolbar' },
        h('div', { class: 'doc-heading' }, this.title, this.counter),
        h('div', { class: 'doc-tools' }, tools, this.zoomOut, this.zoomIn, this.previous, this.next),
      ),
      this.stage,
      thumbnails ? h('nav', { class: 'doc-thumbs-wrap', 'aria-label': t('doc.thumbnails') }, this.strip) : null,
    );
    this.title.id = 'doc-title';
    this.#listen();
  }

  #button(symbol, key, action) {
    return h('button', {
      type: 'button',
      class: 'button button-quiet doc-button',
      text: symbol,
      'aria-label': t(key),
      title: t(key),
      data: { key },
      on: { click: action },
    });
  }

  // Show `page` of `document` ({document_id, title, page_count}); nothing happens if it is already shown.
  show(document, page) {
    const changedDocument = document?.document_id !== this.document?.document_id;
    if (!changedDocument && page === this.page) return;
    this.document = document;
    this.page = page;
    this.#setZoom(1);
    if (changedDocument) this.#renderStrip();
    this.#render();
  }

  turn(page) {
    if (!this.document || page < 1 || page > this.document.page_count || page === this.page) return;
    this.page = page;
    this.#setZoom(1);
    this.#render();
    this.onTurn(page);
  }

  relabel() {
    for (const button of this.root.querySelectorAll('.doc-button')) {
      button.setAttribute('aria-label', t(button.dataset.key));
      button.title = t(button.dataset.key);
    }
    this.#render();
    this.#renderStrip();
  }

  #render() {
    const doc = this.document;
    this.root.hidden = !doc;
    if (!doc) return;
    this.title.textContent = doc.title;
    this.counter.textContent = t('doc.pageOf', {
      page: formatNumber(this.page),
      count: formatNumber(doc.page_count),
    });
    this.image.src = pageUrl(this.base, doc.document_id, this.page, widthFor(this.stage));
    this.image.alt = t('doc.pageAlt', { title: doc.title, page: formatNumber(this.page) });
    setInactive(this.previous, this.page <= 1);
    setInactive(this.next, this.page >= doc.page_count);
    for (const thumb of this.strip.querySelectorAll('button')) {
      const current = Number(thumb.dataset.page) === this.page;
      thumb.toggleAttribute('aria-current', current);
      if (current) thumb.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    }
  }

  #renderStrip() {
    const doc = this.document;
    if (!this.thumbnails || !doc) return;
    const pages = Array.from({ length: doc.page_count }, (_, index) => index + 1);
    replace(
      this.strip,
      pages.map((page) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'doc-thumb',
              data: { page, focusKey: `page ${page}` },
              'aria-label': t('doc.goToPage', { page: formatNumber(page) }),
              on: { click: () => this.turn(page) },
            },
            h('img', { src: pageUrl(this.base, doc.document_id, page, THUMB_WIDTH), alt: '', loading: 'lazy' }),
            h('span', { text: formatNumber(page) }),
          ),
        ),
      ),
    );
  }

  #setZoom(zoom) {
    this.#zoom = Math.min(MAX_ZOOM, Math.max(1, zoom));
    if (this.#zoom === 1) this.#pan = { x: 0, y: 0 };
    this.image.style.transform = `translate(${this.#pan.x}px, ${this.#pan.y}px) scale(${this.#zoom})`;
    this.stage.classList.toggle('zoomed', this.#zoom > 1);
    setInactive(this.zoomOut, this.#zoom <= 1);
    setInactive(this.zoomIn, this.#zoom >= MAX_ZOOM);
  }

  // Touch: two fingers pinch, one finger pans a zoomed page or swipes to the next or previous one.
  #listen() {
    const stage = this.stage;
    stage.addEventListener('pointerdown', (event) => {
      stage.setPointerCapture(event.pointerId);
      this.#pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      this.#gesture = this.#startGesture();
    });
    stage.addEventListener('pointermove', (event) => {
      if (!this.#pointers.has(event.pointerId) || !this.#gesture) return;
      this.#pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      this.#moveGesture();
    });
    const end = (event) => {
      if (!this.#pointers.has(event.pointerId)) return;
      const gesture = this.#gesture;
      const point = this.#pointers.get(event.pointerId);
      this.#pointers.delete(event.pointerId);
      if (gesture?.kind === 'one' && this.#zoom === 1) {
        const dx = point.x - gesture.start.x;
        const dy = point.y - gesture.start.y;
        if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(dy)) this.turn(this.page + (dx < 0 ? 1 : -1));
      }
      this.#gesture = this.#pointers.size ? this.#startGesture() : null;
    };
    stage.addEventListener('pointerup', end);
    stage.addEventListener('pointercancel', end);
    stage.addEventListener('dblclick', () => this.#setZoom(this.#zoom > 1 ? 1 : 2));
  }

  #startGesture() {
    const points = [...this.#pointers.values()];
    if (points.length >= 2) {
      return { kind: 'pinch', distance: Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y), zoom: this.#zoom };
    }
    return { kind: 'one', start: { ...points[0] }, pan: { ...this.#pan } };
  }

  #moveGesture() {
    const points = [...this.#pointers.values()];
    const gesture = this.#gesture;
    if (gesture.kind === 'pinch' && points.length >= 2) {
      const distance = Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y);
      this.#setZoom(gesture.zoom * (distance / Math.max(1, gesture.distance)));
    } else if (gesture.kind === 'one' && this.#zoom > 1) {
      this.#pan = {
        x: gesture.pan.x + points[0].x - gesture.start.x,
        y: gesture.pan.y + points[0].y - gesture.start.y,
      };
      this.#setZoom(this.#zoom);
    }
  }
}
