// Pieces of a live session that several apps show the same way: the agenda with its current item, the quorum,
// the person who has the floor with their timer, and the results of closed votes.

import { clock } from './clock.js';
import { h } from './dom.js';
import { formatNumber, getLanguage, labelFor, t } from './i18n.js';
import { statusBadge } from './sessions.js';

export function sessionHeading(state) {
  const session = state.session;
  const current = state.currentItem;
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
  const current = state.slices.agenda?.current_item_id;
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

const CHOICE_KEYS = new Set(['yes', 'no', 'abstain', 'confidence', 'no_confidence', 'high', 'medium', 'low']);

export function choiceLabel(choice) {
  return CHOICE_KEYS.has(choice) ? t(`choice.${choice}`) : choice;
}

function namedList(named) {
  return h(
    'details',
    { class: 'named' },
    h('summary', { text: t('vote.namedList', { count: formatNumber(named.length) }) }),
    h(
      'ul',
      { class: 'named-list' },
      named.map((entry) => h('li', {}, h('span', { text: entry.name }), h('span', { text: choiceLabel(entry.choice) }))),
    ),
  );
}

export function resultCard(motion) {
  const result = motion.result ?? {};
  return h(
    'article',
    { class: ['result', result.passed ? 'result-passed' : 'result-failed'], 'data-testid': 'result' },
    h('h3', { class: 'result-title', text: motion.title }),
    h('p', {
      class: ['badge', result.passed ? 'badge-ok' : 'badge-closed'],
      text: t(result.passed ? 'vote.passed' : 'vote.failed'),
    }),
    h('p', { class: 'result-text', 'data-testid': 'result-text', text: resultText(result) }),
    result.named?.length ? namedList(result.named) : null,
  );
}

export function resultsList(vote) {
  const results = [...(vote?.results ?? [])].reverse();
  if (!results.length) return h('p', { class: 'empty', text: t('vote.noResults') });
  return h('div', { class: 'results', 'data-testid': 'results' }, results.map(resultCard));
}
