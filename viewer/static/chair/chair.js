// The chair's console, one screen from 1024×768 up: the current and next agenda item with the session controls and
// the quorum across the top; the floor (who speaks, the timer, the queue) on the left; the vote in progress, then the
// agenda and the attendance in tabs, in the middle; the document shown on every tablet on the right. Each panel
// scrolls inside itself, so nothing the chair needs during a vote is below the fold. Every control is a button (the
// console works from the keyboard; PageUp and PageDown turn the shown page); closing the session or a vote asks
// first and says what will happen. After "Bế mạc" every control locks and the console says why. Live updates
// re-render the panels without losing the keyboard focus, and a status line tells a screen reader the vote count,
// the result and who has the floor.

import { h, keepFocus, replace } from '../shared/dom.js';
import { formatDateTime, formatNumber, labelFor, t } from '../shared/i18n.js';
import { commandButton, sendCommand, startLivePage } from '../shared/livepage.js';
import { clock } from '../shared/clock.js';
import { PageViewer } from '../shared/pages.js';
import { sharePanel } from '../shared/share.js';
import { runApp } from '../shared/shell.js';
import { agendaList, motionKindLabel, quorumView, resultCard, resultText, sessionHeading, speakerNow } from '../shared/views.js';

const ADD_KINDS = ['discussion', 'question', 'debate', 'point_of_order', 'explanation'];
const ENDED = ['ended', 'archived'];
const STATUSES = ['present', 'late', 'left_early', 'absent_with_reason', 'absent'];

const isEnded = (state) => ENDED.includes(state.session?.status);

function closeSessionConfirm() {
  return {
    title: t('chair.closeConfirmTitle'),
    describe: () => [h('p', { text: t('chair.closeConfirmText') })],
    confirmText: t('chair.closeConfirm'),
  };
}

function sessionControls(state) {
  const status = state.session.status;
  const button = (command, key, style, extra = {}) => commandButton(state, { text: t(key), command, className: ['button', style].join(' '), testid: command, ...extra });
  const close = button('session.close', 'chair.close', 'button-danger', { confirm: closeSessionConfirm });
  const controls = {
    draft: [button('session.open', 'chair.open', 'button-primary')],
    scheduled: [button('session.open', 'chair.open', 'button-primary')],
    live: [button('session.pause', 'chair.pause', ''), h('span', { class: 'controls-gap', 'aria-hidden': 'true' }), close],
    paused: [button('session.resume', 'chair.resume', 'button-primary'), h('span', { class: 'controls-gap', 'aria-hidden': 'true' }), close],
  };
  return h('div', { class: 'session-controls', role: 'group', 'aria-label': t('chair.controls') }, controls[status] ?? []);
}

function streamChip(stream) {
  const status = stream?.status ?? 'off';
  return h('span', { class: ['badge', status === 'live' ? 'badge-live' : 'badge'], 'data-testid': 'stream-status', text: `${t('stream.label')}: ${labelFor('stream.status', status)}` });
}

// After "Bế mạc": the console says that it is locked, and why, where the controls were.
function lockNotice(state) {
  if (!isEnded(state)) return null;
  return h('p', { class: 'notice notice-warn lock-notice', role: 'status', 'data-testid': 'locked', text: t('chair.locked') });
}

