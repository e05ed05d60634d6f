// The delegate's tablet: check in, follow the document the chair shows (or browse freely, seeing where the chair
// is), search the session's documents, keep private notes, and from the action bar fixed at the foot of the screen
// ask for the floor, see one's place in the queue or that it is one's turn, and vote. Being given the floor or a
// vote opening brings a full-width notice and a chime. Results show who was present and did not vote apart from
// those who chose "Không biểu quyết".

import { api } from '../shared/api.js';
import { clock } from '../shared/clock.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, formatNumber, labelFor, t } from '../shared/i18n.js';
import { commandButton, startLivePage } from '../shared/livepage.js';
import { PageViewer } from '../shared/pages.js';
import { runApp } from '../shared/shell.js';
import { agendaList, quorumView, resultsList, sessionHeading, speakerNow } from '../shared/views.js';
import { VoteDialog } from './vote.js';

const REQUEST_KINDS = ['discussion', 'question', 'debate', 'point_of_order'];

function myAttendance(state) {
  const memberId = state.me?.member_id;
  return memberId ? state.slices.attendance?.[String(memberId)] : null;
}

function checkInView(state) {
  if (!state.me?.member_id) return h('p', { class: 'muted', text: t('checkin.notDelegate') });
  const mine = myAttendance(state);
  const time = (at) => formatDateTime(at, { hour: '2-digit', minute: '2-digit' });
  if (mine?.counts_as_present) {
    const key = mine.status === 'late' ? 'checkin.doneLate' : 'checkin.done';
    return h('p', { class: 'checked-in', 'data-testid': 'checked-in', text: t(key, { time: time(mine.checked_in_at ?? mine.at) }) });
  }
  if (mine?.checked_in_at && mine.checked_in_at >= mine.at) {
    return h('p', { class: 'notice notice-warn checkin-waiting', 'data-testid': 'checked-in', text: t('checkin.waiting', { time: time(mine.checked_in_at), status: labelFor('attendance.status', mine.status) }) });
  }
  return commandButton(state, { text: t('checkin.button'), command: 'checkin', className: 'button button-primary button-big', testid: 'checkin' });
}

// Two short rising tones: the tablet may be face down on the desk when the floor is given or a vote opens.
let audio = null;
function chime() {
  try {
    audio ??= new AudioContext();
    audio.resume?.();
    const start = audio.currentTime;
    [880, 1320].forEach((frequency, index) => {
      const at = start + index * 0.22;
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
      tone.connect(gain).connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.21);
    });
  } catch {
    // No sound on this device: the notice is still shown.
  }
}

// The full-width notice for the two moments a delegate must not miss; `data-chimes` counts the chimes rung.
class Notice {
  topic = null;

  constructor(state, vote) {
    this.state = state;
    this.vote = vote;
    this.root = h('div', { class: 'live-notice', role: 'alert', 'data-testid': 'notice', 'data-chimes': '0', hidden: true });
    let speaking = null;
    let voting = null;
    let first = true;
    state.watch(['speakers', 'vote'], () => {
      const memberId = state.me?.member_id;
      const nowSpeaking = memberId && state.slices.speakers?.current?.member_id === memberId ? state.slices.speakers.current.id : null;
      const nowVoting = state.slices.vote?.current?.motion_id ?? null;
      if (!first && nowSpeaking && nowSpeaking !== speaking) this.show('floor');
      else if (!first && memberId && nowVoting && nowVoting !== voting) this.show('vote');
      else if ((this.topic === 'floor' && !nowSpeaking) || (this.topic === 'vote' && !nowVoting)) this.hide();
      else this.render();
      speaking = nowSpeaking;
      voting = nowVoting;
      first = false;
    });
  }

  show(topic) {
    this.topic = topic;
    this.root.dataset.chimes = String(Number(this.root.dataset.chimes) + 1);
    chime();
    this.render();
  }

  hide() {
    this.topic = null;
    this.render();
  }

