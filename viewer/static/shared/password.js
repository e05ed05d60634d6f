// Changing one's own password: the current one, then the new one twice. The server signs every other browser and
// tablet of the account out; this one stays signed in.

import { api } from './api.js';
import { h } from './dom.js';
import { field, form, value } from './forms.js';
import { t } from './i18n.js';

export function openPasswordDialog() {
  const done = h('p', { class: 'muted', role: 'status', 'data-testid': 'password-done' });
  const input = (name, autocomplete) => h('input', { type: 'password', name, autocomplete, required: true });
  const close = h('button', { type: 'button', class: 'button', text: t('pairing.close') });
  const change = form({
    testid: 'password-form',
    fields: [
      field(t('password.current'), input('current', 'current-password')),
      field(t('account.newPassword'), input('new', 'new-password')),
      field(t('password.again'), input('again', 'new-password')),
    ],
    submitText: t('password.change'),
    submit: async (element) => {
      done.textContent = '';
      if (value(element, 'new') !== value(element, 'again')) throw new Error(t('password.mismatch'));
      await api.post('/api/auth/password', { current_password: value(element, 'current'), new_password: value(element, 'new') }, { signIn: 'throw' });
      done.textContent = t('password.changed');
    },
  });
  const dialog = h(
    'dialog',
    { class: 'panel account', 'aria-labelledby': 'password-title', 'data-testid': 'password' },
    h('h2', { id: 'password-title', text: t('password.title') }),
    h('p', { class: 'muted', text: t('password.effect') }),
    change,
    done,
    h('div', { class: 'form-actions' }, close),
  );
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
