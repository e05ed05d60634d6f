// The office's other petition work: the agencies that resolve petitions and their sign-in accounts, voter meetings,
// the public form's moderation queue, and a voter's personal data exported or erased on request (Decree 13/2023).

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { field, form, select, value } from '../shared/forms.js';
import { formatDateTime, formatNumber, labelFor, t } from '../shared/i18n.js';
import { LEVELS, options, table, textArea, vnDate } from './petition-common.js';

function panel(id, title, ...children) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id, text: title }), children);
}

export async function agenciesView(council) {
  const root = h('div', { class: 'stack' });
  const render = async () => {
    const agencies = await api.get(`/api/councils/${council.id}/agencies`);
    const accounts = await Promise.all(agencies.map((a) => api.get(`/api/agencies/${a.id}/accounts`)));
    replace(
      root,
      panel(
        'agencies-heading',
        t('pet.agencies'),
        agencies.length
          ? table({
              label: t('pet.agencies'),
              testid: 'agency-table',
              columns: [t('pet.agencyName'), t('pet.level'), t('pet.email'), t('pet.accounts')],
              rows: agencies.map((a, i) => [a.name, labelFor('pet.level', a.level), a.email, accounts[i].map((u) => u.username).join(', ')]),
            })
          : h('p', { class: 'empty', text: t('pet.noAgencies') }),
        h(
          'details',
          { class: 'setup-add' },
          h('summary', { text: t('pet.newAgency') }),
          form({
            testid: 'agency-form',
            fields: [
              field(t('pet.agencyName'), h('input', { name: 'name', required: true, maxlength: '300' })),
              field(t('pet.level'), select('level', options(LEVELS, 'pet.level'), 'commune')),
              field(t('pet.email'), h('input', { name: 'email', type: 'email', maxlength: '320' })),
            ],
            submitText: t('pet.add'),
            submit: async (element) => {
              await api.post(`/api/councils/${council.id}/agencies`, { name: value(element, 'name'), level: value(element, 'level'), email: value(element, 'email') });
              await render();
            },
          }),
        ),
        agencies.length
          ? h(
              'details',
              { class: 'setup-add' },
              h('summary', { text: t('pet.newAccount') }),
              form({
                testid: 'agency-account-form',
                fields: [
                  field(t('pet.agency'), select('agency', agencies.map((a) => [a.id, a.name]))),
                  field(t('login.username'), h('input', { name: 'username', required: true, pattern: '[a-z0-9._-]+', maxlength: '64' })),
                  field(t('pet.displayName'), h('input', { name: 'display_name', required: true, maxlength: '200' })),
                  field(t('login.password'), h('input', { name: 'password', type: 'password', required: true, minlength: '10', autocomplete: 'new-password' })),
                ],
                submitText: t('pet.createAccount'),
                submit: async (element) => {
                  await api.post(`/api/agencies/${value(element, 'agency')}/accounts`, {
                    username: value(element, 'username'),
                    display_name: value(element, 'display_name'),
                    password: value(element, 'password'),
                  });
                  await render();
                },
              }),
            )
          : null,
      ),
    );
  };
  await render();
  return root;
}

export async function meetingsView(council) {
  const root = h('div');
  const render = async () => {
    const meetings = await api.get(`/api/councils/${council.id}/voter-meetings`);
    replace(
      root,
      panel(
        'meetings-heading',
        t('pet.meetings'),
        meetings.length
          ? table({
              label: t('pet.meetings'),
              columns: [t('pet.meetingDate'), t('pet.place'), t('pet.group'), t('pet.mode'), t('pet.voterCount')],
              rows: meetings.map((m) => [vnDate(m.held_on), m.place, m.group, labelFor('pet.mode', m.mode), formatNumber(m.voter_count)]),
            })
          : h('p', { class: 'empty', text: t('pet.noMeetings') }),
        h(
          'details',
          { class: 'setup-add' },
          h('summary', { text: t('pet.newMeeting') }),
          form({
            testid: 'meeting-form',
            fields: [
              field(t('pet.meetingDate'), h('input', { name: 'held_on', type: 'date', required: true })),
              field(t('pet.place'), h('input', { name: 'place', required: true, maxlength: '300' })),
              field(t('pet.group'), h('input', { name: 'group', maxlength: '200' })),
              field(t('pet.mode'), select('mode', options(['in_person', 'online'], 'pet.mode'), 'in_person')),
              field(t('pet.voterCount'), h('input', { name: 'voter_count', type: 'number', min: '0', value: '0' })),
              field(t('pet.note'), textArea('note', { rows: 2, maxlength: 4000 })),
            ],
            submitText: t('pet.add'),
            submit: async (element) => {
              await api.post(`/api/councils/${council.id}/voter-meetings`, {
                held_on: value(element, 'held_on'),
                place: value(element, 'place'),
                group: value(element, 'group'),
                mode: value(element, 'mode'),
                voter_count: Number(value(element, 'voter_count')) || 0,
                note: value(element, 'note'),
              });
              await render();
            },
          }),
        ),
      ),
    );
  };
  await render();
  return root;
}

