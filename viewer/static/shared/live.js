// One Socket.IO connection to a namespace: `/live` (signed in by the session cookie) or `/public`.
// Protocol (DESIGN.md §5): `join {session_id, last_seq}` on `/live`, `join {session_id}` on `/public`, is
// acknowledged with `{ok: true, seq, snapshot, ...}` (the state as of `seq`) or `{ok: true, events}` (the events
// missed since `last_seq`), or refused with `{ok: false, error: {code, message}}`. The server then pushes
// `event {seq, type, data, at}` envelopes. The client keeps the last seq it applied; after a reconnect it joins
// again so nothing is missed or applied twice. `/live` gets every event, so a gap in seq means one was missed
// and triggers the same resync, except where an envelope stands for several seqs (`first_seq`..`seq`: ballots
// folded into one `vote.progress`); `/public` only gets the public events, so there gaps are normal.
//
// A Live is an EventTarget: `state` (detail: {state, message}), `snapshot` (detail: snapshot),
// `event` (detail: envelope), `resync-failed` (detail: LiveError). `me` is who the server says we are in the
// session (capacities, own ballot); `serverNow()` is the server's clock, for countdowns stored as deadlines.
// A tablet that loses its network (the browser's `offline` event) drops the socket at once rather than waiting
// for the heartbeat, and reconnects as soon as the network is back.

import { io } from '/vendor/socket.io-client/socket.io.esm.min.js';
import { getLanguage, t } from './i18n.js';

const ACK_TIMEOUT_MS = 10000;

export class LiveError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'LiveError';
    this.code = code;
  }
}

// The server words its refusal ({code, message}) in the language the client sent when connecting.
function refusalMessage(error) {
  const message = error.data?.message;
  return message ? t('live.refused', { message }) : t('live.refusedUnknown');
}

export class Live extends EventTarget {
  // connecting → online ⇄ offline; refused when the server turns the connection away for good.
  state = 'connecting';
  message = t('live.connecting');
  sessionId = null;
  lastSeq = 0;
  me = null;
  clockOffset = 0;
  #joined = false;
  #joining = null; // the join in flight: commands wait for it
  #buffered = null; // events pushed while a join is in flight, applied after its ack
  #everyEvent;
  #socket;

  constructor(namespace) {
    super();
    this.namespace = namespace;
    this.#everyEvent = namespace === '/live';
    // The language is asked again at every reconnect, so a switch applies from then on.
    this.#socket = io(namespace, {
      withCredentials: true,
      reconnectionDelayMax: 3000,
      auth: (send) => send({ lang: getLanguage() }),
    });
    window.addEventListener('offline', () => this.#socket.io.engine?.close());
    window.addEventListener('online', () => {
      if (!this.#socket.connected) this.#socket.disconnect().connect();
    });
    // After a reconnect the server knows which session the connection follows only once it has joined again, and
    // refuses commands until then: the page says online when that join is answered.
    this.#socket.on('connect', () => {
      if (this.#joined) this.#rejoin();
      else this.#setState('online', t('live.online'));
    });
    this.#socket.on('disconnect', (reason) => {
      if (this.#socket.active) this.#setState('offline', t('live.offline'));
      else if (reason === 'io server disconnect') this.#setState('refused', t('live.refusedUnknown'));
    });
    this.#socket.on('connect_error', (error) => {
      if (this.#socket.active) this.#setState('offline', t('live.offline'));
      else this.#setState('refused', refusalMessage(error));
    });
    this.#socket.on('event', (envelope) => {
      if (this.#buffered) this.#buffered.push(envelope);
      else if (this.#joined) this.#receive(envelope);
    });
  }

  // Follows a session; resolves with the server's ack, rejects with a LiveError.
  join(sessionId, lastSeq = sessionId === this.sessionId ? this.lastSeq : 0) {
    return this.#track(this.#join(sessionId, lastSeq));
  }

  #track(joining) {
    this.#joining = joining;
    joining
      .finally(() => {
        if (this.#joining === joining) this.#joining = null;
      })
      .catch(() => {});
    return joining;
  }

  async #join(sessionId, lastSeq) {
    if (sessionId !== this.sessionId) {
      this.sessionId = sessionId;
      this.#joined = false;
    }
    this.lastSeq = lastSeq;
    this.#buffered = [];
    try {
      const request = this.#everyEvent ? { session_id: sessionId, last_seq: lastSeq } : { session_id: sessionId };
      const ack = await this.#emit('join', request);
      this.#applyAck(ack);
      this.#joined = true;
      return ack;
    } finally {
      const buffered = this.#buffered;
      this.#buffered = null;
      if (this.#joined) for (const envelope of buffered) this.#receive(envelope);
    }
  }

  // A command to the joined session (`checkin`, `vote.cast`, …): resolves with the ack `{ok, seq}`, rejects
  // with a LiveError carrying the server's own words.
  async command(name, payload = {}) {
    if (this.#joining) await this.#joining.catch(() => {});
    if (!this.#socket.connected) throw new LiveError('offline', t('live.offline'));
    const ack = await this.#emit(name, payload);
    if (!ack?.ok) throw new LiveError(ack?.error?.code ?? 'error', ack?.error?.message ?? t('live.failed'));
    return ack;
  }

  serverNow() {
    return Date.now() + this.clockOffset;
  }

  async #emit(name, payload) {
    try {
      return await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck(name, payload);
    } catch {
      throw new LiveError('timeout', t('live.timeout'));
    }
  }

  #applyAck(ack) {
    if (!ack || typeof ack !== 'object') throw new LiveError('no_answer', t('live.noAnswer'));
    if (!ack.ok) throw new LiveError(ack.error?.code ?? 'error', ack.error?.message ?? t('live.failed'));
    if (ack.server_time) this.clockOffset = Date.parse(ack.server_time) - Date.now();
    if (ack.me) this.me = ack.me;
    if (ack.snapshot) {
      if (!Number.isInteger(ack.seq)) throw new LiveError('no_answer', t('live.noAnswer'));
      this.lastSeq = ack.seq;
      this.dispatchEvent(new CustomEvent('snapshot', { detail: ack.snapshot }));
    }
    for (const envelope of ack.events ?? []) this.#receive(envelope);
  }

  #receive(envelope) {
    if (!Number.isInteger(envelope?.seq) || envelope.seq <= this.lastSeq) return;
    const first = Number.isInteger(envelope.first_seq) ? envelope.first_seq : envelope.seq;
    if (this.#everyEvent && first > this.lastSeq + 1) {
      this.#resync();
      return;
    }
    this.lastSeq = envelope.seq;
    this.dispatchEvent(new CustomEvent('event', { detail: envelope }));
  }

  #resync() {
    if (this.#buffered) return;
    this.join(this.sessionId, this.lastSeq).catch((error) => {
      this.dispatchEvent(new CustomEvent('resync-failed', { detail: error }));
    });
  }

  // After a reconnect: join again, after any join still in flight from before the drop has ended, and only then
  // say online. Commands sent meanwhile wait for this join.
  #rejoin() {
    const before = this.#joining;
    this.#track(
      (async () => {
        await before?.catch(() => {});
        return this.#join(this.sessionId, this.lastSeq);
      })(),
    )
      .catch((error) => this.dispatchEvent(new CustomEvent('resync-failed', { detail: error })))
      .finally(() => {
        if (this.#socket.connected) this.#setState('online', t('live.online'));
      });
  }

  #setState(state, message) {
    this.state = state;
    this.message = message;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, message } }));
  }
}
