// The chair's console: session controls, the agenda, the document shown on every tablet, quorum and attendance,
// the speaker queue with a timer readable from two metres, votes with their live count and the result text to
// read aloud, and the stream's status. Every control is a button, so the console works from the keyboard;
// PageUp and PageDown turn the shown document's page. Live updates re-render the panels without losing the
// keyboard focus, and a status line tells a screen reader the vote count, the result and who has the floor.

import { h, keepFocus, replace } from '../shared/dom.js';
import { formatNumber, labelFor, t } from '../shared/i18n.js';
import { commandButton, sendCommand, startLivePage } from '../shared/livepage.js';
import { PageViewer } from '../shared/pages.js';
import { runApp } from '../shared/shell.js';
import { agendaList, quorumView, resultCard, resultText, sessionHeading, speakerNow } from '../shared/views.js';

const CONTROLS = {
  draft: [['session.open', 'chair.open', 'button-primary']],
  scheduled: [['session.open', 'chair.open', 'button-primary']],
  live: [['session.pause', 'chair.pause', ''], ['session.close', 'chair.close', 'button-danger']],
  paused: [['session.resume', 'chair.resume', 'button-primary'], ['session.close', 'chair.close', 'button-danger']],
};
const ADD_KINDS = ['discussion', 'question', 'debate', 'point_of_order', 'explanation'];

function sessionControls(state) {
  const status = state.session.status;
  return h(
    'div',
    { class: 'session-controls', role: 'group', 'aria-label': t('chair.controls') },
    (CONTROLS[status] ?? []).map(([command, key, style]) =>
      commandButton(state, { text: t(key), command, className: ['button', style].join(' '), testid: command }),
    ),
  );
}