export async function submissionsView(council) {
  const root = h('div');
  const render = async () => {
    const pending = await api.get(`/api/councils/${council.id}/petition-submissions`);
    const decide = async (submission, accept, reason = '') => {
      await api.post(`/api/petition-submissions/${submission.id}/decision`, { accept, reason });
      await render();
    };
    replace(
      root,
      panel(
        'online-heading',
        t('pet.online'),
        h('p', { class: 'muted', text: t('pet.onlineHint', { url: `${window.location.origin}/public/petitions/?council=${council.id}` }) }),
        pending.length
          ? h(
              'ul',
              { class: 'submissions', 'data-testid': 'submissions' },
              pending.map((s) =>
                h(
                  'li',
                  { class: 'submission' },
                  h('p', { class: 'facts' }, h('span', { text: formatDateTime(s.created_at) }), s.locality ? h('span', { text: s.locality }) : null, h('span', { text: [s.full_name, s.contact].filter(Boolean).join(' · ') || t('pet.anonymous') })),
                  h('p', { text: s.content }),
                  h(
                    'div',
                    { class: 'form-actions' },
                    h('button', { type: 'button', class: 'button button-primary', text: t('pet.accept'), on: { click: () => decide(s, true) } }),
                    h('button', { type: 'button', class: 'button button-quiet', text: t('pet.reject'), on: { click: () => decide(s, false, window.prompt(t('pet.rejectReason')) ?? '') } }),
                  ),
                ),
              ),
            )
          : h('p', { class: 'empty', text: t('pet.noSubmissions') }),
      ),
    );
  };
  await render();
  return root;
}

// A generated file saved by the browser (a blob: address, which dom.js rightly refuses for page links).
function download(data) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  link.download = 'du-lieu-cu-tri.json';
  link.click();
  URL.revokeObjectURL(link.href);
}

export async function personalDataView(council) {
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'voter-data' });
  const body = (element) => ({ full_name: value(element, 'full_name'), contact: value(element, 'contact') });
  const fields = () => [
    field(t('pet.voterName'), h('input', { name: 'full_name', required: true, maxlength: '200', autocomplete: 'off' })),
    field(t('pet.voterContact'), h('input', { name: 'contact', maxlength: '200', autocomplete: 'off' })),
  ];
  return panel(
    'data-heading',
    t('pet.personalData'),
    h('p', { class: 'muted', text: t('pet.personalDataHint') }),
    form({
      testid: 'voter-export',
      fields: fields(),
      submitText: t('pet.exportData'),
      submit: async (element) => {
        const data = await api.post(`/api/councils/${council.id}/voter-data/export`, body(element));
        replace(
          result,
          h('p', { text: t('pet.recordsFound', { count: formatNumber(data.records.length) }) }),
          h('button', { type: 'button', class: 'button', text: t('pet.downloadData'), on: { click: () => download(data) } }),
        );
      },
    }),
    form({
      testid: 'voter-erase',
      fields: fields(),
      submitText: t('pet.eraseData'),
      submit: async (element) => {
        if (!window.confirm(t('pet.eraseConfirm'))) return;
        const done = await api.post(`/api/councils/${council.id}/voter-data/erase`, body(element));
        replace(result, h('p', { class: 'notice notice-ok', text: t('pet.erasedCount', { count: formatNumber(done.erased) }) }));
      },
    }),
    result,
  );
}
