// The vote screen, drawn from the ballot the server sends with the motion (its shape, choices and labels come from
// `voting`; the tablet keeps no list of its own): big, unambiguous buttons for one choice (Tán thành / Không tán
// thành / Không biểu quyết), up to N candidates to pick in an election, or one row per official with a choice on
// each in a confidence vote or poll. Then a confirmation step, the countdown, and "your vote was recorded". The
// delegate may set the ballot aside to read the documents and come back to it from the action bar.

import { clock } from '../shared/clock.js';
import { h, replace } from '../shared/dom.js';
import { formatNumber, getLanguage, labelFor, t } from '../shared/i18n.js';
import { sendCommand } from '../shared/livepage.js';
import { ballotLabel } from '../shared/views.js';

function choiceText(choice) {
  return getLanguage() === 'en' ? choice.en : choice.vi;
}

// The filled-in ballot as a person reads it back.
function summary(motion, filled) {
  const ballot = motion.ballot;
  if (ballot.shape === 'pick') {
    return filled.length ? filled.map((key) => ballotLabel(ballot, key)).join(', ') : t('vote.blankBallot');
  }
  if (ballot.shape === 'rows') {
    return h('ul', { class: 'vote-summary' }, ballot.options.map((o) => h('li', {}, h('span', { text: o.name }), h('strong', { text: ballotLabel(ballot, filled[o.key]) }))));
  }
  return ballotLabel(ballot, filled);
}

export class VoteDialog {
  filled = null; // the ballot being filled in: a choice, a list of candidate keys, or {official key: choice}
  confirming = false;
  changing = false;
  sending = false;
  aside = false; // set aside by the delegate, who reads the documents meanwhile
  failure = '';
  shownMotion = null;

  constructor(state) {
    this.state = state;
    this.root = h('div', { class: 'vote-overlay', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'vote-title', 'data-testid': 'vote', hidden: true });
    state.watch(['vote', 'attendance'], () => this.render());
  }

  get motion() {
    return this.state.slices.vote?.current ?? null;
  }

  ownBallot(motion) {
    const ballot = this.state.me?.ballot;
    return ballot && ballot.motion_id === motion.motion_id ? ballot : null;
  }

  // A vote is waiting for this delegate: open, not voted yet (the action bar offers "Biểu quyết ngay").
  get waiting() {
    const motion = this.motion;
    return Boolean(motion && this.state.me?.member_id && !this.ownBallot(motion));
  }

  // Back from the action bar or the notice: the ballot again, its first choice focused.
  reopen() {
    this.aside = false;
    this.render();
    (this.root.querySelector('.vote-ballot button, .vote-ballot input') ?? this.root.querySelector('button'))?.focus();
  }

