// Signing approved minutes as the session's secretary or chair, each with their own certificate. Two ways:
// - a key on a token or HSM attached to the server: pick the key, type the PIN (it signs this once and is not kept);
// - a USB token on the signer's own PC, through their CA's signing tool: HopSo checks the certificate and prepares
//   the PDF, shows what to sign (the document's SHA-256 digest, or the CMS signed attributes), and embeds the
//   signature the tool returns once it covers exactly the prepared document.

import { api } from './api.js';
import { h, replace, setBusy } from './dom.js';
import { field, select } from './forms.js';
import { formatDateTime, labelFor, t } from './i18n.js';

function errorLine() {
  return h('p', { class: 'form-error', role: 'alert' });
}

// Runs `action` with `button` busy; a refusal's message goes to `error`.
async function attempt(button, error, action) {
  error.textContent = '';
  setBusy(button, true);
  try {
    await action();
  } catch (failure) {
    error.textContent = failure.message;
  } finally {
    setBusy(button, false);
  }
}

function textArea(name, { rows = 4, placeholder = '' } = {}) {
  return h('textarea', { name, rows: String(rows), spellcheck: 'false', autocomplete: 'off', placeholder, class: 'mono' });
}

function bytesOf(base64) {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function downloadLink(base64, name, label) {
  const link = h('a', { class: 'button button-quiet', download: name, text: label });
  // A blob: URL of bytes made here, which the markup helper's http(s)-only rule for data URLs does not cover.
  link.href = URL.createObjectURL(new Blob([bytesOf(base64)], { type: 'application/octet-stream' }));
  return link;
}

function copyable(label, text, testid) {
  const box = h('input', { type: 'text', readonly: true, value: text, class: 'mono', 'data-testid': testid });
  const copy = h('button', {
    type: 'button',
    class: 'button button-quiet',
    text: t('signing.copy'),
    on: { click: () => navigator.clipboard?.writeText(text) },
  });
  return h('div', { class: 'field' }, h('label', { text: label }), h('div', { class: 'field-inline' }, box, copy));
}

async function fileAsBase64(input) {
  const file = input.files?.[0];
  if (!file) return '';
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function tokenForm(base, timeZone, onSigned) {
  const slot = h('div', { class: 'signing-token', 'data-testid': 'signing-token' }, h('p', { class: 'muted', text: t('signing.loadingTokens') }));
  (async () => {
    let tokens;
    try {
      tokens = await api.get(`${base}/signing/tokens`);
    } catch (failure) {
      replace(slot, h('p', { class: 'form-error', role: 'alert', text: failure.message }));
      return;
    }
    if (!tokens.length) {
      replace(slot, h('p', { class: 'notice notice-warn', text: t('signing.noTokens') }));
      return;
    }
    const keyChoices = (token) =>
      token.keys.map((key) => [key.label, t('signing.keyChoice', { label: key.label, signer: key.signer, until: formatDateTime(key.not_after, { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }) })]);
    const tokenSelect = select('token', tokens.map((token) => [token.label, `${token.label} (${token.manufacturer} ${token.model})`.trim()]), tokens[0].label);
    const keySelect = select('key', keyChoices(tokens[0]), tokens[0].keys[0]?.label);
    tokenSelect.addEventListener('change', () => {
      const token = tokens.find((item) => item.label === tokenSelect.value);
      replace(keySelect, keyChoices(token).map(([value, text]) => h('option', { value, text })));
    });
    const pin = h('input', { type: 'password', name: 'pin', autocomplete: 'off', inputmode: 'numeric', required: true, 'data-testid': 'signing-pin' });
    const error = errorLine();
    const button = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'sign-token', text: t('signing.signWithToken') });
    const element = h(
      'form',
      { class: 'setup-form', novalidate: true },
      field(t('signing.token'), tokenSelect),
      field(t('signing.key'), keySelect),
      field(t('signing.pin'), pin),
      h('p', { class: 'muted', text: t('signing.pinHint') }),
      h('div', { class: 'form-actions' }, button),
      error,
    );
    element.addEventListener('submit', (event) => {
      event.preventDefault();
      attempt(button, error, async () => {
        const body = { token_label: tokenSelect.value, key_label: keySelect.value, pin: pin.value };
        pin.value = '';
        onSigned(await api.post(`${base}/sign/token`, body));
      });
    });
    replace(slot, element);
  })();
  return slot;
}

