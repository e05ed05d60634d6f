// Sharing a public session: its short address to post on Zalo or Facebook, the QR code that opens it, the A4
// poster with the council, the session and the QR for the hall's door, and the snippet a council's web portal
// pastes to show the session in an <iframe>. The staff console and the chair's console both show it.

import { api, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { failure } from './shell.js';

export function copyable(label, text, testid) {
  const input = h('input', { readonly: true, value: text, 'data-testid': testid, 'aria-label': label });
  return h(
    'div',
    { class: 'copy-field' },
    h('span', { class: 'field-label', text: label }),
    h(
      'div',
      { class: 'copy-row' },
      input,
      h('button', {
        type: 'button',
        class: 'button',
        text: t('stream.copy'),
        on: { click: () => navigator.clipboard?.writeText(text).catch(() => input.select()) },
      }),
    ),
  );
}

function qrImage(svg) {
  const image = h('img', { class: 'share-qr', alt: t('share.qrAlt'), width: '200', height: '200', 'data-testid': 'share-qr' });
  // The server's SVG shown as an image, never parsed into the page; dom.js admits only http(s) sources.
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return image;
}

function shareBody(link) {
  return [
    copyable(t('share.link'), link.url, 'share-url'),
    h(
      'div',
      { class: 'share-print' },
      qrImage(link.qr_svg),
      h('a', { class: 'button', href: link.poster_url, target: '_blank', rel: 'noopener', 'data-testid': 'share-poster', text: t('share.poster') }),
    ),
    copyable(t('share.embed'), link.embed_html, 'share-embed'),
    h('p', { class: 'muted', text: t('share.embedHint') }),
  ];
}

// A section that loads the session's public link the first time it is shown.
export function sharePanel(sessionId, headingLevel = 'h2') {
  const body = h('div', { class: 'share-body' });
  const section = h(
    'section',
    { class: 'panel share', 'aria-labelledby': `share-heading-${sessionId}`, 'data-testid': 'share' },
    h(headingLevel, { id: `share-heading-${sessionId}`, text: t('share.heading') }),
    body,
  );
  const load = async () => {
    try {
      replace(body, shareBody(await api.get(`/api/sessions/${sessionId}/public-link`)));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'closed') replace(body, h('p', { class: 'muted', text: t('share.closed') }));
      else replace(body, failure(error, load));
    }
  };
  load();
  return section;
}
