// What the page knows: conversations with their messages (keyed by seq, so nothing shows twice), unread counts, read
// receipts, names of users and groups. Keeps each opened conversation gap-free: a live message beyond the next seq, a
// reconnect or a newer lastSeq in the list fetches the missing range from history (after=), retrying while history is
// still ingesting it.
//
// Events: 'list' (the conversation list changed), 'conv' {conv, reset?} (a conversation's messages or state changed),
//         'typing' {conv, uid}.
//
// Message lifecycle: `update` frames (live) and update items of after= pages (sync) change a held message in place
// (edit, recall, react/unreact, hide) and bump its `rev`, so the view repaints just that bubble. Updates take seqs of
// their own: they count as held for gap detection but never as unread. Messages from history come in their final state.

export function convKind(id) {
  return id.charAt(0); // d (direct), g (group), c (desk ticket)
}

export function directConvId(a, b) {
  return a < b ? `d.${a}.${b}` : `d.${b}.${a}`;
}

export class Conversation {
  constructor(id) {
    this.id = id;
    this.kind = convKind(id);
    this.messages = new Map(); // seq -> message (server shape)
    this.byId = new Map(); // msgId -> message
    this.updateSeqs = new Set(); // seqs of updates (edit, recall, react) seen: held, never unread
    this.mentionsMe = 0; // unread messages mentioning me (from the list, then counted live)
    this.listed = null; // {lastSeq, readSeq, unread} as the conversation list last said
    this.lastSeq = 0; // newest seq known to exist
    this.readSeq = 0; // my read marker
    this.peerRead = new Map(); // uid -> seq they have read up to
    this.lastMessage = null; // {from, senderType, kind, text, ts}
    this.updatedAt = 0;
    this.loaded = false; // the newest page came from history
    this.syncedTo = 0; // every seq from the oldest held up to this one is held
    this.hasOlder = false;
    this.desk = null; // desk tickets: {state, agent, toAgent, topic, customer}
    this.pinned = false; // opened or started here: listed even before its first message
  }

  get unread() {
    // history's count holds while nothing moved since the list was read (it knows which seqs are updates)
    if (this.listed && this.listed.lastSeq === this.lastSeq && this.listed.readSeq === this.readSeq) return this.listed.unread;
    let updates = 0;
    for (const seq of this.updateSeqs) if (seq > this.readSeq && seq <= this.lastSeq) updates++;
    return Math.max(0, this.lastSeq - this.readSeq - updates);
  }

  get oldestSeq() {
    let min = Infinity;
    for (const seq of this.messages.keys()) if (seq < min) min = seq;
    return min === Infinity ? null : min;
  }

  get newestSeq() {
    let max = 0;
    for (const seq of this.messages.keys()) if (seq > max) max = seq;
    for (const seq of this.updateSeqs) if (seq > max) max = seq;
    return max;
  }

  /** Whether a seq is held: a message or an update. */
  holds(seq) {
    return this.messages.has(seq) || this.updateSeqs.has(seq);
  }

  sortedMessages() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }
}

export function previewOf(message) {
  if (!message) return '';
  if (message.recalled) return 'Message recalled';
  if (message.text != null) return message.text; // history's lastMessage
  if (message.kind === 'text' || message.senderType === 'SYSTEM') return message.body || '';
  const label = { image: '[image]', file: '[file]', voice: '[voice]' }[message.kind] || `[${message.kind}]`;
  return message.media?.name ? `${label} ${message.media.name}` : label;
}

export class Store extends EventTarget {
  constructor(api, me) {
    super();
    this.api = api;
    this.me = me; // {id, username, role}
    this.convs = new Map();
    this.listCursor = null;
    this.users = new Map([[me.id, Promise.resolve(me.username)]]);
    this.userNames = new Map([[me.id, me.username]]);
    this.groupNames = new Map();
    this.groupLookups = new Map();
    this.groupMembers = new Map(); // gid -> [uid]
    this.fills = new Map(); // conv -> running gap fill
  }

  get(id) {
    let conv = this.convs.get(id);
    if (!conv) {
      conv = new Conversation(id);
      this.convs.set(id, conv);
    }
    return conv;
  }

  sortedConversations() {
    return [...this.convs.values()]
      .filter((c) => c.lastSeq > 0 || c.lastMessage || c.messages.size > 0 || c.pinned)
      .sort((a, b) => (b.updatedAt - a.updatedAt) || a.id.localeCompare(b.id));
  }

  // ---- names ----