function externalForm(base, onSigned) {
  const certificate = textArea('certificate', { rows: 5, placeholder: '-----BEGIN CERTIFICATE-----' });
  const chain = textArea('chain', { rows: 3 });
  const error = errorLine();
  const button = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'sign-prepare', text: t('signing.prepare') });
  const returned = h('div', { 'data-testid': 'signing-returned' });
  const prepare = h(
    'form',
    { class: 'setup-form', novalidate: true },
    h('p', { class: 'muted', text: t('signing.externalHint') }),
    field(t('signing.certificate'), certificate),
    field(t('signing.chain'), chain),
    h('div', { class: 'form-actions' }, button),
    error,
  );
  prepare.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(button, error, async () => {
      const chainParts = chain.value.split(/(?=-----BEGIN CERTIFICATE-----)/).map((part) => part.trim()).filter(Boolean);
      const prepared = await api.post(`${base}/sign/external/prepare`, { certificate: certificate.value, chain: chainParts });
      replace(returned, finishForm(base, prepared, onSigned));
    });
  });
  return h('div', { class: 'signing-external', 'data-testid': 'signing-external' }, prepare, returned);
}

function finishForm(base, prepared, onSigned) {
  const kind = select('kind', [['cms', t('signing.kindCms')], ['signature', t('signing.kindRaw')]], 'cms');
  const pasted = textArea('returned', { rows: 5 });
  const file = h('input', { type: 'file', name: 'file', accept: '.p7s,.p7b,.p7m,.sig,.der,.pem,.txt,.b64' });
  const error = errorLine();
  const button = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'sign-finish', text: t('signing.finish') });
  const element = h(
    'form',
    { class: 'setup-form', novalidate: true, 'data-testid': 'signing-finish' },
    h('h4', { class: 'section-label', text: t('signing.toSign') }),
    copyable(t('signing.digest'), prepared.digest, 'signing-digest'),
    copyable(t('signing.digestHex'), prepared.digest_hex, 'signing-digest-hex'),
    copyable(t('signing.signedAttributes'), prepared.signed_attributes, 'signing-attributes'),
    h(
      'p',
      { class: 'form-actions' },
      downloadLink(prepared.digest, 'bien-ban.sha256', t('signing.downloadDigest')),
      downloadLink(prepared.signed_attributes, 'thuoc-tinh-ky.der', t('signing.downloadAttributes')),
    ),
    field(t('signing.returnedKind'), kind),
    field(t('signing.returned'), pasted),
    field(t('signing.returnedFile'), file),
    h('div', { class: 'form-actions' }, button),
    error,
  );
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(button, error, async () => {
      const text = pasted.value.trim() || (await fileAsBase64(file));
      onSigned(await api.post(`${base}/sign/external/finish`, { [kind.value]: text }));
    });
  });
  return element;
}

// The panel for the person whose turn it is; `onSigned(minutes)` gets the minutes with the new signature.
export function signingPanel(minutes, timeZone, onSigned) {
  const base = `/api/sessions/${minutes.session_id}/minutes`;
  const { signing } = minutes;
  const modes = [...(signing.token_signing ? ['token'] : []), 'external'];
  const body = h('div', { class: 'signing-body' });
  const show = (mode) => replace(body, mode === 'token' ? tokenForm(base, timeZone, onSigned) : externalForm(base, onSigned));
  const choices = h(
    'fieldset',
    { class: 'signing-modes' },
    h('legend', { text: t('signing.how') }),
    modes.map((mode, index) =>
      h(
        'label',
        { class: 'field-check' },
        h('input', { type: 'radio', name: `signing-mode-${minutes.session_id}`, value: mode, checked: index === 0, 'data-testid': `signing-mode-${mode}`, on: { change: () => show(mode) } }),
        h('span', { text: t(`signing.mode.${mode}`) }),
      ),
    ),
  );
  show(modes[0]);
  return h(
    'section',
    { class: 'signing', 'data-testid': 'signing-panel' },
    h('h3', { class: 'section-label', text: t('signing.yourTurn', { role: labelFor('signature.role', signing.next_role) }) }),
    signing.timestamp ? h('p', { class: 'muted', text: t('signing.timestamped') }) : null,
    choices,
    body,
  );
}

// Where the signing stands, for anyone looking: who has signed, who is next.
export function signingState(minutes) {
  const { signing } = minutes;
  if (minutes.status === 'draft') return null;
  const text = signing.next_role
    ? t('signing.waiting', { role: labelFor('signature.role', signing.next_role), name: signing[signing.next_role] || '—' })
    : t('signing.complete');
  return h('p', { class: ['notice', signing.next_role ? 'notice-warn' : 'notice-ok'], 'data-testid': 'signing-state', text });
}
