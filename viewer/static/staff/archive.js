// After the session: the archive job's progress, the video with its chapters for review, the minutes (draft,
// approved, published) with their PDF, and the buttons to approve and publish.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { labelFor, t } from '../shared/i18n.js';
import { failure } from '../shared/shell.js';

const AFTER = ['ended', 'archived'];

export function archivePanel(session) {
  if (!AFTER.includes(session.status)) return null;
  const body = h('div', { class: 'archive-body' });
  const root = h('section', { class: 'panel', 'aria-labelledby': 'archive-review-heading', 'data-testid': 'archive-review' }, h('h2', { id: 'archive-review-heading', text: t('archive.review') }), body);
  const act = (path) => async (event) => {
    event.currentTarget.disabled = true;
    try {
      await api.post(path, {});
    } catch (error) {
      replace(body, failure(error, load));
      return;
    }
    await load();
  };
  const load = async () => {
    let archive;
    try {
      archive = await api.get(`/api/sessions/${session.id}/archive`);
    } catch (error) {
      replace(body, failure(error, load));
      return;
    }
    replace(
      body,
      h('p', { class: 'facts' }, h('span', { class: 'badge', text: labelFor('archive.status', archive.status) }), archive.minutes_status ? h('span', { text: t('archive.minutesStatus', { status: labelFor('minutes.status', archive.minutes_status) }) }) : null),
      archive.error ? h('p', { class: 'notice notice-error', text: archive.error }) : null,
      archive.video ? h('video', { class: 'player-video', controls: true, preload: 'metadata', src: archive.video.url }) : null,
      h(
        'div',
        { class: 'form-actions' },
        h('a', { class: 'button', href: `/api/sessions/${session.id}/minutes/pdf`, text: t('archive.minutesPdf') }),
        archive.minutes_status === 'draft' ? h('button', { type: 'button', class: 'button button-primary', text: t('archive.approve'), on: { click: act(`/api/sessions/${session.id}/minutes/approve`) } }) : null,
        archive.minutes_status === 'approved' && !archive.published_at ? h('button', { type: 'button', class: 'button button-primary', text: t('archive.publish'), on: { click: act(`/api/sessions/${session.id}/archive/publish`) } }) : null,
        h('button', { type: 'button', class: 'button button-quiet', text: t('archive.rerun'), on: { click: act(`/api/sessions/${session.id}/archive/job`) } }),
      ),
    );
  };
  load();
  return root;
}
