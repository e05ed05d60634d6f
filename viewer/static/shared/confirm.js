// The second step of an irreversible action (closing the session or a vote, approving the minutes, a new stream key,
// signing a tablet out): a modal dialog that says what will happen, with "Hủy" focused first so that a stray Enter
// does nothing, the action named on its own button, and Escape to back out. `describe()` writes what will happen and
// runs again whenever `watch(render)` calls it (a vote's count changes while the chair reads it); it returns null
// when there is nothing left to confirm (the vote closed by itself), which closes the dialog as a refusal.
// Resolves true when the person confirms. The focus goes back where it was, or to its re-rendered twin.

import { h, replace } from './dom.js';
import { t } from './i18n.js';

let counter = 0;

export function askToConfirm({ title, describe, confirmText, tone = 'danger', watch = null }) {
  counter += 1;
  const ids = { title: `confirm-title-${counter}`, text: `confirm-text-${counter}` };
  const opener = document.activeElement;
  const openerKey = opener?.dataset?.focusKey;
  const text = h('div', { class: 'confirm-text', id: ids.text });
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'confirm-cancel', text: t('confirm.cancel') });
  const go = h('button', {
    type: 'button',
    class: ['button', tone === 'danger' ? 'button-danger' : 'button-primary'],
    'data-testid': 'confirm-go',
    text: confirmText,
  });
  const dialog = h(
    'dialog',
    { class: 'panel confirm', role: 'alertdialog', 'aria-labelledby': ids.title, 'aria-describedby': ids.text, 'data-testid': 'confirm' },
    h('h2', { id: ids.title, class: 'confirm-title', text: title }),
    text,
    h('div', { class: 'form-actions confirm-actions' }, cancel, go),
  );
  return new Promise((resolve) => {
    let stop = null;
    let done = false;
    const close = (answer) => {
      if (done) return;
      done = true;
      stop?.();
      dialog.close();
      dialog.remove();
      const back = opener?.isConnected ? opener : openerKey && [...document.querySelectorAll('[data-focus-key]')].find((e) => e.dataset.focusKey === openerKey);
      back?.focus?.({ preventScroll: true });
      resolve(answer);
    };
    const render = () => {
      const nodes = describe();
      if (nodes === null) close(false);
      else replace(text, nodes);
    };
    cancel.addEventListener('click', () => close(false));
    go.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    render();
    if (done) return;
    stop = watch ? watch(render) : null;
    dialog.showModal();
    cancel.focus();
  });
}
