// Arming the camera stream of a session: the RTMP address with its key for the hall encoder, the WHIP address
// for a browser or OBS, and the stream's status. The key is shown once, when it is made.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { labelFor, t } from '../shared/i18n.js';
import { failure } from '../shared/shell.js';

function copyable(label, text, testid) {
  const input = h('input', { readonly: true, value: text, 'data-testid': testid, 'aria-label': label });
  return h(
    'div',
    { class: 'copy-field' },
    h('span', { class: 'field-label', text: label }),
    h(
      'div',
      { class: 'copy-row' },
      input,
      h('button', {
        type: 'button',
        class: 'button',
        text: t('stream.copy'),
        on: { click: () => navigator.clipboard?.writeText(text).catch(() => input.select()) },
      }),
    ),
  );
}

export function streamPanel(session) {
  const body = h('div', { class: 'stream-body' });
  const root = h('section', { class: 'panel', 'aria-labelledby': 'stream-heading', 'data-testid': 'stream-panel' }, h('h2', { id: 'stream-heading', text: t('stream.heading') }), body);
  const show = (info, armed = null) => {
    const status = info.status?.status ?? 'off';
    replace(
      body,
      h('p', { class: 'facts' }, h('span', { class: ['badge', status === 'live' ? 'badge-live' : ''], 'data-testid': 'stream-state', text: labelFor('stream.status', status) }), info.key ? h('span', { text: t('stream.keyHint', { hint: info.key.hint }) }) : null),
      info.rtmp.available ? null : h('p', { class: 'notice notice-warn', text: info.rtmp.reason }),
      armed
        ? [
            h('p', { class: 'notice', text: t('stream.keyOnce') }),
            copyable(t('stream.rtmpUrl'), armed.publish_url, 'rtmp-url'),
            copyable(t('stream.key'), armed.stream_key, 'stream-key'),
            copyable(t('stream.whipUrl'), armed.whip_url, 'whip-url'),
          ]
        : null,
      ['ended', 'archived'].includes(session.status)
        ? null
        : h('button', {
            type: 'button',
            class: 'button button-primary',
            'data-testid': 'arm-stream',
            text: t(info.key ? 'stream.rearm' : 'stream.arm'),
            on: {
              click: async () => {
                try {
                  const result = await api.post(`/api/sessions/${session.id}/stream/key`, {});
                  show(result, result);
                } catch (error) {
                  replace(body, failure(error, load));
                }
              },
            },
          }),
    );
  };
  const load = async () => {
    try {
      show(await api.get(`/api/sessions/${session.id}/stream`));
    } catch (error) {
      replace(body, failure(error, load));
    }
  };
  load();
  return root;
}