  userName(uid) {
    return this.userNames.get(uid) || `user ${uid}`;
  }

  /** Looks a user's name up once; emits 'list' and 'conv' when it arrives so titles update. */
  resolveUser(uid) {
    if (uid == null || this.users.has(uid)) return;
    this.users.set(uid, this.api.user(uid).then((user) => {
      this.userNames.set(uid, user.username);
      this.#emit('names');
    }, () => {
      this.userNames.set(uid, `user ${uid}`);
    }));
  }

  /** The group's name and members (for @ completion), looked up once. */
  resolveGroup(gid) {
    if (this.groupLookups.has(gid)) return;
    this.groupLookups.set(gid, this.api.group(gid).then((group) => {
      this.groupNames.set(gid, group.name);
      if (Array.isArray(group.members)) {
        this.groupMembers.set(gid, group.members);
        group.members.forEach((uid) => this.resolveUser(uid));
      }
      this.#emit('names');
    }, () => {}));
  }

  peerOf(conv) {
    if (conv.kind !== 'd') return null;
    const [, a, b] = conv.id.split('.').map(Number);
    return a === this.me.id ? b : a;
  }

  title(conv) {
    if (conv.kind === 'd') {
      const peer = this.peerOf(conv);
      this.resolveUser(peer);
      return this.userName(peer);
    }
    if (conv.kind === 'g') {
      const gid = Number(conv.id.slice(2));
      this.resolveGroup(gid);
      return this.groupNames.get(gid) || `Group ${gid}`;
    }
    const topic = conv.desk?.topic;
    return `Support ${conv.id}${topic ? `: ${topic}` : ''}`;
  }

  // ---- loading ----

  async loadGroups() {
    for (const group of await this.api.groups()) this.groupNames.set(group.id, group.name);
  }

  /** The first page of my conversations (again after a reconnect); more with loadMoreConversations. */
  async refreshConversations() {
    const page = await this.api.conversations();
    this.#mergeList(page.items);
    this.listCursor = page.nextCursor || null;
    this.#emit('list');
    for (const conv of this.convs.values()) {
      if (conv.loaded && conv.lastSeq > conv.syncedTo) this.fillGap(conv);
    }
  }

  async loadMoreConversations() {
    if (!this.listCursor) return;
    const page = await this.api.conversations(this.listCursor);
    this.#mergeList(page.items);
    this.listCursor = page.nextCursor || null;
    this.#emit('list');
  }

