// A delegate's sign-in account, as the office manages it: whether it may sign in (lock and unlock), a new password
// when the old one is lost or known to others, and the browsers and tablets signed in with it, each of which can be
// signed out at once (a lost tablet). Every step that takes access away asks first (confirm.js).

import { api } from '../shared/api.js';
import { askToConfirm } from '../shared/confirm.js';
import { h, replace } from '../shared/dom.js';
import { field, form, value } from '../shared/forms.js';
import { formatDateTime, t } from '../shared/i18n.js';

function deviceRow(account, device, timeZone, reload) {
  const when = (iso) => formatDateTime(iso, { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const name = device.label || t(device.kind === 'device' ? 'account.kindDevice' : 'account.kindBrowser');
  return h(
    'li',
    { class: 'account-device', 'data-testid': 'account-device' },
    h(
      'div',
      {},
      h('strong', { text: name }),
      h('span', { class: 'muted', text: t('account.deviceSince', { since: when(device.created_at), until: when(device.expires_at) }) }),
    ),
    h('button', {
      type: 'button',
      class: 'button button-quiet',
      'data-testid': 'account-revoke',
      'aria-label': t('account.revokeFor', { device: name }),
      text: t('account.revoke'),
      on: {
        click: async () => {
          const sure = await askToConfirm({
            title: t('account.revokeTitle', { device: name }),
            describe: () => h('p', { text: t('account.revokeText', { name: account.display_name, device: name }) }),
            confirmText: t('account.revoke'),
          });
          if (!sure) return;
          await api.delete(`/api/users/${account.id}/devices/${device.id}`);
          await reload();
        },
      },
    }),
  );
}

function openDialog(account, timeZone, onChange) {
  const status = h('p', { class: 'account-status', 'data-testid': 'account-status' });
  const devices = h('div', { class: 'account-devices', 'aria-live': 'polite' });
  const lock = h('button', { type: 'button', class: 'button', 'data-testid': 'account-lock' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const note = h('p', { class: 'muted', role: 'status', 'data-testid': 'account-note' });
  const close = h('button', { type: 'button', class: 'button button-primary', text: t('pairing.close') });

  const loadDevices = async () => {
    replace(devices, h('p', { class: 'loading', text: t('shell.loading') }));
    try {
      const found = await api.get(`/api/users/${account.id}/devices`);
      replace(
        devices,
        found.length
          ? h('ul', { class: 'account-device-list' }, found.map((device) => deviceRow(account, device, timeZone, loadDevices)))
          : h('p', { class: 'empty', text: t('account.noDevices') }),
      );
    } catch (failure) {
      replace(devices, h('p', { class: 'form-error', role: 'alert', text: failure.message }));
    }
  };

  const showStatus = () => {
    status.textContent = t(account.active ? 'account.active' : 'account.locked');
    status.classList.toggle('badge-ok', account.active);
    lock.textContent = t(account.active ? 'account.lock' : 'account.unlock');
    lock.classList.toggle('button-danger', account.active);
  };

  lock.addEventListener('click', async () => {
    problem.textContent = '';
    if (account.active) {
      const sure = await askToConfirm({
        title: t('account.lockTitle', { name: account.display_name }),
        describe: () => h('p', { text: t('account.lockText', { name: account.display_name }) }),
        confirmText: t('account.lock'),
      });
      if (!sure) return;
    }
    try {
      Object.assign(account, await api.post(`/api/users/${account.id}/${account.active ? 'deactivate' : 'reactivate'}`));
      showStatus();
      onChange(account);
      await loadDevices();
    } catch (failure) {
      problem.textContent = failure.message;
    }
  });

  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: '8', required: true });
  const reset = form({
    className: 'account-password',
    testid: 'account-password',
    fields: [field(t('account.newPassword'), password)],
    submitText: t('account.resetPassword'),
    submit: async (element) => {
      const sure = await askToConfirm({
        title: t('account.resetTitle', { name: account.display_name }),
        describe: () => h('p', { text: t('account.resetText', { name: account.display_name }) }),
        confirmText: t('account.resetPassword'),
      });
      if (!sure) return;
      await api.post(`/api/users/${account.id}/password`, { password: value(element, 'password') });
      note.textContent = t('account.passwordSet', { name: account.display_name });
      await loadDevices();
    },
  });

  const dialog = h(
    'dialog',
    { class: 'panel account', 'aria-labelledby': 'account-title', 'data-testid': 'account' },
    h('h2', { id: 'account-title', text: t('account.title', { name: account.display_name }) }),
    h('div', { class: 'account-head' }, status, lock),
    problem,
    h('h3', { text: t('account.devices') }),
    devices,
    h('h3', { text: t('account.password') }),
    reset,
    note,
    h('div', { class: 'form-actions' }, close),
  );
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  showStatus();
  dialog.showModal();
  loadDevices();
}

// The button in a delegate's row; `onChange(account)` hears that the account was locked or unlocked.
export function accountButton(account, timeZone, onChange) {
  return h('button', {
    type: 'button',
    class: ['button', 'button-quiet', account.active ? null : 'account-locked'],
    'data-testid': 'account-open',
    'aria-label': t('account.buttonFor', { name: account.display_name }),
    text: t(account.active ? 'account.button' : 'account.buttonLocked'),
    on: { click: () => openDialog(account, timeZone, onChange) },
  });
}