  #setAside() {
    this.aside = true;
    this.render();
    this.onAside?.();
  }

  async #cast(motion) {
    this.sending = true;
    this.render();
    try {
      await sendCommand(this.state, 'vote.cast', { motion_id: motion.motion_id, choice: this.filled });
      const choice = motion.ballot_type === 'secret' ? null : this.filled;
      this.state.live.me = { ...this.state.me, ballot: { motion_id: motion.motion_id, voted: true, choice } };
      this.confirming = false;
      this.changing = false;
      this.state.refresh();
    } catch (error) {
      this.state.alert.textContent = '';
      this.failure = error.message;
    } finally {
      this.sending = false;
      this.render();
    }
  }

  #choose(value) {
    this.failure = '';
    this.filled = value;
    this.render();
  }

  #single(motion) {
    const choices = motion.ballot.choices;
    return h(
      'div',
      { class: ['vote-choices', `vote-choices-${choices.length}`] },
      choices.map((choice) =>
        h('button', {
          type: 'button',
          class: ['vote-choice', `vote-${choice.value}`],
          'data-testid': `vote-${choice.value}`,
          text: choiceText(choice),
          on: {
            click: () => {
              this.filled = choice.value;
              this.confirming = true;
              this.render();
            },
          },
        }),
      ),
    );
  }

  #pick(motion) {
    const { options, max_picks: most } = motion.ballot;
    const picks = Array.isArray(this.filled) ? this.filled : [];
    const full = picks.length >= most;
    return [
      h('p', { class: 'vote-instruction', text: t('vote.electionHint', { seats: formatNumber(most) }) }),
      h(
        'div',
        { class: 'vote-choices vote-candidates' },
        options.map((option) => {
          const pressed = picks.includes(option.key);
          return h(
            'button',
            {
              type: 'button',
              class: 'vote-choice vote-candidate',
              'data-testid': `vote-candidate-${option.key}`,
              'aria-pressed': String(pressed),
              'aria-disabled': !pressed && full ? 'true' : false,
              on: {
                click: () => {
                  if (pressed) this.#choose(picks.filter((key) => key !== option.key));
                  else if (!full) this.#choose([...picks, option.key]);
                },
              },
            },
            h('span', { class: 'vote-candidate-name', text: option.name }),
            option.title ? h('span', { class: 'vote-candidate-title', text: option.title }) : null,
          );
        }),
      ),
      h('p', { class: 'vote-progress', role: 'status', 'data-testid': 'vote-picked', text: t('vote.picked', { count: formatNumber(picks.length), seats: formatNumber(most) }) }),
      this.#next(picks),
    ];
  }

  #rows(motion) {
    const { options, choices } = motion.ballot;
    const filled = this.filled && typeof this.filled === 'object' && !Array.isArray(this.filled) ? this.filled : {};
    const left = options.filter((o) => !filled[o.key]).length;
    return [
      h('p', { class: 'vote-instruction', text: t('vote.rowsHint') }),
      h(
        'div',
        { class: 'vote-rows' },
        options.map((option) =>
          h(
            'fieldset',
            { class: 'vote-row', 'data-testid': `vote-row-${option.key}` },
            h('legend', {}, h('span', { class: 'vote-row-name', text: option.name }), option.title ? h('span', { class: 'vote-row-title', text: option.title }) : null),
            h(
              'div',
              { class: 'vote-row-choices' },
              choices.map((choice) =>
                h(
                  'label',
                  { class: ['vote-row-choice', `vote-${choice.value}`] },
                  h('input', {
                    type: 'radio',
                    name: `official-${option.key}`,
                    value: choice.value,
                    checked: filled[option.key] === choice.value,
                    on: { change: () => this.#choose({ ...filled, [option.key]: choice.value }) },
                  }),
                  h('span', { text: choiceText(choice) }),
                ),
              ),
            ),
          ),
        ),
      ),
      h('p', { class: 'vote-progress', role: 'status', 'data-testid': 'vote-left', text: left ? t('vote.rowsLeft', { count: formatNumber(left) }) : t('vote.rowsDone') }),
      this.#next(filled, left > 0),
    ];
  }

  #next(filled, blocked = false) {
    return h('button', {
      type: 'button',
      class: 'button button-primary button-big',
      'data-testid': 'vote-next',
      text: t('vote.next'),
      disabled: blocked,
      on: {
        click: () => {
          this.filled = filled;
          this.confirming = true;
          this.render();
        },
      },
    });
  }

  #body(motion) {
    const state = this.state;
    const mine = this.ownBallot(motion);
    const attendance = state.slices.attendance?.[String(state.me?.member_id)];
    const present = attendance?.counts_as_present;
    if (!state.me?.member_id) return h('p', { class: 'vote-note', text: t('vote.notDelegate') });
    if (mine && !this.changing) {
      const choice = mine.choice === null || mine.choice === undefined ? null : summary(motion, mine.choice);
      return h(
        'div',
        { class: 'vote-recorded', 'data-testid': 'vote-recorded' },
        h('p', { class: 'vote-recorded-mark', 'aria-hidden': 'true', text: '✓' }),
        h('p', { class: 'vote-recorded-text', text: t('vote.recorded') }),
        choice === null ? null : h('div', { class: 'vote-recorded-choice', 'data-testid': 'vote-mine' }, t('vote.yourChoice', { choice: '' }), choice),
        motion.allow_change && motion.ballot_type !== 'secret'
          ? h('button', { type: 'button', class: 'button', text: t('vote.change'), on: { click: () => { this.changing = true; this.filled = null; this.render(); } } })
          : null,
      );
    }
    if (!present && attendance?.checked_in_at && attendance.checked_in_at >= attendance.at) {
      return h('p', { class: 'vote-note', 'data-testid': 'vote-waiting', text: t('vote.waitingPresence') });
    }
    if (!present) {
      return h(
        'div',
        { class: 'vote-note' },
        h('p', { text: t('vote.checkInFirst') }),
        h('button', { type: 'button', class: 'button button-primary button-big', text: t('checkin.button'), on: { click: () => sendCommand(state, 'checkin').catch(() => {}) } }),
      );
    }
    if (this.confirming) {
      return h(
        'div',
        { class: 'vote-confirm', 'data-testid': 'vote-confirm' },
        h('p', { class: 'vote-confirm-question', text: t('vote.confirmQuestion') }),
        h('div', { class: ['vote-confirm-choice', motion.ballot.shape === 'single' ? `vote-${this.filled}` : 'vote-confirm-list'], 'data-testid': 'vote-confirm-choice' }, summary(motion, this.filled)),
        h(
          'div',
          { class: 'vote-confirm-actions' },
          h('button', { type: 'button', class: 'button button-big', text: t('vote.back'), disabled: this.sending, on: { click: () => { this.confirming = false; this.render(); } } }),
          h('button', { type: 'button', class: 'button button-primary button-big', 'data-testid': 'vote-submit', text: t('vote.submit'), disabled: this.sending, on: { click: () => this.#cast(motion) } }),
        ),
      );
    }
    const shape = motion.ballot.shape;
    if (shape === 'pick') return h('div', { class: 'vote-ballot' }, this.#pick(motion));
    if (shape === 'rows') return h('div', { class: 'vote-ballot' }, this.#rows(motion));
    return h('div', { class: 'vote-ballot' }, h('p', { class: 'vote-instruction', text: t('vote.instruction') }), this.#single(motion));
  }

  render() {
    const motion = this.motion;
    if (motion?.motion_id !== this.shownMotion) {
      this.shownMotion = motion?.motion_id ?? null;
      this.filled = null;
      this.confirming = false;
      this.changing = false;
      this.aside = false;
      this.failure = '';
    }
    this.root.hidden = !motion || this.aside;
    if (!motion) {
      replace(this.root);
      return;
    }
    replace(
      this.root,
      h(
        'div',
        { class: 'vote-card' },
        h(
          'header',
          { class: 'vote-head' },
          h('p', { class: 'section-label', text: `${t('vote.open')} · ${labelFor('motion.ballot', motion.ballot_type)}` }),
          motion.deadline ? clock(motion.deadline, { label: t('vote.timeLeft'), className: 'vote-clock', testid: 'vote-clock' }) : null,
          h('button', { type: 'button', class: 'button button-quiet', 'data-testid': 'vote-aside', text: t(this.ownBallot(motion) ? 'vote.hide' : 'vote.aside'), on: { click: () => this.#setAside() } }),
        ),
        h('h2', { id: 'vote-title', class: 'vote-title', text: motion.title }),
        this.#body(motion),
        h('p', { class: 'form-error', role: 'alert', text: this.failure }),
      ),
    );
  }
}