  #mergeList(items) {
    for (const item of items) {
      const conv = this.get(item.conv);
      conv.lastSeq = Math.max(conv.lastSeq, item.lastSeq || 0);
      conv.readSeq = Math.max(conv.readSeq, item.readSeq || 0);
      if (item.lastMessage && (!conv.lastMessage || (item.lastMessage.seq || 0) >= (conv.lastMessage.seq || 0))) {
        conv.lastMessage = item.lastMessage;
      }
      conv.updatedAt = Math.max(conv.updatedAt, item.updatedAt || 0);
      conv.mentionsMe = item.mentionsMe || 0;
      conv.listed = { lastSeq: conv.lastSeq, readSeq: conv.readSeq, unread: item.unread || 0 };
      if (item.lastMessage?.from) this.resolveUser(item.lastMessage.from);
    }
  }

  /** The newest page of a conversation, merged with whatever arrived live. */
  async open(conv) {
    conv.pinned = true;
    if (conv.loaded) {
      if (conv.lastSeq > conv.syncedTo) this.fillGap(conv);
      return;
    }
    let page;
    try {
      page = await this.api.messages(conv.id, { limit: 30 });
    } catch (error) {
      // a conversation history has not ingested yet (a desk ticket opened a moment ago) is empty so far
      if (error.status !== 404) throw error;
      page = { items: [] };
    }
    for (const message of page.items) this.#put(conv, message);
    conv.hasOlder = page.nextBefore != null;
    conv.loaded = true;
    const oldest = page.items.length ? page.items[0].seq : (conv.oldestSeq ?? 1);
    conv.syncedTo = oldest - 1;
    this.#advanceSynced(conv);
    this.#emit('conv', { conv, reset: true });
    if (conv.lastSeq > conv.syncedTo) this.fillGap(conv);
  }

  /** Scroll-back: the page below the oldest held message. Returns the number of messages added. */
  async loadOlder(conv) {
    const oldest = conv.oldestSeq;
    if (!conv.hasOlder || oldest == null) return 0;
    const page = await this.api.messages(conv.id, { before: oldest, limit: 30 });
    let added = 0;
    for (const message of page.items) if (this.#put(conv, message)) added++;
    conv.hasOlder = page.nextBefore != null;
    this.#emit('conv', { conv, older: true });
    return added;
  }

  /** Scroll-back down to (at least) seq, in large pages: opening a conversation at a search hit. */
  async loadUntil(conv, seq) {
    while (conv.hasOlder && conv.oldestSeq != null && conv.oldestSeq > seq) {
      const page = await this.api.messages(conv.id, { before: conv.oldestSeq, limit: 200 });
      for (const message of page.items) this.#put(conv, message);
      conv.hasOlder = page.nextBefore != null;
      if (!page.items.length) break;
    }
    this.#emit('conv', { conv, older: true });
  }

  /**
   * Fetches everything after syncedTo from history until the conversation is gap-free up to lastSeq. History may
   * lag the live stream by a moment (ingest), so a range that is still missing is asked for again a few times.
   */
  fillGap(conv) {
    if (!conv.loaded) return Promise.resolve();
    if (this.fills.has(conv.id)) {
      this.fills.get(conv.id).again = true;
      return this.fills.get(conv.id).promise;
    }
    const state = { again: false };
    state.promise = (async () => {
      try {
        for (let attempt = 0; attempt < 8; attempt++) {
          state.again = false;
          let after = conv.syncedTo;
          for (let pages = 0; pages < 20; pages++) {
            let page;
            try {
              page = await this.api.messages(conv.id, { after, limit: 100 });
            } catch (error) {
              if (error.status !== 404) throw error;
              break; // not in history yet: ask again below
            }
            for (const message of page.items) this.#put(conv, message);
            // a desk customer's history leaves out the agents' private notes: their seqs are gaps that stay
            if (conv.kind === 'c' && page.items.length && conv.desk?.customer === this.me.id) {
              conv.syncedTo = Math.max(conv.syncedTo, page.items[page.items.length - 1].seq);
            }
            this.#advanceSynced(conv);
            if (page.nextAfter == null) break;
            after = page.nextAfter;
          }
          this.#emit('conv', { conv });
          if (conv.syncedTo >= Math.max(conv.lastSeq, conv.newestSeq) && !state.again) return;
          await new Promise((resolve) => setTimeout(resolve, 300 * (attempt + 1)));
        }
        // still missing after ~10 s: history lost that range (dead-lettered); show what exists, stop asking
        conv.syncedTo = Math.max(conv.syncedTo, conv.newestSeq);
      } catch (error) {
        this.dispatchEvent(new CustomEvent('error', { detail: { error, what: 'Could not load missing messages' } }));
      } finally {
        this.fills.delete(conv.id);
      }
    })();
    this.fills.set(conv.id, state);
    return state.promise;
  }

  #advanceSynced(conv) {
    while (conv.holds(conv.syncedTo + 1)) conv.syncedTo++;
  }

  #put(conv, message) {
    if (message.type === 'update') {
      this.#applyUpdate(conv, message);
      return false;
    }
    if (conv.messages.has(message.seq)) return false;
    message.rev = 0;
    conv.messages.set(message.seq, message);
    conv.byId.set(message.msgId, message);
    this.#noteMessage(conv, message);
    return true;
  }

  /** Applies an update to the message it names, if held (else history's final state will carry it). Idempotent. */
  #applyUpdate(conv, update) {
    if (update.seq != null) {
      conv.updateSeqs.add(update.seq);
      if (update.seq > conv.lastSeq) conv.lastSeq = update.seq;
    }
    const message = conv.byId.get(update.msgId);
    if (!message) return;
    switch (update.op) {
      case 'edit':
        if (message.recalled) return;
        message.body = update.body;
        message.edited = true;
        message.editedAt = update.ts;
        break;
      case 'recall':
        message.recalled = true;
        message.recalledBy = update.by;
        delete message.body;
        delete message.media;
        delete message.reactions;
        for (const other of conv.messages.values()) {
          if (other.replyTo?.msgId === message.msgId && !other.replyTo.recalled) {
            other.replyTo = { ...other.replyTo, recalled: true, preview: undefined };
            other.rev++;
          }
        }
        break;
      case 'react':
      case 'unreact': {
        if (message.recalled) return;
        const reactions = { ...(message.reactions || {}) };
        const uids = new Set(reactions[update.emoji] || []);
        if (update.op === 'react') uids.add(update.by);
        else uids.delete(update.by);
        if (uids.size) reactions[update.emoji] = [...uids];
        else delete reactions[update.emoji];
        message.reactions = reactions;
        break;
      }
      case 'hide':
        message.hidden = true;
        break;
      default:
        return;
    }
    message.rev = (message.rev || 0) + 1;
    if (message.hidden && conv.lastMessage?.msgId === message.msgId) { // my preview: the newest one I did not hide
      const visible = conv.sortedMessages().filter((m) => !m.hidden);
      conv.lastMessage = visible.length ? visible[visible.length - 1] : null;
    } else if (conv.lastMessage && conv.lastMessage.msgId === message.msgId) {
      conv.lastMessage = { ...conv.lastMessage, recalled: message.recalled, edited: message.edited,
        text: message.recalled ? undefined : message.body, body: message.body };
    }
    if (update.by) this.resolveUser(update.by);
  }

  #noteMessage(conv, message) {
    if (message.seq > conv.lastSeq) conv.lastSeq = message.seq;
    if (message.from === this.me.id && message.senderType !== 'SYSTEM' && message.seq > conv.readSeq) conv.readSeq = message.seq;
    if (!conv.lastMessage || (conv.lastMessage.seq || 0) <= message.seq) {
      conv.lastMessage = message;
      conv.updatedAt = Math.max(conv.updatedAt, message.ts || Date.now());
    }
    if (message.from) this.resolveUser(message.from);
  }

  /** Whether a message mentions me (by id, or everyone in a group). */
  mentionsMe(message) {
    const mentions = message.mentions;
    return Array.isArray(mentions) && (mentions.includes(this.me.id) || mentions.includes('all'));
  }

  // ---- live frames ----

  /** A `message` frame; detects seq gaps in opened conversations. */
  onMessage(message) {
    const conv = this.get(message.conv);
    const gap = conv.loaded && message.seq > conv.syncedTo + 1 && !conv.messages.has(message.seq);
    if (message.from !== this.me.id && message.seq > conv.readSeq && !conv.messages.has(message.seq) && this.mentionsMe(message)) {
      conv.mentionsMe++;
    }
    if (conv.loaded) {
      this.#put(conv, message);
      this.#advanceSynced(conv);
    } else if (message.seq > conv.lastSeq) {
      this.#noteMessage(conv, message); // not opened yet: only the list entry changes; open() loads from history
    }
    this.#emit('list');
    this.#emit('conv', { conv });
    if (gap && conv.syncedTo < message.seq - 1) this.fillGap(conv);
  }

  /**
   * An `update` frame (or my own change, acknowledged): applied in place; a seq beyond the next one in an opened
   * conversation fetches the gap like a message would.
   */
  onUpdate(update) {
    const conv = this.get(update.conv);
    const gap = update.seq != null && conv.loaded && update.seq > conv.syncedTo + 1 && !conv.holds(update.seq);
    this.#applyUpdate(conv, update);
    if (conv.loaded) this.#advanceSynced(conv);
    this.#emit('list');
    this.#emit('conv', { conv });
    if (gap && conv.syncedTo < update.seq - 1) this.fillGap(conv);
  }

  /** My own message, acknowledged by the server (the sending connection gets no `message` frame). */
  onOwnAck(conv, frame, ack, extra = {}) {
    const message = {
      type: 'message', msgId: ack.msgId, conv: ack.conv, seq: ack.seq, from: this.me.id, fromDevice: null,
      senderType: 'USER', kind: frame.kind, body: frame.body, media: frame.media, ts: ack.ts, ...extra,
    };
    this.onMessage(message);
    return this.get(ack.conv);
  }

  onReceipt({ conv: id, uid, seq }) {
    const conv = this.get(id);
    if (uid === this.me.id) {
      conv.readSeq = Math.max(conv.readSeq, seq); // read on another of my devices
      if (conv.readSeq >= conv.lastSeq) conv.mentionsMe = 0;
      this.#emit('list');
    } else {
      conv.peerRead.set(uid, Math.max(conv.peerRead.get(uid) || 0, seq));
      this.resolveUser(uid);
    }
    this.#emit('conv', { conv, receipts: true });
  }

  onTyping({ conv, uid }) {
    if (uid === this.me.id) return;
    this.resolveUser(uid);
    this.dispatchEvent(new CustomEvent('typing', { detail: { conv, uid } }));
  }

  setRead(conv, seq) {
    if (seq > conv.readSeq) {
      conv.readSeq = seq;
      if (seq >= conv.lastSeq) conv.mentionsMe = 0;
      this.#emit('list');
    }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
