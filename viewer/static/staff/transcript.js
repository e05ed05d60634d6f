// The transcript of an archived session, beside its video: the speech model's progress, then one block per
// speech (and the chair between speeches) whose lines move the video to where they were said. Staff correct a
// line in place (the machine's text stays beside the correction), words the model was unsure of are marked, and
// the transcript is published as the public video's captions. Per speech, the minutes editor asks whether the
// minutes carry the transcript or a summary.

import { api } from '../shared/api.js';
import { captionsTrack, clock } from '../shared/chapters.js';
import { h, replace, setBusy } from '../shared/dom.js';
import { formatNumber, labelFor, t } from '../shared/i18n.js';
import { failure } from '../shared/shell.js';

const WORKING = ['pending', 'running'];
const POLL_MS = 2000;

function percent(progress) {
  return formatNumber(progress, { style: 'percent', maximumFractionDigits: 0 });
}

// The line's words, those under the model's confidence bar marked; a corrected line is staff's text as it is.
function lineText(segment, lowConfidence) {
  if (segment.corrected || !segment.words.length) return [segment.text];
  const words = [];
  for (const word of segment.words) {
    if (words.length) words.push(' ');
    words.push(
      word.probability < lowConfidence
        ? h('mark', { class: 'word-unsure', title: t('transcript.unsure', { confidence: percent(word.probability) }), text: word.word })
        : word.word,
    );
  }
  return words;
}

function blockTitle(block) {
  const speaker = block.speaker || t('transcript.unknownSpeaker');
  if (block.chair) return t('transcript.chairTurn', { speaker });
  return `${speaker} — ${labelFor('speech.kind', block.kind)}`;
}

