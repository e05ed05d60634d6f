// The signatures on signed minutes as a reader of the file would check them: who signed (the session's secretary,
// its chair, the council's seal), when by their own clock and by the timestamp server's, and whether each is valid,
// chains to a trusted certification authority, and was left untouched by what came after it.

import { h } from './dom.js';
import { formatDateTime, labelFor, t } from './i18n.js';

// "07/12/2026 15:30:12": the moment to the second, in the council's time zone.
const MOMENT = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

export function formatMoment(value, timeZone) {
  return formatDateTime(value, { timeZone, ...MOMENT });
}

function badge(good, text, testid) {
  return h('span', { class: ['badge', good ? 'badge-ok' : 'badge-closed'], 'data-testid': testid, 'data-good': String(good), text });
}

function signatureItem(signature, timeZone) {
  const stamped = signature.timestamp
    ? t(signature.timestamp_valid ? 'signature.timestamp' : 'signature.timestampInvalid', { at: formatMoment(signature.timestamp, timeZone) })
    : t('signature.noTimestamp');
  return h(
    'li',
    { class: 'signature-item', 'data-testid': 'signature', 'data-role': signature.role, 'data-state': signature.ok ? 'valid' : 'invalid' },
    h('p', { class: 'signature-who' }, h('strong', { text: labelFor('signature.role', signature.role) }), h('span', { text: ` — ${signature.signer || '?'}` })),
    h('p', { class: 'muted', text: t('signature.signedAt', { at: signature.signed_at ? formatMoment(signature.signed_at, timeZone) : '—', mode: labelFor('signature.mode', signature.mode) }) }),
    h('p', { class: 'muted', 'data-testid': 'signature-timestamp', text: stamped }),
    h(
      'p',
      { class: 'signature-checks' },
      badge(signature.ok, t(signature.ok ? 'signature.valid' : 'signature.invalid'), 'signature-valid'),
      badge(signature.trusted, t(signature.trusted ? 'signature.trusted' : 'signature.untrusted'), 'signature-trusted'),
      badge(signature.changed_after !== 'other', labelFor('signature.changed', signature.changed_after), 'signature-changed'),
    ),
    signature.problem ? h('p', { class: 'form-error', text: signature.problem }) : null,
  );
}

export function signatureList(signatures, timeZone) {
  if (!signatures.length) return h('p', { class: 'muted', 'data-testid': 'no-signatures', text: t('signature.none') });
  return h('ul', { class: 'signature-list', 'data-testid': 'signatures' }, signatures.map((signature) => signatureItem(signature, timeZone)));
}