function speakersPanel(state) {
  const speakers = state.slices.speakers ?? { queue: [], current: null };
  const current = speakers.current;
  const queue = speakers.queue;
  const queueList = queue.length
    ? h(
        'ol',
        { class: 'queue', 'data-testid': 'queue' },
        queue.map((entry, index) =>
          h(
            'li',
            { class: 'queue-entry', data: { id: entry.id } },
            h('span', { class: 'queue-number', text: formatNumber(index + 1) }),
            h('div', { class: 'queue-who' }, h('p', { class: 'queue-name', text: entry.name }), h('p', { class: 'muted', text: labelFor('speech.kind', entry.kind) })),
            h(
              'div',
              { class: 'queue-actions' },
              commandButton(state, { text: t('speakers.grant'), command: 'speakers.grant', payload: { request_id: entry.id }, className: 'button button-primary', testid: 'grant', label: t('speakers.grantTo', { name: entry.name }) }),
              index > 0 ? commandButton(state, { text: '↑', command: 'speakers.reorder', payload: { request_id: entry.id, position: index }, className: 'button button-quiet', label: t('speakers.up', { name: entry.name }) }) : null,
              index < queue.length - 1 ? commandButton(state, { text: '↓', command: 'speakers.reorder', payload: { request_id: entry.id, position: index + 2 }, className: 'button button-quiet', label: t('speakers.down', { name: entry.name }) }) : null,
              commandButton(state, { text: '✕', command: 'speakers.remove', payload: { request_id: entry.id }, className: 'button button-quiet', label: t('speakers.remove', { name: entry.name }) }),
            ),
          ),
        ),
      )
    : h('p', { class: 'empty', text: t('speakers.queueEmpty') });
  return [
    h('h2', { id: 'speakers-heading', text: t('speakers.heading') }),
    speakerNow(current, { big: true }),
    current
      ? h(
          'div',
          { class: 'speaker-actions' },
          commandButton(state, { text: t('speakers.end'), command: 'speakers.end', className: 'button button-danger', testid: 'end-speech' }),
          commandButton(state, { text: t('speakers.extend', { minutes: formatNumber(1) }), command: 'speakers.extend', payload: { seconds: 60 }, className: 'button' }),
          commandButton(state, { text: t('speakers.extend', { minutes: formatNumber(3) }), command: 'speakers.extend', payload: { seconds: 180 }, className: 'button' }),
        )
      : null,
    h('h3', { class: 'section-label', text: t('speakers.queue', { count: formatNumber(queue.length) }) }),
    queueList,
    addSpeaker(state),
  ];
}

function addSpeaker(state) {
  const member = h(
    'select',
    { id: 'add-member', 'aria-label': t('speakers.addWho'), 'data-focus-key': 'add-member' },
    (state.slices.members ?? []).map((m) => h('option', { value: m.id, text: m.full_name })),
  );
  const kind = h('select', { id: 'add-kind', 'aria-label': t('speakers.kind'), 'data-focus-key': 'add-kind' }, ADD_KINDS.map((k) => h('option', { value: k, text: labelFor('speech.kind', k) })));
  return h(
    'details',
    { class: 'add-speaker', data: { key: 'add-speaker' } },
    h('summary', { text: t('speakers.add'), 'data-focus-key': 'add-speaker' }),
    h(
      'div',
      { class: 'add-speaker-form' },
      member,
      kind,
      commandButton(state, { text: t('speakers.addButton'), command: 'speakers.add', payload: () => ({ member_id: Number(member.value), kind: kind.value }), className: 'button' }),
    ),
  );
}

// How many delegates present have not voted yet, from the live count (the server counts exactly at the close).
function notVoted(state, current) {
  const present = state.slices.quorum?.present ?? 0;
  return { present, missing: Math.max(0, present - (current.cast_count ?? 0)) };
}

function closeVoteConfirm(state, motionId) {
  return () => ({
    title: t('vote.closeConfirmTitle'),
    describe: () => {
      const current = state.slices.vote?.current;
      if (!current || current.motion_id !== motionId) return null;
      const { present, missing } = notVoted(state, current);
      return [
        h('p', { class: 'confirm-subject', text: current.title }),
        h('p', { class: 'confirm-count', 'data-testid': 'confirm-count', text: t('vote.closeConfirmCount', { missing: formatNumber(missing), present: formatNumber(present) }) }),
        h('p', { text: t('vote.closeConfirmText') }),
      ];
    },
    confirmText: t('vote.close'),
    watch: (render) => state.watch(['vote', 'quorum'], render),
  });
}

function voteInProgress(state, current) {
  const { present, missing } = notVoted(state, current);
  return h(
    'div',
    { class: 'vote-live', 'data-testid': 'vote-live' },
    h(
      'div',
      { class: 'vote-live-head' },
      h('p', { class: 'section-label', text: labelFor('motion.ballot', current.ballot_type) }),
      h('p', { class: 'chip', text: motionKindLabel(current) }),
      current.deadline ? clock(current.deadline, { label: t('vote.timeLeft'), className: 'vote-live-clock', testid: 'vote-clock' }) : null,
    ),
    h('p', { class: 'vote-live-title', text: current.title }),
    h('p', { class: 'vote-count', 'data-testid': 'cast-count', text: t('vote.castCount', { cast: formatNumber(current.cast_count ?? 0), present: formatNumber(present) }) }),
    h('p', { class: missing ? 'vote-missing' : 'muted', 'data-testid': 'not-voted', text: t('vote.notVotedYet', { count: formatNumber(missing) }) }),
    commandButton(state, { text: t('vote.close'), command: 'vote.close', payload: { motion_id: current.motion_id }, className: 'button button-danger button-big', testid: 'vote-close', confirm: closeVoteConfirm(state, current.motion_id) }),
  );
}

