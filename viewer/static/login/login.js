// The sign-in form: POST /api/auth/login, then on to `next` or to the app of the account's role.
// A tablet signs in with a pairing code instead: see pair.js.

import { api } from '../shared/api.js';
import { homeFor, safeNext } from '../shared/auth.js';
import { $, replace, setBusy } from '../shared/dom.js';
import { languageSwitch, t, translatePage } from '../shared/i18n.js';
import { setUpPairing } from './pair.js';

const form = $('#login-form');
const username = $('#username');
const password = $('#password');
const submit = $('button[type="submit"]', form);
const error = $('#login-error');

function showError(message, field) {
  error.textContent = message;
  for (const input of [username, password]) input.toggleAttribute('aria-invalid', Boolean(message));
  field?.focus();
}

async function signIn(event) {
  event.preventDefault();
  const name = username.value.trim();
  if (!name || !password.value) {
    showError(t('login.missing'), name ? password : username);
    return;
  }
  showError('');
  setBusy(submit, true);
  submit.textContent = t('login.submitting');
  try {
    const user = await api.post('/api/auth/login', { username: name, password: password.value }, { signIn: 'throw' });
    const next = safeNext(new URLSearchParams(window.location.search).get('next'));
    window.location.assign(next ?? homeFor(user.role));
  } catch (failure) {
    password.value = '';
    showError(failure.message, password);
    setBusy(submit, false);
    submit.textContent = t('login.submit');
  }
}

translatePage();
replace($('[data-slot="language"]'), languageSwitch());
form.addEventListener('submit', signIn);
if (!setUpPairing()) username.focus();
