// Signing minutes, for the session's secretary and chair (delegates or office staff linked to a member): the
// approved minutes of their sessions, each with its PDF, the signatures so far, and the signing panel when it is
// their turn. `?session=ID` opens one.

import { api } from '../shared/api.js';
import { $, h, replace } from '../shared/dom.js';
import { labelFor, t } from '../shared/i18n.js';
import { signatureList } from '../shared/signatures.js';
import { signingPanel, signingState } from '../shared/signing.js';
import { failure, runApp } from '../shared/shell.js';

async function minutesCard(entry, slot, reload) {
  const minutes = await api.get(`/api/sessions/${entry.session_id}/minutes`);
  const timeZone = minutes.minutes.session.timezone;
  const yourTurn = minutes.signing.next_role && minutes.signing.next_role === entry.your_role;
  replace(
    slot,
    h('h3', { text: entry.title }),
    h('p', { class: 'muted', text: t('signing.as', { council: entry.council_name, role: labelFor('signature.role', entry.your_role) }) }),
    h('p', { class: 'form-actions' }, h('a', { class: 'button', href: minutes.pdf_url, 'data-testid': 'minutes-pdf', text: t('archive.minutesPdf') })),
    signingState(minutes),
    signatureList(minutes.signatures, timeZone),
    yourTurn ? signingPanel(minutes, timeZone, reload) : null,
  );
}

runApp({ namespace: '/live', roles: ['delegate', 'secretary', 'admin'], audienceKey: 'shell.audience.staff' }, async () => {
  const list = $('[data-slot="minutes"]');
  const wanted = Number(new URLSearchParams(window.location.search).get('session')) || null;
  const load = async () => {
    let entries;
    try {
      entries = await api.get('/api/minutes/to-sign');
    } catch (error) {
      replace(list, failure(error, load));
      return;
    }
    const shown = wanted ? entries.filter((entry) => entry.session_id === wanted) : entries;
    if (!shown.length) {
      replace(list, h('p', { class: 'empty', 'data-testid': 'nothing-to-sign', text: t('signing.listEmpty') }));
      return;
    }
    const cards = shown.map((entry) => h('article', { class: 'signing-card', 'data-testid': 'to-sign', data: { session: entry.session_id } }));
    replace(list, cards);
    await Promise.all(shown.map((entry, index) => minutesCard(entry, cards[index], load).catch((error) => replace(cards[index], failure(error, load)))));
  };
  await load();
});