function pendingMotions(state) {
  const pending = [];
  for (const item of state.items) for (const motion of item.motions) if (motion.status === 'pending') pending.push({ item, motion });
  const currentId = state.slices.agenda?.current_item_id;
  pending.sort((a, b) => Number(b.item.id === currentId) - Number(a.item.id === currentId));
  if (!pending.length) return h('p', { class: 'empty', text: t('vote.nonePending') });
  return h(
    'ul',
    { class: 'motion-controls' },
    pending.map(({ item, motion }) =>
      h(
        'li',
        { class: 'motion' },
        h('span', { class: 'motion-title', text: `${formatNumber(item.position)}. ${motion.title}` }),
        h('span', { class: 'chip', text: motionKindLabel(motion) }),
        commandButton(state, { text: t('vote.openButton'), command: 'vote.open', payload: { motion_id: motion.motion_id }, className: 'button button-primary', testid: 'vote-open', label: t('vote.openFor', { title: motion.title }) }),
      ),
    ),
  );
}

function votePanel(state) {
  const vote = state.slices.vote ?? { current: null, results: [] };
  const current = vote.current;
  const parts = [h('h2', { id: 'vote-heading', text: t('vote.heading') })];
  parts.push(current ? voteInProgress(state, current) : pendingMotions(state));
  if (!current && state.slices.agenda?.current_item_id && !isEnded(state)) parts.push(addProcedural(state));
  // During a vote the panel holds the vote alone, so that it fits; the last result comes back after the close.
  const last = vote.results[vote.results.length - 1];
  if (last && !current) parts.push(h('h3', { class: 'section-label', text: t('vote.readAloud') }), resultCard(last));
  return parts;
}

// A procedural question put to the vote on the spot (extending a debate, changing the order), on the current item.
function addProcedural(state) {
  const title = h('input', { id: 'procedural-title', type: 'text', minlength: 3, maxlength: 500, 'aria-label': t('vote.proceduralTitle'), placeholder: t('vote.proceduralTitle'), 'data-focus-key': 'procedural-title' });
  const ballot = h('select', { id: 'procedural-ballot', 'aria-label': t('vote.proceduralBallot'), 'data-focus-key': 'procedural-ballot' }, ['open', 'named'].map((b) => h('option', { value: b, text: labelFor('motion.ballot', b) })));
  return h(
    'details',
    { class: 'add-procedural', data: { key: 'add-procedural' } },
    h('summary', { text: t('vote.proceduralAdd'), 'data-focus-key': 'add-procedural' }),
    h(
      'div',
      { class: 'add-speaker-form' },
      title,
      ballot,
      commandButton(state, {
        text: t('vote.proceduralButton'),
        command: 'motion.add',
        payload: () => ({ title: title.value, ballot_type: ballot.value }),
        className: 'button',
        testid: 'procedural-add',
        // The panel may have been re-rendered (with the typed text) by the time the command is acknowledged.
        after: () => {
          document.getElementById('procedural-title').value = '';
        },
      }),
    ),
  );
}

// Delegates whose own check-in is newer than the status staff gave them and who do not count as present yet.
function waitingCheckIns(attendance) {
  return Object.values(attendance).filter((row) => row.checked_in_at && !row.counts_as_present && row.checked_in_at >= row.at).length;
}

// The delegates whose "absent with a reason" is being typed in (their row shows the reason field).
const givingReason = new Set();