  render() {
    this.root.hidden = !this.topic;
    this.root.dataset.topic = this.topic ?? '';
    if (!this.topic) {
      replace(this.root);
      return;
    }
    const dismiss = h('button', { type: 'button', class: 'button', 'data-testid': 'notice-dismiss', text: t('notice.dismiss'), on: { click: () => this.hide() } });
    if (this.topic === 'floor') {
      const current = this.state.slices.speakers?.current;
      replace(
        this.root,
        h('p', { class: 'live-notice-text', text: t('notice.floor') }),
        current?.deadline ? clock(current.deadline, { label: t('speakers.timeLeft'), className: 'live-notice-clock', testid: 'notice-clock' }) : null,
        dismiss,
      );
      return;
    }
    const motion = this.state.slices.vote?.current;
    replace(
      this.root,
      h('p', { class: 'live-notice-text', text: t('notice.vote', { title: motion?.title ?? '' }) }),
      this.vote.waiting ? h('button', { type: 'button', class: 'button button-primary', text: t('bar.voteNow'), on: { click: () => this.vote.reopen() } }) : null,
      dismiss,
    );
  }
}

// Fixed at the foot of the screen, so a delegate reading page 40 of a report still reaches the floor and the vote.
class ActionBar {
  kind = 'discussion';

  constructor(state, vote) {
    this.state = state;
    this.vote = vote;
    this.root = h('nav', { class: 'action-bar', 'aria-label': t('bar.label'), 'data-testid': 'action-bar' });
    vote.onAside = () => this.render();
    state.watch(['speakers', 'vote', 'attendance', 'session'], () => this.render());
  }

  #floor() {
    const state = this.state;
    const memberId = state.me?.member_id;
    const speakers = state.slices.speakers ?? { queue: [], current: null };
    if (speakers.current?.member_id === memberId) {
      return h(
        'div',
        { class: 'bar-floor bar-speaking' },
        h('p', { class: 'bar-now', 'data-testid': 'my-floor', text: t('speakers.youSpeak') }),
        speakers.current.deadline ? clock(speakers.current.deadline, { label: t('speakers.timeLeft'), className: 'bar-clock' }) : null,
      );
    }
    const index = speakers.queue.findIndex((entry) => entry.member_id === memberId);
    if (index >= 0) {
      return h(
        'div',
        { class: 'bar-floor' },
        h('p', { class: 'my-position', 'data-testid': 'my-position', text: t('speakers.position', { position: formatNumber(index + 1), count: formatNumber(speakers.queue.length) }) }),
        h('span', { class: 'muted', text: labelFor('speech.kind', speakers.queue[index].kind) }),
        commandButton(state, { text: t('speakers.withdraw'), command: 'speakers.withdraw', className: 'button', testid: 'withdraw' }),
      );
    }
    const kind = h(
      'select',
      { id: 'speech-kind', 'aria-label': t('speakers.kind'), 'data-testid': 'speech-kind', on: { change: (event) => (this.kind = event.target.value) } },
      REQUEST_KINDS.map((value) => h('option', { value, text: labelFor('speech.kind', value), selected: value === this.kind })),
    );
    return h(
      'div',
      { class: 'bar-floor' },
      kind,
      commandButton(state, { text: t('speakers.request'), command: 'speakers.request', payload: () => ({ kind: this.kind }), className: 'button button-primary', testid: 'request-floor' }),
    );
  }

  #vote() {
    const motion = this.state.slices.vote?.current;
    if (!motion) return null;
    if (this.vote.waiting) {
      return h('button', { type: 'button', class: 'button button-primary bar-vote', 'data-testid': 'vote-now', text: t('bar.voteNow'), on: { click: () => this.vote.reopen() } });
    }
    return h('p', { class: 'bar-voted', 'data-testid': 'bar-voted', text: t('bar.voted') });
  }

  render() {
    const open = ['scheduled', 'live', 'paused'].includes(this.state.session?.status);
    this.root.setAttribute('aria-label', t('bar.label'));
    this.root.hidden = !this.state.me?.member_id || !open;
    replace(this.root, this.#floor(), this.#vote());
  }
}

// Who has the floor now, and how many wait (asking for the floor is in the action bar).
function speakPanel(state) {
  const root = h('section', { class: 'panel', 'aria-labelledby': 'speak-heading', 'data-testid': 'speak-panel' });
  state.watch(['speakers'], () => {
    const speakers = state.slices.speakers ?? { queue: [], current: null };
    replace(
      root,
      h('h2', { id: 'speak-heading', text: t('speakers.heading') }),
      h('div', { class: 'speak-now' }, h('p', { class: 'section-label', text: t('speakers.now') }), speakerNow(speakers.current)),
      h('p', { class: 'muted', text: t('speakers.waiting', { count: formatNumber(speakers.queue.length) }) }),
    );
  });
  return root;
}

