// Arming the camera stream of a session: the RTMP address with its key for the hall encoder, the WHIP address
// for a browser or OBS, and the stream's status. The key is shown once, when it is made. A new key replacing the one
// in use cuts the encoder that uses it: it is not the obvious button, and it asks first.

import { api } from '../shared/api.js';
import { askToConfirm } from '../shared/confirm.js';
import { h, replace } from '../shared/dom.js';
import { labelFor, t } from '../shared/i18n.js';
import { copyable } from '../shared/share.js';
import { failure } from '../shared/shell.js';

function rearmConfirm(hint) {
  return {
    title: t('stream.rearmConfirmTitle'),
    describe: () => [h('p', { text: t('stream.rearmConfirmText', { hint }) })],
    confirmText: t('stream.rearmConfirm'),
  };
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
            class: info.key ? 'button button-quiet' : 'button button-primary',
            'data-testid': 'arm-stream',
            text: t(info.key ? 'stream.rearm' : 'stream.arm'),
            on: {
              click: async () => {
                const replacing = Boolean(info.key);
                if (replacing && !(await askToConfirm(rearmConfirm(info.key.hint)))) return;
                try {
                  const result = await api.post(`/api/sessions/${session.id}/stream/key`, { confirm: replacing });
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