function attendanceRow(state, member, row) {
  const status = row?.status ?? 'unknown';
  const name = member.full_name;
  const choose = h(
    'select',
    { id: `status-${member.id}`, class: 'attendance-select', 'aria-label': t('attendance.statusFor', { name }), 'data-focus-key': `status ${member.id}` },
    row ? null : h('option', { value: '', text: t('attendance.status.unknown'), selected: true, disabled: true }),
    STATUSES.map((value) => h('option', { value, text: labelFor('attendance.status', value), selected: value === status })),
  );
  const open = givingReason.has(member.id);
  const reason = h('input', { id: `reason-${member.id}`, type: 'text', maxlength: 300, 'aria-label': t('attendance.reasonFor', { name }), placeholder: t('attendance.reason'), 'data-focus-key': `reason ${member.id}`, hidden: !open });
  const saveReason = h('button', {
    type: 'button',
    class: 'button',
    hidden: !open,
    text: t('attendance.saveReason'),
    'data-focus-key': `save-reason ${member.id}`,
    on: {
      click: async () => {
        try {
          await sendCommand(state, 'attendance.mark', { member_id: member.id, status: 'absent_with_reason', reason: reason.value.trim() });
          givingReason.delete(member.id);
          state.refresh();
        } catch {
          // Shown in the alert line.
        }
      },
    },
  });
  if (open) choose.value = 'absent_with_reason';
  choose.addEventListener('change', () => {
    if (choose.value === 'absent_with_reason') {
      givingReason.add(member.id);
      reason.hidden = false;
      saveReason.hidden = false;
      reason.focus();
      return;
    }
    givingReason.delete(member.id);
    sendCommand(state, 'attendance.mark', { member_id: member.id, status: choose.value }).catch(() => {
      choose.value = row?.status ?? '';
    });
  });
  const checkedIn = row?.checked_in_at ? t('attendance.checkedInAt', { time: formatDateTime(row.checked_in_at, { hour: '2-digit', minute: '2-digit' }) }) : '';
  return h(
    'li',
    { class: ['attendance-row', `attendance-${status}`], data: { member: member.id } },
    h(
      'div',
      { class: 'attendance-name' },
      h('span', { text: name }),
      h('span', { class: 'attendance-status', text: labelFor('attendance.status', status) + (row?.reason ? ` — ${row.reason}` : '') }),
      checkedIn ? h('span', { class: 'muted attendance-checked', text: checkedIn }) : null,
    ),
    h('div', { class: 'attendance-actions' }, choose, reason, saveReason, row ? commandButton(state, { text: t('attendance.undo'), command: 'attendance.undo', payload: { member_id: member.id }, className: 'button button-quiet', label: t('attendance.undoFor', { name }) }) : null),
  );
}

function attendancePanel(state) {
  const attendance = state.slices.attendance ?? {};
  const members = state.slices.members ?? [];
  const waiting = waitingCheckIns(attendance);
  return [
    waiting
      ? commandButton(state, { text: t('attendance.markCheckedIn', { count: formatNumber(waiting) }), command: 'attendance.mark_checked_in', className: 'button button-primary', testid: 'mark-checked-in' })
      : null,
    h('ul', { class: 'attendance-list', 'data-testid': 'attendance' }, members.map((member) => attendanceRow(state, member, attendance[String(member.id)]))),
  ];
}

// The agenda and the attendance share the middle column's lower half as two tabs (arrow keys move between them).
class Tabs {
  chosen = 'agenda';

  constructor(state, panels) {
    this.state = state;
    this.panels = panels; // [{key, label: () => text, render: () => nodes}]
    this.list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('chair.tabs') });
    this.body = h('div', { class: 'tab-panel', role: 'tabpanel', tabindex: '0', 'data-testid': 'tab-panel' });
    this.root = h('section', { class: 'panel chair-tabs', 'data-testid': 'chair-tabs' }, this.list, this.body);
  }

  render() {
    const tabs = this.panels.map(({ key, label }) =>
      h('button', {
        type: 'button',
        role: 'tab',
        id: `tab-${key}`,
        class: 'tab',
        'aria-selected': String(key === this.chosen),
        'aria-controls': 'chair-tab-panel',
        tabindex: key === this.chosen ? '0' : '-1',
        'data-focus-key': `tab ${key}`,
        text: label(),
        on: { click: () => this.choose(key), keydown: (event) => this.#arrow(event) },
      }),
    );
    this.list.setAttribute('aria-label', t('chair.tabs'));
    replace(this.list, tabs);
    this.body.id = 'chair-tab-panel';
    this.body.setAttribute('aria-labelledby', `tab-${this.chosen}`);
    rerender(this.body, this.panels.find((panel) => panel.key === this.chosen).render());
  }

  choose(key, focus = false) {
    this.chosen = key;
    this.render();
    if (focus) this.list.querySelector(`#tab-${key}`)?.focus();
  }

  #arrow(event) {
    if (!['ArrowLeft', 'ArrowRight'].includes(event.key)) return;
    const keys = this.panels.map((panel) => panel.key);
    const step = event.key === 'ArrowRight' ? 1 : -1;
    this.choose(keys[(keys.indexOf(this.chosen) + step + keys.length) % keys.length], true);
    event.preventDefault();
  }
}