function streamChip(stream) {
  const status = stream?.status ?? 'off';
  return h('span', { class: ['badge', status === 'live' ? 'badge-live' : 'badge'], 'data-testid': 'stream-status', text: `${t('stream.label')}: ${labelFor('stream.status', status)}` });
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

function votePanel(state) {
  const vote = state.slices.vote ?? { current: null, results: [] };
  const current = vote.current;
  const parts = [h('h2', { id: 'vote-heading', text: t('vote.heading') })];
  if (current) {
    const present = state.slices.quorum?.present ?? 0;
    parts.push(
      h(
        'div',
        { class: 'vote-live', 'data-testid': 'vote-live' },
        h('p', { class: 'section-label', text: `${t('vote.open')} · ${labelFor('motion.ballot', current.ballot_type)}` }),
        h('p', { class: 'vote-live-title', text: current.title }),
        h('p', { class: 'vote-count', 'data-testid': 'cast-count', text: t('vote.castCount', { cast: formatNumber(current.cast_count ?? 0), present: formatNumber(present) }) }),
        commandButton(state, { text: t('vote.close'), command: 'vote.close', payload: { motion_id: current.motion_id }, className: 'button button-danger button-big', testid: 'vote-close' }),
      ),
    );
  } else {
    const pending = [];
    for (const item of state.items) for (const motion of item.motions) if (motion.status === 'pending') pending.push({ item, motion });
    const currentId = state.slices.agenda?.current_item_id;
    pending.sort((a, b) => Number(b.item.id === currentId) - Number(a.item.id === currentId));
    parts.push(
      pending.length
        ? h(
            'ul',
            { class: 'motion-controls' },
            pending.map(({ item, motion }) =>
              h(
                'li',
                { class: 'motion' },
                h('span', { class: 'motion-title', text: `${formatNumber(item.position)}. ${motion.title}` }),
                commandButton(state, { text: t('vote.openButton'), command: 'vote.open', payload: { motion_id: motion.motion_id }, className: 'button button-primary', testid: 'vote-open', label: t('vote.openFor', { title: motion.title }) }),
              ),
            ),
          )
        : h('p', { class: 'empty', text: t('vote.nonePending') }),
    );
  }
  if (!current && state.slices.agenda?.current_item_id) parts.push(addProcedural(state));
  const last = vote.results[vote.results.length - 1];
  if (last) parts.push(h('h3', { class: 'section-label', text: t('vote.readAloud') }), resultCard(last));
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

function attendancePanel(state) {
  const attendance = state.slices.attendance ?? {};
  const members = state.slices.members ?? [];
  return [
    h('h2', { id: 'attendance-heading', text: t('attendance.heading') }),
    quorumView(state.slices.quorum),
    h(
      'details',
      { class: 'attendance', data: { key: 'attendance' } },
      h('summary', { text: t('attendance.list', { count: formatNumber(members.length) }), 'data-focus-key': 'attendance' }),
      h(
        'ul',
        { class: 'attendance-list', 'data-testid': 'attendance' },
        members.map((member) => {
          const status = attendance[String(member.id)]?.status ?? 'unknown';
          return h(
            'li',
            { class: ['attendance-row', `attendance-${status}`] },
            h('span', { class: 'attendance-name', text: member.full_name }),
            h('span', { class: 'attendance-status', text: labelFor('attendance.status', status) }),
            status === 'present'
              ? null
              : commandButton(state, { text: t('attendance.markPresent'), command: 'attendance.mark', payload: { member_id: member.id, status: 'present' }, className: 'button button-quiet', label: t('attendance.markPresentFor', { name: member.full_name }) }),
          );
        }),
      ),
    ),
  ];
}

class Presenter {
  constructor(state) {
    this.state = state;
    this.viewer = new PageViewer({ onTurn: (page) => sendCommand(state, 'doc.page', { page }).catch(() => {}) });
    this.viewer.previous.setAttribute('aria-keyshortcuts', 'PageUp');
    this.viewer.next.setAttribute('aria-keyshortcuts', 'PageDown');
    this.choices = h('div', { class: 'doc-list' });
    this.hide = commandButton(state, { text: t('presenter.hide'), command: 'doc.hide', className: 'button button-quiet', testid: 'doc-hide' });
    this.status = h('p', { class: 'muted', 'data-testid': 'presenter-status' });
    this.root = h('section', { class: 'panel presenter', 'aria-labelledby': 'presenter-heading' });
    this.heading = h('h2', { id: 'presenter-heading' });
    replace(this.root, this.heading, this.status, this.viewer.root, this.hide, this.choices);
    state.watch(['presentation', 'agenda', 'session'], () => keepFocus(this.root, () => this.render()));
    document.addEventListener('keydown', (event) => this.#key(event));
  }

  #key(event) {
    if (event.target.closest?.('input, select, textarea') || !this.viewer.document) return;
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
  const chosen = new Map([...section.querySelectorAll('select[id]')].map((select) => [select.id, select.value]));
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
  const speakers = h('section', { class: 'panel speakers', 'aria-labelledby': 'speakers-heading', 'data-testid': 'speakers-panel' });
  const vote = h('section', { class: 'panel', 'aria-labelledby': 'vote-heading', 'data-testid': 'vote-panel' });
  const agenda = h('section', { class: 'panel', 'aria-labelledby': 'agenda-heading' });
  const attendance = h('section', { class: 'panel', 'aria-labelledby': 'attendance-heading' });
  const presenter = new Presenter(state);
  const backButton = h('button', { type: 'button', class: 'button button-quiet', on: { click: back } });
  const panel = (section, names, content) => state.watch(names, () => rerender(section, content()));
  panel(head, ['session', 'agenda', 'quorum', 'stream'], () => {
    backButton.textContent = t('sessions.back');
    return [sessionHeading(state), h('div', { class: 'live-tools' }, sessionControls(state), quorumView(state.slices.quorum), streamChip(state.slices.stream), backButton)];
  });
  panel(speakers, ['speakers', 'members'], () => speakersPanel(state));
  panel(vote, ['vote', 'agenda', 'quorum'], () => votePanel(state));
  panel(agenda, ['agenda'], () => [
    h('h2', { id: 'agenda-heading', text: t('agenda.heading') }),
    agendaList(state, (item) =>
      item.id === state.slices.agenda?.current_item_id
        ? null
        : commandButton(state, { text: t('agenda.goto'), command: 'agenda.goto', payload: { item_id: item.id }, className: 'button button-quiet', testid: 'agenda-goto', label: t('agenda.gotoItem', { title: item.title }) }),
    ),
  ]);
  panel(attendance, ['attendance', 'members', 'quorum'], () => attendancePanel(state));
  replace(root, head, h('div', { class: 'chair-grid' }, h('div', { class: 'chair-col' }, speakers, vote), h('div', { class: 'chair-col' }, presenter.root, agenda, attendance)), announcer(state));
}

runApp({ namespace: '/live' }, (shell) => startLivePage(shell, build));
