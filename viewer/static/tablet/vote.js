// The vote screen: big, unambiguous buttons (Tán thành / Không tán thành / Không biểu quyết, or the options of
// the kind of vote), a confirmation step, the countdown, and "your vote was recorded".

import { clock } from '../shared/clock.js';
import { h, replace } from '../shared/dom.js';
import { formatNumber, labelFor, t } from '../shared/i18n.js';
import { sendCommand } from '../shared/livepage.js';
import { choiceLabel } from '../shared/views.js';

const OPTIONS = {
  confidence_vote: ['confidence', 'no_confidence'],
  confidence_poll: ['high', 'medium', 'low'],
};
const YES_NO_ABSTAIN = ['yes', 'no', 'abstain'];

function optionsOf(motion) {
  if (motion.kind === 'election') return motion.options.map((option) => ({ key: String(option.key), label: option.name }));
  return (OPTIONS[motion.kind] ?? YES_NO_ABSTAIN).map((key) => ({ key, label: choiceLabel(key) }));
}

function labelOf(motion, choice) {
  if (Array.isArray(choice)) return choice.map((key) => labelOf(motion, key)).join(', ');
  return optionsOf(motion).find((option) => option.key === choice)?.label ?? choice;
}

export function voteDialog(state) {
  const dialog = h('div', { class: 'vote-overlay', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'vote-title', 'data-testid': 'vote', hidden: true });
  let pick = null; // the choice waiting for confirmation
  let picks = []; // an election ballot being filled in
  let changing = false;
  let sending = false;
  let failure = '';

  const ownBallot = (motion) => {
    const ballot = state.me?.ballot;
    return ballot && ballot.motion_id === motion.motion_id ? ballot : null;
  };

  const cast = async (motion, choice) => {
    sending = true;
    render();
    try {
      await sendCommand(state, 'vote.cast', { motion_id: motion.motion_id, choice });
      state.live.me = { ...state.me, ballot: { motion_id: motion.motion_id, voted: true, choice: motion.ballot_type === 'secret' ? null : choice } };
      pick = null;
      changing = false;
    } catch (error) {
      state.alert.textContent = '';
      failure = error.message;
    } finally {
      sending = false;
      render();
    }
  };

  const choiceButtons = (motion) =>
    h(
      'div',
      { class: ['vote-choices', `vote-choices-${optionsOf(motion).length}`] },
      optionsOf(motion).map((option) =>
        h('button', {
          type: 'button',
          class: ['vote-choice', `vote-${option.key}`],
          'data-testid': `vote-${option.key}`,
          text: option.label,
          on: {
            click: () => {
              failure = '';
              if (motion.kind === 'election') {
                picks = picks.includes(option.key) ? picks.filter((key) => key !== option.key) : [...picks, option.key].slice(-motion.seats);
              } else {
                pick = option.key;
              }
              render();
            },
          },
          'aria-pressed': motion.kind === 'election' ? String(picks.includes(option.key)) : false,
        }),
      ),
    );

  const body = (motion) => {
    const mine = ownBallot(motion);
    const present = state.slices.attendance?.[String(state.me?.member_id)]?.status === 'present';
    if (!state.me?.member_id) return h('p', { class: 'vote-note', text: t('vote.notDelegate') });
    if (mine && !changing) {
      return h(
        'div',
        { class: 'vote-recorded', 'data-testid': 'vote-recorded' },
        h('p', { class: 'vote-recorded-mark', 'aria-hidden': 'true', text: '✓' }),
        h('p', { class: 'vote-recorded-text', text: t('vote.recorded') }),
        mine.choice ? h('p', { class: 'vote-recorded-choice', 'data-testid': 'vote-mine', text: t('vote.yourChoice', { choice: labelOf(motion, motion.kind === 'election' ? mine.choice.split(',') : mine.choice) }) }) : null,
        motion.allow_change && motion.ballot_type !== 'secret'
          ? h('button', { type: 'button', class: 'button', text: t('vote.change'), on: { click: () => { changing = true; render(); } } })
          : null,
      );
    }
    if (!present) {
      return h(
        'div',
        { class: 'vote-note' },
        h('p', { text: t('vote.checkInFirst') }),
        h('button', {
          type: 'button',
          class: 'button button-primary button-big',
          text: t('checkin.button'),
          on: { click: () => sendCommand(state, 'checkin').catch(() => {}) },
        }),
      );
    }
    if (pick !== null) {
      const choice = motion.kind === 'election' ? picks : pick;
      return h(
        'div',
        { class: 'vote-confirm', 'data-testid': 'vote-confirm' },
        h('p', { class: 'vote-confirm-question', text: t('vote.confirmQuestion') }),
        h('p', { class: ['vote-confirm-choice', `vote-${pick}`], 'data-testid': 'vote-confirm-choice', text: labelOf(motion, choice) }),
        h(
          'div',
          { class: 'vote-confirm-actions' },
          h('button', { type: 'button', class: 'button button-big', text: t('vote.back'), disabled: sending, on: { click: () => { pick = null; render(); } } }),
          h('button', { type: 'button', class: 'button button-primary button-big', 'data-testid': 'vote-submit', text: t('vote.submit'), disabled: sending, on: { click: () => cast(motion, choice) } }),
        ),
      );
    }
    return h(
      'div',
      {},
      h('p', { class: 'vote-instruction', text: motion.kind === 'election' ? t('vote.electionHint', { seats: formatNumber(motion.seats) }) : t('vote.instruction') }),
      choiceButtons(motion),
      motion.kind === 'election'
        ? h('button', { type: 'button', class: 'button button-primary button-big', text: t('vote.next'), disabled: !picks.length, on: { click: () => { pick = 'confirm'; render(); } } })
        : null,
    );
  };

  let shownMotion = null;
  const render = () => {
    const motion = state.slices.vote?.current ?? null;
    if (motion?.motion_id !== shownMotion) {
      shownMotion = motion?.motion_id ?? null;
      pick = null;
      picks = [];
      changing = false;
      failure = '';
    }
    dialog.hidden = !motion;
    if (!motion) {
      replace(dialog);
      return;
    }
    replace(
      dialog,
      h(
        'div',
        { class: 'vote-card' },
        h(
          'header',
          { class: 'vote-head' },
          h('p', { class: 'section-label', text: `${t('vote.open')} · ${labelFor('motion.ballot', motion.ballot_type)}` }),
          motion.deadline ? clock(motion.deadline, { label: t('vote.timeLeft'), className: 'vote-clock', testid: 'vote-clock' }) : null,
        ),
        h('h2', { id: 'vote-title', class: 'vote-title', text: motion.title }),
        body(motion),
        h('p', { class: 'form-error', role: 'alert', text: failure }),
      ),
    );
  };
  state.watch(['vote', 'attendance'], render);
  return dialog;
}
