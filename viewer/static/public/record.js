// The session's public record checked in the browser, as `hopso verify --file` does (voting/record.py), with
// WebCrypto's SHA-256 and nothing from the server once the page has loaded.
//
// Each line is one JSON object. An event the public may read carries seq, type, data, actor, time, prev_hash and
// hash, and salt since digests; its canonical content is the JSON object {actor, at: time, data, salt, seq,
// session_id, type} (salt only when the line has one) with sorted keys and no spaces, as Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes it. Numbers
// are kept as the characters the file has (JSON.parse would turn 1.0 into 1), so the content hashes as the server
// hashed it. An omitted event carries its digest. Chain form 2: hash = SHA-256(prev_hash + SHA-256(content));
// form 1 (sessions recorded before digests): hash = SHA-256(prev_hash + content).

const GENESIS = '0'.repeat(64);
const HASH = /^[0-9a-f]{64}$/;

// A JSON value, its numbers as their text: {type:'object', entries}, {type:'array', items}, {type:'number', text},
// or a plain string, boolean or null.
function parse(text) {
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at])) at += 1;
  };
  const fail = () => {
    throw new SyntaxError(`JSON: unexpected ${text[at] ?? 'end'} at ${at}`);
  };
  const value = () => {
    space();
    const c = text[at];
    if (c === '{') {
      at += 1;
      const entries = [];
      space();
      if (text[at] === '}') { at += 1; return { type: 'object', entries }; }
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        const key = string();
        space();
        if (text[at] !== ':') fail();
        at += 1;
        entries.push([key, value()]);
        space();
        if (text[at] === ',') { at += 1; continue; }
        if (text[at] === '}') { at += 1; return { type: 'object', entries }; }
        fail();
      }
    }
    if (c === '[') {
      at += 1;
      const items = [];
      space();
      if (text[at] === ']') { at += 1; return { type: 'array', items }; }
      for (;;) {
        items.push(value());
        space();
        if (text[at] === ',') { at += 1; continue; }
        if (text[at] === ']') { at += 1; return { type: 'array', items }; }
        fail();
      }
    }
    if (c === '"') return string();
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (number) { at += number[0].length; return { type: 'number', text: number[0] }; }
    for (const [word, result] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, at)) { at += word.length; return result; }
    }
    return fail();
  };
  const string = () => {
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(at));
    if (!match) fail();
    at += match[0].length;
    return JSON.parse(match[0]);
  };
  const result = value();
  space();
  if (at !== text.length) fail();
  return result;
}

function canonical(node) {
  if (node === null || typeof node === 'boolean') return String(node);
  if (typeof node === 'string') return JSON.stringify(node);
  if (node.type === 'number') return node.text;
  if (node.type === 'array') return `[${node.items.map(canonical).join(',')}]`;
  const entries = [...node.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${canonical(value)}`).join(',')}}`;
}

// The same value as plain JavaScript, to read its fields.
function plain(node) {
  if (node === null || typeof node !== 'object') return node;
  if (node.type === 'number') return Number(node.text);
  if (node.type === 'array') return node.items.map(plain);
  return Object.fromEntries(node.entries.map(([key, value]) => [key, plain(value)]));
}

function field(node, name) {
  return node.entries.find(([key]) => key === name)?.[1];
}

async function sha256(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function content(node, sessionId) {
  const parts = [
    ['actor', field(node, 'actor') ?? null],
    ['at', field(node, 'time')],
    ['data', field(node, 'data')],
    ['seq', field(node, 'seq')],
    ['session_id', { type: 'number', text: String(sessionId) }],
    ['type', field(node, 'type')],
  ];
  const salt = field(node, 'salt');
  if (salt) parts.push(['salt', salt]);
  return canonical({ type: 'object', entries: parts });
}

function checkVotes(events, problems) {
  const receipts = new Map();
  for (const event of events) {
    if (event.type === 'vote.receipt') receipts.set(event.data.motion_id, (receipts.get(event.data.motion_id) ?? 0) + 1);
  }
  let votes = 0;
  for (const event of events.filter((e) => e.type === 'vote.closed')) {
    votes += 1;
    const { motion_id: motion, ballot_type: ballotType, result = {} } = event.data;
    const counts = result.counts && typeof result.counts === 'object' ? result.counts : null;
    const sum = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
    if (counts && sum !== result.participating) problems.push({ kind: 'counts', motion, seq: event.seq, sum, participating: result.participating });
    if (ballotType === 'secret' && (receipts.get(motion) ?? 0) !== result.participating) {
      problems.push({ kind: 'receipts', motion, seq: event.seq, receipts: receipts.get(motion) ?? 0, participating: result.participating });
    }
    if (ballotType === 'named' && counts) {
      const named = {};
      for (const entry of result.named ?? []) named[entry.choice] = (named[entry.choice] ?? 0) + 1;
      if (Object.entries(counts).some(([choice, count]) => (named[choice] ?? 0) !== count)) problems.push({ kind: 'named', motion, seq: event.seq });
    }
  }
  return votes;
}

// Check a record's text: {ok, events, votes, headSeq, headHash, problems}. A problem is {kind, seq?, ...}:
// 'format' (not a record), 'jump', 'link', 'content' (chain broken at seq), 'counts', 'receipts', 'named' (a
// tally), 'head' (the record's head is not the anchored one).
export async function checkRecord(text, anchoredHead) {
  const report = { ok: false, events: 0, votes: 0, headSeq: 0, headHash: GENESIS, problems: [] };
  let lines;
  try {
    lines = text.split('\n').filter((line) => line.trim()).map(parse);
  } catch (error) {
    report.problems.push({ kind: 'format', detail: String(error.message) });
    return report;
  }
  const header = lines[0] ? plain(lines[0]) : null;
  if (!header || header.record !== 'hopso.session' || ![1, 2].includes(header.chain_form)) {
    report.problems.push({ kind: 'format' });
    return report;
  }
  const shown = [];
  let previous = GENESIS;
  for (const node of lines.slice(1)) {
    const line = plain(node);
    const seq = line.seq;
    if (seq !== report.headSeq + 1) {
      report.problems.push({ kind: 'jump', seq, after: report.headSeq });
      break;
    }
    if (line.prev_hash !== previous || !HASH.test(line.hash ?? '')) {
      report.problems.push({ kind: 'link', seq, type: line.type });
      break;
    }
    let expected = null;
    if (line.omitted) {
      if (header.chain_form === 2) expected = HASH.test(line.digest ?? '') ? await sha256(line.prev_hash + line.digest) : '';
    } else {
      const canonicalContent = content(node, header.session_id);
      expected = await sha256(line.prev_hash + (header.chain_form === 2 ? await sha256(canonicalContent) : canonicalContent));
      shown.push(line);
    }
    if (expected !== null && expected !== line.hash) {
      report.problems.push({ kind: 'content', seq, type: line.type });
      break;
    }
    previous = line.hash;
    report.headSeq = seq;
    report.headHash = previous;
    report.events += 1;
  }
  if (!report.problems.length) report.votes = checkVotes(shown, report.problems);
  if (anchoredHead && anchoredHead !== report.headHash) report.problems.push({ kind: 'head', anchored: anchoredHead });
  report.ok = report.problems.length === 0;
  return report;
}
