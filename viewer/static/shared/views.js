// Pieces of a live session that several apps show the same way: the agenda with its current item, the quorum,
// the person who has the floor with their timer, and the results of closed votes.

import { clock } from './clock.js';
import { h } from './dom.js';
import { formatNumber, getLanguage, labelFor, t } from './i18n.js';
import { statusBadge } from './sessions.js';

// `next`: also the item after the current one (the chair's console).
// Once the session has closed no item is under way any more, whatever the agenda last pointed at.
function itemUnderWay(state) {
  return ['ended', 'archived'].includes(state.session?.status) ? null : state.currentItem;
}

export function sessionHeading(state, { next = false } = {}) {
  const session = state.session;
  const current = itemUnderWay(state);
  const following = next && current ? state.items.find((item) => item.position === current.position + 1) : null;
  return h(
    'div',
    { class: 'live-heading' },
    h(
      'div',
      { class: 'session-head' },
      h('h2', { class: 'live-title', 'data-testid': 'live-title', text: session.title }),
      h('span', { 'data-testid': 'session-status' }, statusBadge(session.status)),
    ),
    current
      ? h(
          'p',
          { class: 'live-current', 'data-testid': 'current-item' },
          h('span', { class: 'section-label', text: t('agenda.current') }),
          h('span', { text: `${formatNumber(current.position)}. ${current.title}` }),
        )
      : null,
    following
      ? h(
          'p',
          { class: 'live-next', 'data-testid': 'next-item' },
          h('span', { class: 'section-label', text: t('agenda.next') }),
          h('span', { text: `${formatNumber(following.position)}. ${following.title}` }),
        )
      : null,
  );
}

export function quorumView(quorum) {
  if (!quorum) return null;
  const numbers = t('quorum.present', { present: formatNumber(quorum.present), total: formatNumber(quorum.total) });
  return h(
    'p',
    { class: ['quorum', quorum.met ? 'quorum-met' : 'quorum-short'], 'data-testid': 'quorum' },
    h('span', { class: 'quorum-numbers', text: numbers }),
    h('span', {
      class: 'quorum-verdict',
      text: quorum.met ? t('quorum.met') : t('quorum.short', { required: formatNumber(quorum.required) }),
    }),
  );
}

// The agenda; `action(item)` may add a control to each item (the chair's "go to").
export function agendaList(state, action = () => null) {
  const current = itemUnderWay(state)?.id;
  if (!state.items.length) return h('p', { class: 'empty', text: t('agenda.empty') });
  return h(
    'ol',
    { class: 'agenda agenda-live', 'data-testid': 'live-agenda' },
    state.items.map((item) =>
      h(
        'li',
        { class: 'agenda-item', 'aria-current': item.id === current ? 'step' : false, data: { id: item.id } },
        h('span', { class: 'agenda-number', 'aria-hidden': 'true', text: formatNumber(item.position) }),
        h(
          'div',
          { class: 'agenda-body' },
          h('p', { class: 'agenda-title', text: item.title }),
          h(
            'p',
            { class: 'facts' },
            item.id === current ? h('span', { class: 'badge badge-live', text: t('agenda.now') }) : null,
            h('span', { class: 'chip', text: labelFor('agenda.kind', item.kind) }),
            item.presenter ? h('span', { text: t('agenda.presenter', { name: item.presenter }) }) : null,
          ),
          action(item),
        ),
      ),
    ),
  );
}

// Who has the floor, their kind of speech and the time left; `big` for the chair and the public.
export function speakerNow(current, { big = false } = {}) {
  if (!current) return h('p', { class: 'empty', 'data-testid': 'speaker-none', text: t('speakers.nobody') });
  return h(
    'div',
    { class: ['speaker-now', big ? 'speaker-now-big' : ''], 'data-testid': 'speaker-now' },
    h(
      'div',
      { class: 'speaker-who' },
      h('p', { class: 'speaker-name', 'data-testid': 'speaker-name', text: current.name }),
      h('p', { class: 'muted', text: labelFor('speech.kind', current.kind) }),
    ),
    current.deadline ? clock(current.deadline, { label: t('speakers.timeLeft'), className: 'speaker-clock' }) : null,
  );
}