class Presenter {
  constructor(state) {
    this.state = state;
    this.viewer = new PageViewer({ onTurn: (page) => this.#turned(page) });
    this.viewer.previous.setAttribute('aria-keyshortcuts', 'PageUp');
    this.viewer.next.setAttribute('aria-keyshortcuts', 'PageDown');
    this.choices = h('div', { class: 'doc-list' });
    this.hide = commandButton(state, { text: t('presenter.hide'), command: 'doc.hide', className: 'button button-quiet', testid: 'doc-hide' });
    this.status = h('p', { class: 'muted', 'data-testid': 'presenter-status' });
    this.problem = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'presenter-problem' });
    this.root = h('section', { class: 'panel presenter', 'aria-labelledby': 'presenter-heading', 'data-testid': 'presenter' });
    this.heading = h('h2', { id: 'presenter-heading' });
    replace(this.root, this.heading, this.status, this.problem, this.viewer.root, this.hide, this.choices);
    state.watch(['presentation', 'agenda', 'session'], () => keepFocus(this.root, () => this.render()));
    document.addEventListener('keydown', (event) => this.#key(event));
  }

  // The page the tablets show is the server's: a turn it refuses puts the chair's page back where the tablets are.
  async #turned(page) {
    this.problem.textContent = '';
    try {
      await sendCommand(this.state, 'doc.page', { page });
    } catch (error) {
      this.problem.textContent = t('presenter.turnFailed', { message: error.message });
      const shown = this.state.slices.presentation;
      this.viewer.show(shown?.document_id ? shown : null, shown?.page ?? 1);
    }
  }

  #key(event) {
    if (event.target.closest?.('input, select, textarea, dialog') || !this.viewer.document || isEnded(this.state)) return;
    if (event.key === 'PageDown') this.viewer.turn(this.viewer.page + 1);
    else if (event.key === 'PageUp') this.viewer.turn(this.viewer.page - 1);
    else return;
    event.preventDefault();
  }

  render() {
    const shown = this.state.slices.presentation;
    const doc = shown?.document_id ? shown : null;
    this.heading.textContent = t('presenter.heading');
    this.viewer.relabel();
    this.viewer.show(doc, doc?.page ?? 1);
    this.hide.hidden = !doc;
    this.hide.textContent = t('presenter.hide');
    this.status.textContent = doc ? t('presenter.showing') : t('presenter.nothing');
    const documents = this.state.documents;
    replace(
      this.choices,
      documents.length
        ? h(
            'ul',
            { class: 'doc-choices' },
            documents.map((document) =>
              h(
                'li',
                { class: 'doc-choice-row' },
                h('span', { class: 'doc-choice-title', text: t('doc.choice', { title: document.title, count: formatNumber(document.page_count) }) }),
                h('span', { class: ['chip', `chip-${document.classification}`], text: labelFor('doc.classification', document.classification) }),
                commandButton(this.state, { text: t('presenter.show'), command: 'doc.show', payload: { document_id: document.document_id, page: 1 }, className: 'button', testid: 'doc-show', label: t('presenter.showTitle', { title: document.title }) }),
              ),
            ),
          )
        : h('p', { class: 'empty', text: t('doc.none') }),
    );
  }
}

// One polite status line that outlives the re-rendered panels: the vote count as ballots come in, the result when
// the vote closes, and who has been given the floor. Each is said when it changes, not on every re-render.
function announcer(state) {
  const line = h('p', { class: 'visually-hidden', role: 'status', 'data-testid': 'announcer' });
  const said = {};
  const say = (topic, text) => {
    if (text && topic in said && said[topic] !== text) line.textContent = text;
    said[topic] = text;
  };
  state.watch(['vote', 'quorum'], () => {
    const vote = state.slices.vote ?? { current: null, results: [] };
    const last = vote.results[vote.results.length - 1];
    const present = state.slices.quorum?.present ?? 0;
    say(
      'vote',
      vote.current
        ? t('vote.castCount', { cast: formatNumber(vote.current.cast_count ?? 0), present: formatNumber(present) })
        : last && `${t('vote.readAloud')}: ${resultText(last.result ?? {})}`,
    );
  });
  state.watch(['speakers'], () => {
    const current = state.slices.speakers?.current;
    say('speakers', current && `${t('speakers.now')}: ${current.name}`);
  });
  return line;
}

