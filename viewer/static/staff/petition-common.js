// What the petition views share: status badges, Vietnamese dates, labelled choices, a table.

import { h } from '../shared/dom.js';
import { labelFor, t } from '../shared/i18n.js';

export const STATUSES = ['received', 'classified', 'forwarded', 'answered', 'closed', 'returned'];
export const CHANNELS = ['meeting', 'online', 'letter', 'hotline'];
export const LEVELS = ['commune', 'province', 'central'];
export const RATINGS = ['satisfied', 'partly', 'not_satisfied'];
export const FIELDS = [
  'Giao thông',
  'Đất đai',
  'Môi trường',
  'Y tế',
  'Giáo dục',
  'An sinh xã hội',
  'Nông nghiệp',
  'Điện, nước',
  'An ninh, trật tự',
  'Văn hóa, thể thao',
  'Khác',
];

const BADGE = { received: '', classified: '', forwarded: 'badge-scheduled', answered: 'badge-ok', closed: '', returned: 'badge-paused' };

export function statusBadge(status, overdue = false) {
  return [
    h('span', { class: ['badge', BADGE[status]], 'data-testid': 'petition-status', text: labelFor('pet.status', status) }),
    overdue ? h('span', { class: 'badge badge-danger', text: t('pet.overdue') }) : null,
  ];
}

// "2027-01-31" → "31/01/2027" whatever the browser's language (the dates are the council's).
export function vnDate(iso) {
  if (!iso) return '';
  const [year, month, day] = iso.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
}

export function options(values, prefix, { empty = null } = {}) {
  const list = values.map((v) => [v, prefix ? labelFor(prefix, v) : v]);
  return empty === null ? list : [['', empty], ...list];
}

export function table({ label, columns, rows, testid, rowTestid }) {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': label },
    h(
      'table',
      { class: 'table', 'data-testid': testid || false },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, rows.map((cells) => h('tr', { 'data-testid': rowTestid || false }, cells.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))),
    ),
  );
}

export function textArea(name, { rows = 4, maxlength = 20000, required = false, text = '' } = {}) {
  return h('textarea', { name, rows: String(rows), maxlength: String(maxlength), required, text });
}

export function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

export function inDays(days) {
  const date = new Date(`${today()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
