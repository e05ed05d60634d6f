// Pairing a delegate's tablet: the office asks the server for a one-time code and shows it as a QR code and in
// large type, with the time it expires. The tablet scans the QR (or types the code on the sign-in page).

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';

function qrImage(svg) {
  const image = h('img', { class: 'pairing-qr', alt: t('pairing.qrAlt'), width: '280', height: '280' });
  // The server's SVG shown as an image, never parsed into the page; dom.js admits only http(s) sources.
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return image;
}

function pairingBody(pairing, timeZone) {
  const expiry = h('p', {
    class: 'pairing-expiry',
    'data-testid': 'pairing-expiry',
    text: t('pairing.expires', { time: formatDateTime(pairing.expires_at, { timeZone, hour: '2-digit', minute: '2-digit' }) }),
  });
  const code = h('p', { class: 'pairing-code', 'data-testid': 'pairing-code', text: pairing.code });
  const qr = qrImage(pairing.qr_svg);
  const wait = new Date(pairing.expires_at).getTime() - Date.now();
  const timer = window.setTimeout(() => {
    qr.hidden = true;
    code.classList.add('pairing-code-expired');
    expiry.textContent = t('pairing.expired');
  }, Math.max(wait, 0));
  return { nodes: [h('p', { class: 'muted', text: t('pairing.instructions') }), qr, code, expiry], timer };
}

function openDialog(account, timeZone) {
  const content = h('div', { class: 'pairing-content', 'aria-live': 'polite' });
  const newCode = h('button', { type: 'button', class: 'button', text: t('pairing.newCode') });
  const close = h('button', { type: 'button', class: 'button button-primary', text: t('pairing.close') });
  const dialog = h(
    'dialog',
    { class: 'panel pairing', 'aria-labelledby': 'pairing-title', 'data-testid': 'pairing' },
    h('h2', { id: 'pairing-title', text: t('pairing.title', { name: account.display_name }) }),
    content,
    h('div', { class: 'form-actions' }, newCode, close),
  );
  let timer = null;

  const load = async () => {
    window.clearTimeout(timer);
    newCode.disabled = true;
    replace(content, h('p', { class: 'loading', text: t('shell.loading') }));
    try {
      const shown = pairingBody(await api.post(`/api/users/${account.id}/pairing`), timeZone);
      timer = shown.timer;
      replace(content, shown.nodes);
    } catch (failure) {
      replace(content, h('p', { class: 'form-error', role: 'alert', text: failure.message }));
    } finally {
      newCode.disabled = false;
    }
  };

  newCode.addEventListener('click', load);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    window.clearTimeout(timer);
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
  load();
}

// The button in a delegate's row; `account` is the delegate's sign-in account.
export function pairButton(account, timeZone) {
  return h('button', {
    type: 'button',
    class: 'button button-quiet',
    'data-testid': 'pair-tablet',
    'aria-label': t('pairing.buttonFor', { name: account.display_name }),
    text: t('pairing.button'),
    on: { click: () => openDialog(account, timeZone) },
  });
}