export function resultText(result) {
  return getLanguage() === 'en' ? result.text_en : result.text_vi;
}

// A choice as the motion's ballot names it (the server sends the labels with the ballot, from `voting`).
export function ballotLabel(ballot, value) {
  const choice = ballot?.choices?.find((c) => c.value === value);
  if (choice) return getLanguage() === 'en' ? choice.en : choice.vi;
  return ballot?.options?.find((o) => o.key === value)?.name ?? value;
}

export function motionKindLabel(motion) {
  const kind = labelFor('motion.kind', motion.kind);
  return motion.kind === 'election' ? t('motion.electionSeats', { kind, seats: formatNumber(motion.seats) }) : kind;
}

function namedList(motion, named) {
  return h(
    'details',
    { class: 'named' },
    h('summary', { text: t('vote.namedList', { count: formatNumber(named.length) }) }),
    h(
      'ul',
      { class: 'named-list' },
      named.map((entry) => h('li', {}, h('span', { text: entry.name }), h('span', { text: ballotLabel(motion.ballot, entry.choice) }))),
    ),
  );
}

// What the vote decided, in the words of `voting` (sent with the result), with a capital: "Đã được thông qua".
function sentence(text) {
  return text ? `${text[0].toUpperCase()}${text.slice(1)}` : '';
}

function verdictOf(result) {
  if (result.verdict_vi === undefined) return { ok: result.passed, text: t(result.passed ? 'vote.passed' : 'vote.failed') };
  return { ok: result.carried, text: sentence(getLanguage() === 'en' ? result.verdict_en : result.verdict_vi) };
}

function officialsList(result) {
  return h(
    'ul',
    { class: 'officials-result', 'data-testid': 'officials-result' },
    result.officials.map((official) => {
      const found = verdictOf(official);
      const flagged = Boolean(official.propose_relief) || (official.outcome !== undefined && official.outcome !== 'no_action');
      return h(
        'li',
        { class: ['official-result', flagged ? 'official-flagged' : ''] },
        h('p', { class: 'official-name' }, h('strong', { text: official.name }), official.title ? h('span', { class: 'muted', text: ` — ${official.title}` }) : null),
        h('p', { text: getLanguage() === 'en' ? official.text_en : official.text_vi }),
        h('p', { class: ['badge', 'badge-verdict', flagged ? 'badge-closed' : 'badge-ok'], text: found.text }),
      );
    }),
  );
}

export function resultCard(motion) {
  const result = motion.result ?? {};
  const decided = result.officials ? null : verdictOf(result);
  const ok = decided ? decided.ok : !result.passed;
  return h(
    'article',
    { class: ['result', ok ? 'result-passed' : 'result-failed'], 'data-testid': 'result' },
    h('h3', { class: 'result-title', text: motion.title }),
    decided ? h('p', { class: ['badge', 'badge-verdict', decided.ok ? 'badge-ok' : 'badge-closed'], 'data-testid': 'verdict', text: decided.text }) : null,
    result.officials ? officialsList(result) : h('p', { class: 'result-text', 'data-testid': 'result-text', text: resultText(result) }),
    result.present_not_voted === undefined
      ? null
      : h('p', { class: 'result-not-voted', 'data-testid': 'result-not-voted', text: t('vote.presentNotVoted', { count: formatNumber(result.present_not_voted), present: formatNumber(result.present) }) }),
    result.named?.length ? namedList(motion, result.named) : null,
  );
}

export function resultsList(vote) {
  const results = [...(vote?.results ?? [])].reverse();
  if (!results.length) return h('p', { class: 'empty', text: t('vote.noResults') });
  return h('div', { class: 'results', 'data-testid': 'results' }, results.map(resultCard));
}
