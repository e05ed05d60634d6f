// The delegate's tablet: check in, follow the document the chair shows (or browse freely), keep private notes,
// ask for the floor and see one's place in the queue, vote, and see the results.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, formatNumber, labelFor, t } from '../shared/i18n.js';
import { commandButton, sendCommand, startLivePage } from '../shared/livepage.js';
import { PageViewer } from '../shared/pages.js';
import { runApp } from '../shared/shell.js';
import { agendaList, quorumView, resultsList, sessionHeading, speakerNow } from '../shared/views.js';
import { voteDialog } from './vote.js';

const REQUEST_KINDS = ['discussion', 'question', 'debate', 'point_of_order'];

function myAttendance(state) {
  const memberId = state.me?.member_id;
  return memberId ? state.slices.attendance?.[String(memberId)] : null;
}

function checkInView(state) {
  if (!state.me?.member_id) return h('p', { class: 'muted', text: t('checkin.notDelegate') });
  const mine = myAttendance(state);
  if (mine?.status === 'present') {
    const at = formatDateTime(mine.at, { hour: '2-digit', minute: '2-digit' });
    return h('p', { class: 'checked-in', 'data-testid': 'checked-in', text: t('checkin.done', { time: at }) });
  }
  return commandButton(state, {
    text: t('checkin.button'),
    command: 'checkin',
    className: 'button button-primary button-big',
    testid: 'checkin',
  });
}

// The floor: ask with a kind, see one's place, withdraw; or that one is speaking now.
class SpeakPanel {
  kind = 'discussion';

  constructor(state) {
    this.state = state;
    this.root = h('section', { class: 'panel', 'aria-labelledby': 'speak-heading', 'data-testid': 'speak-panel' });
    state.watch(['speakers', 'session'], () => this.render());
  }

  render() {
    const state = this.state;
    const memberId = state.me?.member_id;
    const speakers = state.slices.speakers ?? { queue: [], current: null };
    const heading = h('h2', { id: 'speak-heading', text: t('speakers.heading') });
    const now = h('div', { class: 'speak-now' }, h('p', { class: 'section-label', text: t('speakers.now') }), speakerNow(speakers.current));
    if (!memberId) {
      replace(this.root, heading, now);
      return;
    }
    const index = speakers.queue.findIndex((entry) => entry.member_id === memberId);
    let mine;
    if (speakers.current?.member_id === memberId) {
      mine = h('p', { class: 'notice notice-ok', 'data-testid': 'my-floor', text: t('speakers.youSpeak') });
    } else if (index >= 0) {
      const entry = speakers.queue[index];
      mine = h(
        'div',
        { class: 'my-request', 'data-testid': 'my-request' },
        h('p', { class: 'my-position', 'data-testid': 'my-position', text: t('speakers.position', { position: formatNumber(index + 1), count: formatNumber(speakers.queue.length) }) }),
        h('p', { class: 'muted', text: labelFor('speech.kind', entry.kind) }),
        commandButton(state, { text: t('speakers.withdraw'), command: 'speakers.withdraw', className: 'button', testid: 'withdraw' }),
      );
    } else {
      mine = this.#requestForm();
    }
    replace(this.root, heading, mine, now);
  }

  #requestForm() {
    const name = 'speech-kind';
    const options = REQUEST_KINDS.map((kind) =>
      h(
        'label',
        { class: 'choice-chip' },
        h('input', {
          type: 'radio',
          name,
          value: kind,
          checked: kind === this.kind,
          on: { change: () => (this.kind = kind) },
        }),
        h('span', { text: labelFor('speech.kind', kind) }),
      ),
    );
    return h(
      'div',
      { class: 'request-form' },
      h('fieldset', { class: 'choice-group' }, h('legend', { text: t('speakers.kind') }), options),
      commandButton(this.state, {
        text: t('speakers.request'),
        command: 'speakers.request',
        payload: () => ({ kind: this.kind }),
        className: 'button button-primary button-big',
        testid: 'request-floor',
      }),
    );
  }
}

// The documents: the one the chair shows (followed unless the delegate browses), the item's others, and notes.
class DocumentsPanel {
  following = true;
  chosen = null;

  constructor(state) {
    this.state = state;
    this.followButton = h('button', {
      type: 'button',
      class: 'button follow-toggle',
      'data-testid': 'follow',
      on: { click: () => this.#setFollowing(!this.following) },
    });
    this.viewer = new PageViewer({ onTurn: () => this.#turned(), tools: [this.followButton] });
    this.list = h('div', { class: 'doc-list' });
    this.empty = h('p', { class: 'empty', 'data-testid': 'doc-empty' });
    this.notes = new NotesPanel();
    this.root = h(
      'section',
      { class: 'panel doc-panel', 'aria-label': t('doc.heading'), 'data-testid': 'doc-panel' },
      this.empty,
      this.viewer.root,
      this.notes.root,
      this.list,
    );
    state.watch(['presentation', 'agenda'], () => this.render());
  }

  #setFollowing(following) {
    this.following = following;
    if (following) this.chosen = null;
    this.render();
  }

  #turned() {
    this.following = false;
    this.chosen = { ...this.viewer.document, page: this.viewer.page };
    this.render();
  }

  #open(document) {
    this.following = false;
    this.chosen = { ...document, page: 1 };
    this.render();
  }

