// An agency's inbox (cơ quan giải quyết): the petitions assigned to it, nearest deadline first, overdue ones marked;
// answering with files, or returning one that is not its to resolve. It never sees who the voters are.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { field, form, value } from '../shared/forms.js';
import { formatNumber, t } from '../shared/i18n.js';
import { failure } from '../shared/shell.js';
import { answerForm, answersList } from './petition-detail.js';
import { statusBadge, textArea, vnDate } from './petition-common.js';

function card(petition, reload) {
  const open = petition.status === 'forwarded' || petition.status === 'answered';
  return h(
    'li',
    { class: ['panel', 'assigned', petition.overdue ? 'petition-overdue' : ''], 'data-testid': 'assigned-petition', data: { id: petition.id } },
    h('h3', { text: t('pet.number', { id: petition.id }) }),
    h('p', { class: 'petition-content', text: petition.content }),
    h(
      'p',
      { class: 'facts' },
      statusBadge(petition.status, petition.overdue),
      petition.field ? h('span', { text: petition.field }) : null,
      petition.locality ? h('span', { text: petition.locality }) : null,
      h('span', { text: t('pet.voters', { count: formatNumber(petition.voter_count) }) }),
      petition.deadline ? h('span', { text: t('pet.deadlineOn', { date: vnDate(petition.deadline) }) }) : null,
    ),
    answersList(petition.answers),
    open ? h('details', { class: 'setup-add', open: petition.answers.length === 0 }, h('summary', { text: t('pet.enterAnswer') }), answerForm(petition.id, reload)) : null,
    petition.status === 'forwarded'
      ? h(
          'details',
          { class: 'setup-add' },
          h('summary', { text: t('pet.returnIt') }),
          form({
            testid: 'return-form',
            fields: [field(t('pet.returnReason'), textArea('reason', { rows: 2, maxlength: 4000, required: true }))],
            submitText: t('pet.return'),
            submit: async (element) => {
              await api.post(`/api/petitions/${petition.id}/return`, { reason: value(element, 'reason') });
              await reload();
            },
          }),
        )
      : null,
  );
}

export async function agencyInbox(user, summary, slot) {
  let overdueOnly = false;
  const load = async () => {
    let page;
    try {
      page = await api.get(`/api/assigned-petitions?per_page=100${overdueOnly ? '&overdue=true' : ''}`);
    } catch (error) {
      replace(slot, failure(error, load));
      return;
    }
    const toggle = h('input', {
      type: 'checkbox',
      checked: overdueOnly,
      on: {
        change: (event) => {
          overdueOnly = event.target.checked;
          load();
        },
      },
    });
    replace(
      summary,
      h('h2', { id: 'council-heading', text: user.display_name }),
      h('p', { class: 'muted', text: page.items[0]?.council_name ?? '' }),
    );
    replace(
      slot,
      h(
        'section',
        { 'aria-labelledby': 'inbox-heading' },
        h(
          'div',
          { class: 'section-head' },
          h('h2', { id: 'inbox-heading', text: t('pet.inbox') }),
          h('p', { class: 'muted', 'data-testid': 'inbox-total', text: t('pet.total', { count: formatNumber(page.total) }) }),
        ),
        field(t('pet.onlyOverdue'), toggle),
        page.items.length
          ? h('ul', { class: 'assigned-list', 'data-testid': 'inbox' }, page.items.map((p) => card(p, load)))
          : h('p', { class: 'empty', text: t('pet.inboxEmpty') }),
      ),
    );
  };
  await load();
}
