// Countdowns from deadlines (the server stores deadlines, never running counters). A view renders
// `clock(deadline)`; one ticker for the page updates every such element four times a second by the server's
// clock, so a re-render never leaves a stale timer behind.

import { h } from './dom.js';
import { formatNumber } from './i18n.js';

// 420 → "07:00"; -5 → "−00:05" (overtime).
export function formatClock(seconds) {
  const sign = seconds < 0 ? '−' : '';
  const total = Math.abs(seconds);
  const pad = (value) => formatNumber(value, { minimumIntegerDigits: 2, useGrouping: false });
  return `${sign}${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

function secondsLeft(deadline, live) {
  return Math.ceil((Date.parse(deadline) - live.serverNow()) / 1000);
}

function update(element, live) {
  const left = secondsLeft(element.dataset.deadline, live);
  const text = formatClock(left);
  if (element.textContent !== text) element.textContent = text;
  element.classList.toggle('clock-overtime', left < 0);
  element.classList.toggle('clock-ending', left >= 0 && left <= 30);
}

// A countdown to `deadline` (ISO time); `label` names it for screen readers (which are not told every second).
export function clock(deadline, { label = '', className = '', testid = 'clock' } = {}) {
  return h('span', {
    class: ['clock', className],
    role: 'timer',
    'aria-live': 'off',
    'aria-label': label || false,
    'data-testid': testid,
    data: { deadline },
  });
}

export function startClocks(live) {
  const tick = () => {
    for (const element of document.querySelectorAll('[data-deadline]')) update(element, live);
  };
  new MutationObserver(tick).observe(document.body, { childList: true, subtree: true });
  window.setInterval(tick, 250);
}