// Panels re-render whole on every change; this one does so without undoing what the chair was in the middle of:
// the keyboard focus stays in place (keepFocus), open <details> stay open, chosen <select> values stay chosen and
// typed text stays typed.
function rerender(section, children) {
  const open = new Set([...section.querySelectorAll('details[open][data-key]')].map((details) => details.dataset.key));
  const chosen = new Map([...section.querySelectorAll('select[id]:not(.attendance-select)')].map((select) => [select.id, select.value]));
  const typed = new Map([...section.querySelectorAll('input[id]')].map((input) => [input.id, input.value]));
  keepFocus(section, () => {
    replace(section, children);
    for (const details of section.querySelectorAll('details[data-key]')) details.open = open.has(details.dataset.key);
    for (const select of section.querySelectorAll('select[id]')) {
      if ([...select.options].some((option) => option.value === chosen.get(select.id))) select.value = chosen.get(select.id);
    }
    for (const input of section.querySelectorAll('input[id]')) if (typed.has(input.id)) input.value = typed.get(input.id);
  });
}

function build(state, root, { back }) {
  const head = h('section', { class: 'panel live-head chair-head', 'data-testid': 'live-head' });
  const lock = h('div', { class: 'lock-slot' });
  const speakers = h('section', { class: 'panel speakers', 'aria-labelledby': 'speakers-heading', 'data-testid': 'speakers-panel' });
  const vote = h('section', { class: 'panel vote-panel', 'aria-labelledby': 'vote-heading', 'data-testid': 'vote-panel' });
  const presenter = new Presenter(state);
  let share = null;
  const tabs = new Tabs(state, [
    {
      key: 'agenda',
      label: () => t('agenda.tab'),
      render: () =>
        agendaList(state, (item) =>
          item.id === state.slices.agenda?.current_item_id
            ? null
            : commandButton(state, { text: t('agenda.goto'), command: 'agenda.goto', payload: { item_id: item.id }, className: 'button button-quiet', testid: 'agenda-goto', label: t('agenda.gotoItem', { title: item.title }) }),
        ),
    },
    {
      key: 'attendance',
      label: () => t('attendance.tab', { present: formatNumber(state.slices.quorum?.present ?? 0), total: formatNumber(state.slices.quorum?.total ?? 0) }),
      render: () => attendancePanel(state),
    },
    {
      key: 'share',
      label: () => t('share.tab'),
      render: () => (share ??= sharePanel(state.session.id, 'h3')),
    },
  ]);
  const grid = h(
    'div',
    { class: 'chair-grid', 'data-testid': 'chair-grid' },
    h('div', { class: 'chair-col chair-col-floor' }, speakers),
    h('div', { class: 'chair-col chair-col-votes' }, vote, tabs.root),
    h('div', { class: 'chair-col chair-col-document' }, presenter.root),
  );
  const backButton = h('button', { type: 'button', class: 'button button-quiet', on: { click: back } });
  const panel = (section, names, content) => state.watch(names, () => rerender(section, content()));
  panel(head, ['session', 'agenda', 'quorum', 'stream'], () => {
    backButton.textContent = t('sessions.back');
    return [
      sessionHeading(state, { next: true }),
      isEnded(state) ? null : sessionControls(state),
      h('div', { class: 'live-tools chair-status' }, quorumView(state.slices.quorum), streamChip(state.slices.stream), backButton),
    ];
  });
  state.watch(['session'], () => {
    replace(lock, lockNotice(state));
    // Locked for good: no control of the sitting can be reached, by pointer or keyboard, once it has ended.
    grid.inert = isEnded(state);
    grid.classList.toggle('locked', isEnded(state));
  });
  panel(speakers, ['speakers', 'members'], () => speakersPanel(state));
  panel(vote, ['vote', 'agenda', 'quorum', 'session'], () => votePanel(state));
  state.watch(['agenda', 'attendance', 'members', 'quorum'], () => tabs.render());
  replace(root, head, lock, grid, announcer(state));
}

runApp({ namespace: '/live' }, (shell) => startLivePage(shell, build));