export function transcriptReview(sessionId, video) {
  const base = `/api/sessions/${sessionId}/transcript`;
  const root = h('section', { class: 'transcript', 'aria-labelledby': 'transcript-heading', 'data-testid': 'transcript' });
  const lines = [];
  const stateSlot = h('div', { class: 'transcript-state' });
  let timer = null;
  let shown = false;
  let captions = null;
  let segments = -1;

  // The review's video is made and remade by the archive panel; its events are caught on their way down.
  const follow = (event) => {
    const player = video();
    if (!root.isConnected && shown) {
      document.removeEventListener('timeupdate', follow, true);
      document.removeEventListener('loadedmetadata', follow, true);
      return;
    }
    if (!player || event.target !== player) return;
    if (captions && !player.querySelector('track')) player.append(captionsTrack(captions));
    const now = player.currentTime;
    for (const { element, segment } of lines) {
      const current = now >= segment.start && now < segment.end;
      if (current) element.setAttribute('aria-current', 'true');
      else element.removeAttribute('aria-current');
    }
  };

  const seek = (seconds) => {
    const player = video();
    if (!player) return;
    player.currentTime = seconds;
    player.play().catch(() => {
      // Playing refused (no sound allowed yet): the video still shows the moment.
    });
  };

  const editor = (segment, item, lowConfidence) => {
    const input = h('textarea', { rows: '3', maxlength: '4000', 'aria-label': t('transcript.correction'), text: segment.text });
    const save = h('button', { type: 'submit', class: 'button button-primary', text: t('transcript.save') });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const restore = () => replace(item, ...lineContent(segment, item, lowConfidence));
    const element = h(
      'form',
      { class: 'transcript-edit' },
      input,
      h('p', { class: 'muted transcript-machine', text: t('transcript.machine', { text: segment.machine_text }) }),
      h(
        'div',
        { class: 'form-actions' },
        save,
        segment.corrected ? h('button', { type: 'button', class: 'button', text: t('transcript.useMachine'), on: { click: () => submit(null) } }) : null,
        h('button', { type: 'button', class: 'button button-quiet', text: t('transcript.cancel'), on: { click: restore } }),
      ),
      error,
    );
    const submit = async (text) => {
      setBusy(save, true);
      try {
        Object.assign(segment, await api.patch(`${base}/segments/${segment.id}`, { text }));
        restore();
      } catch (problem) {
        error.textContent = problem.message;
        setBusy(save, false);
      }
    };
    element.addEventListener('submit', (event) => {
      event.preventDefault();
      submit(input.value);
    });
    return element;
  };

  const lineContent = (segment, item, lowConfidence) => [
    h(
      'button',
      { type: 'button', class: 'transcript-line', title: t('transcript.seek'), on: { click: () => seek(segment.start) } },
      h('span', { class: 'transcript-time', text: clock(segment.start) }),
      h('span', { class: 'transcript-text' }, lineText(segment, lowConfidence)),
    ),
    segment.corrected ? h('p', { class: 'muted transcript-machine', text: t('transcript.machine', { text: segment.machine_text }) }) : null,
    h('button', {
      type: 'button',
      class: 'button button-quiet transcript-fix',
      text: t('transcript.edit'),
      on: {
        click: () => {
          replace(item, editor(segment, item, lowConfidence));
          item.querySelector('textarea').focus();
        },
      },
    }),
  ];

  const line = (segment, lowConfidence) => {
    const item = h('li', { class: ['transcript-item', segment.corrected && 'transcript-corrected'], 'data-testid': 'transcript-line' });
    replace(item, ...lineContent(segment, item, lowConfidence));
    lines.push({ element: item, segment });
    return item;
  };

  const render = (transcript) => {
    lines.length = 0;
    const publishing = transcript.published_at ? 'withdraw' : 'publish';
    const blocks = transcript.blocks.map((block) =>
      h(
        'section',
        { class: ['transcript-block', block.chair && 'transcript-chair'], 'data-testid': 'transcript-block' },
        h('h4', {}, h('button', { type: 'button', class: 'transcript-speaker', text: `${clock(block.start)} ${blockTitle(block)}`, on: { click: () => seek(block.start) } })),
        h('ol', { class: 'transcript-lines' }, block.segments.map((segment) => line(segment, transcript.low_confidence))),
      ),
    );
    return [
      transcript.status === 'done'
        ? h(
            'div',
            { class: 'form-actions' },
            h('span', { class: 'badge', 'data-testid': 'transcript-published', text: t(transcript.published_at ? 'transcript.published' : 'transcript.notPublished') }),
            h('button', { type: 'button', class: 'button', text: t(`transcript.${publishing}`), on: { click: act(`${base}/${publishing}`) } }),
          )
        : null,
      blocks.length ? blocks : transcript.status === 'done' ? h('p', { class: 'empty', text: t('transcript.empty') }) : null,
    ];
  };

  const state = (transcript) => {
    if (WORKING.includes(transcript.status)) {
      const working = t('transcript.working', { percent: percent(transcript.progress) });
      return h('div', { class: 'transcript-progress', role: 'status', 'data-testid': 'transcript-progress' }, h('p', { text: working }), h('progress', { max: '1', value: String(transcript.progress), 'aria-label': working }));
    }
    if (transcript.status === 'unconfigured') {
      return h(
        'div',
        { class: 'notice', 'data-testid': 'transcript-unconfigured' },
        h('p', { text: t('transcript.unconfigured') }),
        h('button', { type: 'button', class: 'button', text: t('transcript.again'), on: { click: act(`${base}/job`) } }),
      );
    }
    if (transcript.status === 'failed') {
      return h(
        'div',
        { class: 'notice notice-error', role: 'alert' },
        h('p', { text: t('transcript.failed', { error: transcript.error }) }),
        h('button', { type: 'button', class: 'button', text: t('transcript.again'), on: { click: act(`${base}/job`) } }),
      );
    }
    return null;
  };

  const load = async () => {
    clearTimeout(timer);
    let transcript;
    try {
      transcript = await api.get(base);
    } catch (error) {
      replace(root, h('h3', { id: 'transcript-heading', class: 'section-label', text: t('transcript.heading') }), failure(error, load));
      return;
    }
    // A review the page has since replaced stops asking.
    if (shown && !root.isConnected) return;
    shown = true;
    const count = transcript.blocks.reduce((sum, block) => sum + block.segments.length, 0);
    const editing = root.querySelector('.transcript-edit');
    if (WORKING.includes(transcript.status) && (editing || count === segments) && stateSlot.isConnected) {
      // While the model works, new lines are added only when there are some, and never over a correction.
      replace(stateSlot, state(transcript));
    } else {
      const top = root.scrollTop;
      replace(root, h('h3', { id: 'transcript-heading', class: 'section-label', text: t('transcript.heading') }), stateSlot, render(transcript));
      replace(stateSlot, state(transcript));
      root.scrollTop = top;
      segments = count;
    }
    captions = transcript.status === 'done' ? transcript.captions_url : null;
    const player = video();
    if (player && captions && !player.querySelector('track')) player.append(captionsTrack(captions));
    if (WORKING.includes(transcript.status)) timer = setTimeout(load, POLL_MS);
  };

  const act = (path) => async (event) => {
    event.currentTarget.disabled = true;
    try {
      await api.post(path, {});
    } catch (error) {
      replace(root, failure(error, load));
      return;
    }
    await load();
  };

  document.addEventListener('timeupdate', follow, true);
  document.addEventListener('loadedmetadata', follow, true);
  load();
  return root;
}

// The minutes editor's choice for one speech: its transcript (corrections included) or staff's summary.
export function speechSource(speech) {
  const name = `source-${speech.id}`;
  const option = (value) =>
    h('label', { class: 'field-check' }, h('input', { type: 'radio', name, value, checked: speech.source === value }), h('span', { text: t(`minutes.source.${value}`) }));
  return h(
    'fieldset',
    { class: 'speech-source' },
    h('legend', { text: t('minutes.source', { speaker: speech.speaker }) }),
    option('transcript'),
    option('summary'),
    speech.source === 'transcript' && speech.text ? h('p', { class: 'muted speech-transcript', text: speech.text }) : null,
  );
}