  render() {
    const shown = this.state.slices.presentation;
    const followed = shown?.document_id ? shown : null;
    const target = this.following ? followed : this.chosen;
    this.viewer.relabel();
    this.viewer.show(target, target?.page ?? 1);
    this.followButton.textContent = this.following ? t('doc.following') : t('doc.follow');
    this.followButton.setAttribute('aria-pressed', String(this.following));
    this.followButton.hidden = !followed && this.following;
    this.empty.hidden = Boolean(target);
    this.empty.textContent = this.following ? t('doc.nothingShown') : t('doc.choose');
    this.notes.show(target ? target.document_id : null, this.viewer.page);
    const documents = this.state.documents;
    replace(
      this.list,
      h('h2', { class: 'section-label', text: t('doc.list') }),
      documents.length
        ? h(
            'ul',
            { class: 'doc-choices' },
            documents.map((document) =>
              h(
                'li',
                {},
                h('button', {
                  type: 'button',
                  class: 'doc-choice',
                  'aria-current': document.document_id === target?.document_id ? 'true' : false,
                  text: t('doc.choice', { title: document.title, count: formatNumber(document.page_count) }),
                  on: { click: () => this.#open(document) },
                }),
              ),
            ),
          )
        : h('p', { class: 'empty', text: t('doc.none') }),
    );
  }
}

// Private notes (only their author sees them) on the page being read.
class NotesPanel {
  documentId = null;
  page = 1;
  notes = [];

  constructor() {
    this.text = h('textarea', { id: 'note-text', rows: '3', maxlength: '10000', 'data-testid': 'note-text' });
    this.label = h('label', { for: 'note-text' });
    this.status = h('p', { class: 'muted', role: 'status' });
    this.listSlot = h('ul', { class: 'note-list', 'data-testid': 'notes' });
    this.save = h('button', { type: 'submit', class: 'button', 'data-testid': 'note-save' });
    this.root = h(
      'details',
      { class: 'notes' },
      h('summary', { 'data-testid': 'notes-toggle' }),
      h('form', { class: 'note-form', on: { submit: (event) => this.#submit(event) } }, this.label, this.text, this.save, this.status),
      this.listSlot,
    );
  }

  async show(documentId, page) {
    this.page = page;
    this.root.hidden = documentId === null;
    this.root.querySelector('summary').textContent = t('notes.heading');
    this.label.textContent = t('notes.label', { page: formatNumber(page) });
    this.save.textContent = t('notes.save');
    if (documentId !== this.documentId) {
      this.documentId = documentId;
      this.notes = documentId === null ? [] : await api.get(`/api/documents/${documentId}/notes`).catch(() => []);
    }
    this.#renderList();
  }

  #renderList() {
    replace(
      this.listSlot,
      this.notes.map((note) =>
        h('li', {}, h('span', { class: 'chip', text: t('notes.page', { page: formatNumber(note.page) }) }), h('span', { text: note.text })),
      ),
    );
  }

  async #submit(event) {
    event.preventDefault();
    const text = this.text.value.trim();
    if (!text || this.documentId === null) return;
    try {
      const note = await api.post(`/api/documents/${this.documentId}/notes`, { page: this.page, text });
      this.notes.push(note);
      this.text.value = '';
      this.status.textContent = t('notes.saved');
      this.#renderList();
    } catch (error) {
      this.status.textContent = error.message;
    }
  }
}

function build(state, root, { back }) {
  const head = h('section', { class: 'panel live-head', 'data-testid': 'live-head' });
  const checkin = h('div', { class: 'checkin', 'data-testid': 'checkin-slot' });
  const agenda = h('section', { class: 'panel', 'aria-labelledby': 'agenda-heading' });
  const results = h('section', { class: 'panel', 'aria-labelledby': 'results-heading' });
  const documents = new DocumentsPanel(state);
  const speak = new SpeakPanel(state);
  const vote = voteDialog(state);
  const backButton = h('button', { type: 'button', class: 'button button-quiet', on: { click: back } });
  state.watch(['session', 'agenda', 'quorum', 'attendance'], () => {
    backButton.textContent = t('sessions.back');
    replace(head, sessionHeading(state), h('div', { class: 'live-tools' }, quorumView(state.slices.quorum), checkin, backButton));
    replace(checkin, checkInView(state));
  });
  state.watch(['agenda'], () => replace(agenda, h('h2', { id: 'agenda-heading', text: t('agenda.heading') }), agendaList(state)));
  state.watch(['vote'], () => replace(results, h('h2', { id: 'results-heading', text: t('vote.results') }), resultsList(state.slices.vote)));
  replace(
    root,
    head,
    h('div', { class: 'tablet-grid' }, documents.root, h('div', { class: 'tablet-side' }, speak.root, results, agenda)),
    vote,
  );
}

runApp({ namespace: '/live' }, (shell) => startLivePage(shell, build));
