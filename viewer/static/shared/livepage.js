// The frame of the tablet and the chair console: the council's sessions to choose from, and once a session
// that is scheduled, live or paused is chosen, the live screen `build(state, root, {back})` in its place.

import { api } from './api.js';
import { startClocks } from './clock.js';
import { askToConfirm } from './confirm.js';
import { $, h, isInactive, replace, setInactive } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { SessionBrowser } from './sessions.js';
import { showCouncilName, showSessionRole } from './shell.js';
import { SessionState } from './state.js';

export const FOLLOWED = ['scheduled', 'live', 'paused'];

export async function startLivePage({ user, live }, build) {
  const browse = $('[data-slot="browse"]');
  const root = $('[data-slot="live"]');
  const follow = $('[data-slot="follow"]');
  if (user.council_id === null) {
    const explain = () => replace($('[data-slot="sessions"]'), h('p', { class: 'notice', text: t('council.missing') }));
    onLanguageChange(explain);
    explain();
    return;
  }
  const state = new SessionState(live);
  startClocks(live);
  let built = false;
  const show = (liveView) => {
    browse.hidden = liveView;
    root.hidden = !liveView;
    document.body.classList.toggle('live-view', liveView);
    showSessionRole(liveView ? (live.me?.capacities ?? []) : null);
  };
  live.addEventListener('resync-failed', (event) => {
    follow.hidden = false;
    follow.textContent = t('session.notFollowing', { message: event.detail.message });
  });
  const onOpen = async (session) => {
    follow.hidden = true;
    if (!FOLLOWED.includes(session.status)) return;
    try {
      await live.join(session.id);
    } catch (error) {
      follow.hidden = false;
      follow.classList.add('follow-error');
      follow.textContent = t('session.notFollowing', { message: error.message });
      return;
    }
    if (!built) {
      state.alert = h('p', { class: 'live-alert', role: 'alert', 'data-testid': 'live-alert' });
      const content = h('div', { class: 'live-content' });
      replace(root, state.alert, content);
      build(state, content, { back: () => show(false) });
      built = true;
    }
    show(true);
  };
  const council = await api.get(`/api/councils/${user.council_id}`);
  showCouncilName(council);
  await new SessionBrowser({ list: $('[data-slot="sessions"]'), detail: $('[data-slot="session"]'), timeZone: council.timezone, onOpen }).load(council.id);
}

// Sends a live command; a refusal is shown in the live screen's alert line (and rethrown).
export async function sendCommand(state, command, payload = {}) {
  try {
    const ack = await state.live.command(command, payload);
    state.alert.textContent = '';
    return ack;
  } catch (error) {
    state.alert.textContent = error.message;
    throw error;
  }
}

// A button that sends a live command and shows the server's refusal in the live screen's alert line. While the
// command is on its way the button is inactive, yet keeps the focus; `data-focus-key` lets keepFocus() find it again
// after a re-render. `confirm` (the options of askToConfirm) makes it an irreversible step: the person confirms in a
// dialog first, and the command goes with `confirm: true`.
export function commandButton(state, { text, command, payload = {}, className = 'button', testid, label, after, confirm }) {
  return h('button', {
    type: 'button',
    class: className,
    text,
    'aria-label': label || false,
    'data-testid': testid || false,
    'data-focus-key': typeof payload === 'function' ? command : `${command} ${JSON.stringify(payload)}`,
    on: {
      click: async (event) => {
        const button = event.currentTarget;
        if (isInactive(button)) return;
        const body = typeof payload === 'function' ? payload() : payload;
        if (confirm && !(await askToConfirm(typeof confirm === 'function' ? confirm() : confirm))) return;
        setInactive(button, true);
        try {
          await sendCommand(state, command, confirm ? { ...body, confirm: true } : body);
          after?.();
        } catch {
          // Already shown by sendCommand.
        } finally {
          setInactive(button, false);
        }
      },
    },
  });
}
