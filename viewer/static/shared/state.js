// The one way the apps render a live session. The server sends a snapshot on join and, with each event, the
// slices of the state that changed (session, members, agenda, attendance, quorum, speakers, presentation, vote,
// stream); a SessionState keeps the latest of each slice and calls the views that read a changed slice.
// Views are plain functions of the state: they re-render whole, from data, with textContent only.

import { onLanguageChange } from './i18n.js';

export class SessionState extends EventTarget {
  slices = {};
  ready = false;
  #views = [];

  constructor(live) {
    super();
    this.live = live;
    live.addEventListener('snapshot', (event) => {
      this.slices = { ...event.detail };
      this.ready = true;
      this.#changed(null, Object.keys(this.slices));
    });
    live.addEventListener('event', (event) => {
      const envelope = event.detail;
      const state = envelope.state ?? {};
      Object.assign(this.slices, state);
      this.#changed(envelope, Object.keys(state));
    });
    onLanguageChange(() => this.refresh());
  }

  get me() {
    return this.live.me;
  }

  // `render(state)` now (once the first snapshot is in) and whenever one of `names` changes; returns a function
  // that stops it.
  watch(names, render) {
    const view = { names: new Set(names), render };
    this.#views.push(view);
    if (this.ready) render(this);
    return () => {
      this.#views = this.#views.filter((other) => other !== view);
    };
  }

  // Re-render every view: after a language switch, or when local state (a choice on this device) changed.
  refresh() {
    if (!this.ready) return;
    for (const view of this.#views) view.render(this);
  }

  #changed(envelope, names) {
    for (const view of this.#views) {
      if (names.some((name) => view.names.has(name))) view.render(this);
    }
    if (envelope) this.dispatchEvent(new CustomEvent('event', { detail: envelope }));
  }

  // Helpers the views share.
  get session() {
    return this.slices.session ?? null;
  }

  get items() {
    return this.slices.agenda?.items ?? [];
  }

  get currentItem() {
    const id = this.slices.agenda?.current_item_id;
    return this.items.find((item) => item.id === id) ?? null;
  }

  // Every document of the session, the current item's first.
  get documents() {
    const agenda = this.slices.agenda ?? {};
    const current = this.currentItem;
    const all = [...(current?.documents ?? [])];
    for (const item of agenda.items ?? []) if (item !== current) all.push(...item.documents);
    all.push(...(agenda.documents ?? []));
    return all;
  }

  memberName(memberId) {
    return this.slices.members?.find((member) => member.id === memberId)?.full_name ?? '';
  }
}
