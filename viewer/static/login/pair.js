// Signing a tablet in with a one-time code from the council office: typed into the pairing form, or carried by the
// address the office's QR code opens (/login/?pair=CODE), which pairs at once.

import { api } from '../shared/api.js';
import { homeFor } from '../shared/auth.js';
import { $, setBusy } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

// Returns whether the address carried a code (the page is then busy pairing, not waiting for a password).
export function setUpPairing() {
  const form = $('#pair-form');
  const input = $('#pair-code');
  const submit = $('button[type="submit"]', form);
  const error = $('#pair-error');

  function showError(message) {
    error.textContent = message;
    input.toggleAttribute('aria-invalid', Boolean(message));
    if (message) input.focus();
  }

  async function pair(code) {
    showError('');
    setBusy(submit, true);
    submit.textContent = t('login.pairing');
    try {
      const user = await api.post('/api/auth/pair', { code }, { signIn: 'throw' });
      // Replacing the page keeps the used code out of the tablet's history.
      window.location.replace(homeFor(user.role));
    } catch (failure) {
      showError(failure.message);
      setBusy(submit, false);
      submit.textContent = t('login.pairSubmit');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (code) pair(code);
    else showError(t('login.pairMissing'));
  });

  const fromAddress = new URLSearchParams(window.location.search).get('pair');
  if (!fromAddress) return false;
  input.value = fromAddress;
  pair(fromAddress);
  return true;
}