// Search the session's documents, diacritics or not ("ngan sach" finds "ngân sách"); a hit opens its page.
class DocumentSearch {
  constructor(state, open) {
    this.state = state;
    this.open = open;
    this.input = h('input', { id: 'doc-search', type: 'search', maxlength: 200, 'data-testid': 'doc-search' });
    this.label = h('label', { for: 'doc-search' });
    this.button = h('button', { type: 'submit', class: 'button' });
    this.results = h('div', { class: 'search-results', 'aria-live': 'polite', 'data-testid': 'search-results' });
    this.root = h('form', { class: 'doc-search', role: 'search', on: { submit: (event) => this.#search(event) } }, this.label, h('div', { class: 'search-row' }, this.input, this.button), this.results);
    this.relabel();
  }

  relabel() {
    this.label.textContent = t('search.label');
    this.input.placeholder = t('search.placeholder');
    this.button.textContent = t('search.button');
  }

  async #search(event) {
    event.preventDefault();
    const query = this.input.value.trim();
    if (!query) return;
    const session = this.state.session;
    replace(this.results, h('p', { class: 'loading', text: t('shell.loading') }));
    try {
      const params = new URLSearchParams({ q: query, session_id: String(session.id) });
      const found = await api.get(`/api/councils/${session.council.id}/documents/search?${params}`);
      this.#show(found.hits);
    } catch (error) {
      replace(this.results, h('p', { class: 'form-error', text: error.message }));
    }
  }

  #show(hits) {
    if (!hits.length) {
      replace(this.results, h('p', { class: 'empty', text: t('search.none') }));
      return;
    }
    replace(
      this.results,
      h('p', { class: 'muted', text: t('search.count', { count: formatNumber(hits.length) }) }),
      h(
        'ul',
        { class: 'search-hits' },
        hits.map((hit) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'doc-choice search-hit', 'data-testid': 'search-hit', on: { click: () => this.#openHit(hit) } },
              h('span', { class: 'search-hit-title', text: t('search.hit', { title: hit.title, page: formatNumber(hit.page) }) }),
              h('span', { class: 'search-snippet' }, marked(hit.snippet, hit.highlights)),
            ),
          ),
        ),
      ),
    );
  }

  #openHit(hit) {
    const document = this.state.documents.find((d) => d.document_id === hit.document_id);
    if (document) this.open(document, hit.page);
  }
}

// The snippet with the words found in <mark>, as text nodes only.
function marked(text, highlights) {
  const parts = [];
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at) continue;
    parts.push(text.slice(at, start), h('mark', { text: text.slice(start, end) }));
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
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
    this.chairPage = h('p', { class: 'chair-page', 'data-testid': 'chair-page', role: 'status' });
    this.list = h('div', { class: 'doc-list' });
    this.empty = h('p', { class: 'empty', 'data-testid': 'doc-empty' });
    this.notes = new NotesPanel();
    this.search = new DocumentSearch(state, (document, page) => this.#open(document, page));
    this.root = h(
      'section',
      { class: 'panel doc-panel', 'aria-label': t('doc.heading'), 'data-testid': 'doc-panel' },
      this.empty,
      this.chairPage,
      this.viewer.root,
      this.notes.root,
      this.search.root,
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

  #open(document, page = 1) {
    this.following = false;
    this.chosen = { ...document, page };
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
    // Browsing alone, the delegate still sees where the chair is.
    this.chairPage.hidden = this.following || !followed;
    this.chairPage.textContent = followed ? t('doc.chairAt', { title: followed.title, page: formatNumber(followed.page) }) : '';
    this.notes.show(target ? target.document_id : null, this.viewer.page);
    this.search.relabel();
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
  const vote = new VoteDialog(state);
  const notice = new Notice(state, vote);
  const bar = new ActionBar(state, vote);
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
    notice.root,
    head,
    h('div', { class: 'tablet-grid' }, documents.root, h('div', { class: 'tablet-side' }, speakPanel(state), results, agenda)),
    bar.root,
    vote.root,
  );
}

function confirmSignOut() {
  return {
    title: t('signOut.confirmTitle'),
    describe: () => [h('p', { text: t('signOut.confirmText') })],
    confirmText: t('shell.signOut'),
  };
}

runApp({ namespace: '/live', confirmSignOut }, (shell) => startLivePage(shell, build));
