// The councils an office account works for, and the one a page opens on: ?council=ID in the address, else the
// account's own, else the first. Null (after saying so on the page) when the account has none.

import { api } from './api.js';
import { $, h, replace } from './dom.js';
import { t } from './i18n.js';

function councilFromAddress() {
  const value = new URLSearchParams(window.location.search).get('council');
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

export async function officeCouncils(user) {
  const councils = await api.get('/api/councils');
  if (!councils.length) {
    replace($('main'), h('section', { class: 'panel notice', text: t('council.none') }));
    return null;
  }
  const wanted = councilFromAddress() ?? user.council_id;
  return { councils, first: councils.find((c) => c.id === wanted) ?? councils[0] };
}
