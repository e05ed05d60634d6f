// A council's sessions and the agenda of the chosen one, shared by the tablet, the chair console and
// the staff console. The chosen session is kept in the address (?session=ID) so a reload keeps it.

import { api } from './api.js';
import { $, h, replace } from './dom.js';
import { formatDateTime, formatNumber, labelFor, onLanguageChange, t } from './i18n.js';
import { failure, showCouncilName } from './shell.js';

export function statusBadge(status) {
  return h('span', { class: ['badge', `badge-${status}`], text: labelFor('session.status', status) });
}

function when(session, timeZone) {
  return session.starts_at ? formatDateTime(session.starts_at, { timeZone }) : t('session.noTime');
}

function sessionFacts(session, timeZone) {
  return h(
    'p',
    { class: 'facts' },
    h('span', { text: labelFor('session.kind', session.kind) }),
    h('span', { text: when(session, timeZone) }),
    session.place ? h('span', { text: t('session.place', { place: session.place }) }) : null,
    session.public ? null : h('span', { class: 'badge badge-closed', text: t('session.closed') }),
  );
}

function motionItem(motion) {
  return h(
    'li',
    { class: 'motion' },
    h('span', { class: 'motion-title', text: motion.title }),
    h('span', { class: ['chip', `chip-${motion.ballot_type}`], text: labelFor('motion.ballot', motion.ballot_type) }),
  );
}

function agendaItem(item) {
  return h(
    'li',
    { class: 'agenda-item', data: { id: item.id } },
    h('span', { class: 'agenda-number', 'aria-hidden': 'true', text: formatNumber(item.position) }),
    h(
      'div',
      { class: 'agenda-body' },
      h('p', { class: 'agenda-title', text: item.title }),
      h(
        'p',
        { class: 'facts' },
        h('span', { class: 'chip', text: labelFor('agenda.kind', item.kind) }),
        item.presenter ? h('span', { text: t('agenda.presenter', { name: item.presenter }) }) : null,
      ),
      item.motions.length ? h('ul', { class: 'motions' }, item.motions.map(motionItem)) : null,
    ),
  );
}

export function agendaView(session, timeZone) {
  return h(
    'article',
    { class: 'session-detail', 'data-testid': 'session-detail', 'aria-labelledby': 'session-title' },
    h(
      'div',
      { class: 'session-head' },
      h('h3', { id: 'session-title', text: session.title }),
      statusBadge(session.status),
    ),
    sessionFacts(session, timeZone),
    h('h4', { class: 'section-label', text: t('agenda.heading') }),
    session.agenda.length
      ? h('ol', { class: 'agenda' }, session.agenda.map(agendaItem))
      : h('p', { class: 'empty', text: t('agenda.empty') }),
  );
}

function rememberSession(sessionId) {
  const url = new URL(window.location.href);
  if (sessionId === null) url.searchParams.delete('session');
  else url.searchParams.set('session', String(sessionId));
  window.history.replaceState(null, '', url);
}

export function sessionFromAddress() {
  const value = new URLSearchParams(window.location.search).get('session');
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

// Lists the council's sessions in `list` and shows the chosen one's agenda in `detail`.
// `onOpen(session)` runs after a session's agenda is shown (the tablet follows a live one).
export class SessionBrowser {
  #sessions = [];
  #chosen = null;
  #detailError = null;

  constructor({ list, detail, timeZone = 'Asia/Ho_Chi_Minh', onOpen = () => {} }) {
    this.list = list;
    this.detail = detail;
    this.timeZone = timeZone;
    this.onOpen = onOpen;
    onLanguageChange(() => this.#render());
  }

  async load(councilId) {
    this.councilId = councilId;
    replace(this.list, h('p', { class: 'loading', text: t('shell.loading') }));
    replace(this.detail);
    try {
      this.#sessions = await api.get(`/api/councils/${councilId}/sessions`);
    } catch (error) {
      replace(this.list, failure(error, () => this.load(councilId)));
      return;
    }
    const wanted = sessionFromAddress();
    const only = this.#sessions.length === 1 ? this.#sessions[0] : null;
    const chosen = this.#sessions.find((s) => s.id === wanted) ?? only;
    this.#chosen = null;
    this.#render();
    if (chosen) await this.open(chosen.id);
  }

  async open(sessionId) {
    this.#detailError = null;
    replace(this.detail, h('p', { class: 'loading', text: t('shell.loading') }));
    try {
      this.#chosen = await api.get(`/api/sessions/${sessionId}`);
    } catch (error) {
      this.#chosen = null;
      this.#detailError = error;
    }
    rememberSession(this.#chosen ? this.#chosen.id : null);
    this.#render();
    if (this.#chosen) this.onOpen(this.#chosen);
  }

  #render() {
    this.#renderList();
    if (this.#detailError) {
      replace(this.detail, failure(this.#detailError));
    } else if (this.#chosen) {
      replace(this.detail, agendaView(this.#chosen, this.timeZone));
    } else {
      replace(this.detail, this.#sessions.length ? h('p', { class: 'empty', text: t('sessions.choose') }) : null);
    }
  }

  #renderList() {
    if (!this.#sessions.length) {
      replace(this.list, h('p', { class: 'empty', text: t('sessions.none') }));
      return;
    }
    const items = this.#sessions.map((session) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'session-item',
            'aria-current': this.#chosen?.id === session.id ? 'true' : false,
            data: { id: session.id },
            on: { click: () => this.open(session.id) },
          },
          h('span', { class: 'session-item-title', text: session.title }),
          h(
            'span',
            { class: 'session-item-meta' },
            statusBadge(session.status),
            h('span', { text: when(session, this.timeZone) }),
          ),
        ),
      ),
    );
    replace(this.list, h('ul', { class: 'session-list', 'data-testid': 'session-list' }, items));
  }
}

// While the chosen session is live, follow it over the Socket.IO connection and say so in `slot`.
function follower(live, slot) {
  let state = null;
  const render = () => {
    slot.hidden = state === null;
    slot.classList.toggle('follow-error', Boolean(state?.error));
    slot.textContent = state === null ? '' : state.error
      ? t('session.notFollowing', { message: state.error.message })
      : t('session.following');
  };
  onLanguageChange(render);
  live.addEventListener('resync-failed', (event) => {
    state = { error: event.detail };
    render();
  });
  return async (session) => {
    state = null;
    if (['live', 'paused'].includes(session.status)) {
      try {
        await live.join(session.id);
        state = { error: null };
      } catch (error) {
        state = { error };
      }
    }
    render();
  };
}

// The page of a delegate or chair: their council's sessions and the chosen session's agenda.
export async function showCouncilSessions({ user, live }) {
  const list = $('[data-slot="sessions"]');
  const detail = $('[data-slot="session"]');
  if (user.council_id === null) {
    const explain = () => replace(list, h('p', { class: 'notice', text: t('council.missing') }));
    onLanguageChange(explain);
    explain();
    return;
  }
  const council = await api.get(`/api/councils/${user.council_id}`);
  showCouncilName(council);
  const onOpen = follower(live, $('[data-slot="follow"]'));
  await new SessionBrowser({ list, detail, timeZone: council.timezone, onOpen }).load(council.id);
}
