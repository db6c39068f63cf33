// The open conversation: history with scroll-back paging, live messages in seq order, sending text / images / files
// (uploaded to history-service's /media with a progress bar: attach button, drag and drop, paste; or by URL), voice
// notes (recorded where the browser offers a microphone), read receipts on my messages, the typing indicator, and marking the conversation read while it is shown.
// Each message has a menu (hover, right click or long press): reply (quoted above the input and in the bubble), react
// (a small picker; counts under the bubble), edit my text, recall my message within two minutes (any message, at any time, for a group's owner and admins and for the agent serving a ticket), delete for me,
// forward to another conversation. In groups, `@` completes member names; mentions are highlighted.
import { $, el, formatTime, formatDateTime, formDialog, notify, safeUrl, showError } from './ui.js';

const TYPING_SEND_INTERVAL_MS = 3000;
const RECALL_WINDOW_MS = 2 * 60 * 1000; // chat.recall-window
const EDIT_WINDOW_MS = 48 * 60 * 60 * 1000; // chat.edit-window
const LONG_PRESS_MS = 500;
export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉'];
const TYPING_SHOW_MS = 4000;

export function newCid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // works on plain http too (randomUUID needs https)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ChatView {
  constructor({ store, socket, onShown, decorate, signal }) {
    this.store = store;
    this.socket = socket;
    this.onShown = onShown; // (id|null) -> void: the list highlights it, the phone layout switches panes
    this.decorate = decorate; // (conv) -> {tools: Node[], subtitle: string, closedReason: string|null, moderator?: boolean}
    this.moderator = false; // may recall anyone's message at any time here (group owner/admin, serving agent)
    this.conv = null;
    this.rendered = new Map(); // seq -> {item: li, rev}
    this.replyTo = null; // the message the next send answers
    this.lastTypingSent = 0;
    this.typers = new Map(); // uid -> timer
    this.readInFlight = 0;

    store.addEventListener('conv', (event) => {
      if (this.conv && event.detail.conv === this.conv) this.#update(event.detail);
    });
    store.addEventListener('names', () => {
      if (!this.conv) return;
      this.#refreshHeader();
      for (const sender of $('message-list').querySelectorAll('.msg-sender')) {
        sender.textContent = this.store.userName(Number(sender.parentElement.dataset.from));
      }
    });
    store.addEventListener('typing', (event) => {
      if (this.conv && event.detail.conv === this.conv.id) this.#showTyping(event.detail.uid);
    });
    // DOM listeners end with the session (signal), so a new login starts clean
    const on = (target, type, handler) => target.addEventListener(type, handler, { signal });
    on($('composer'), 'submit', (event) => {
      event.preventDefault();
      this.#sendText();
    });
    on($('composer-text'), 'input', () => {
      this.#typing();
      this.#completeMention();
    });
    on($('composer-text'), 'keydown', (event) => {
      const first = $('mention-list').firstElementChild;
      if (event.key === 'Tab' && first && !$('mention-list').hidden) {
        event.preventDefault();
        first.click();
      } else if (event.key === 'Escape') {
        $('mention-list').hidden = true;
        this.#setReply(null);
      }
    });
    on($('reply-cancel'), 'click', () => this.#setReply(null));
    on(document, 'click', (event) => {
      if (!event.target.closest?.('.msg')) this.#closeMenus();
    });
    on($('attach'), 'click', () => $('attach-file').click());
    on($('attach-file'), 'change', () => {
      const files = [...$('attach-file').files];
      $('attach-file').value = '';
      this.#uploadAll(files);
    });
    on($('attach-link'), 'click', () => this.#attach());
    on($('composer-text'), 'paste', (event) => {
      const files = [...(event.clipboardData?.files || [])];
      if (files.length > 0) {
        event.preventDefault();
        this.#uploadAll(files);
      }
    });
    on($('messages'), 'dragover', (event) => {
      if (!this.conv || !event.dataTransfer?.types?.includes('Files')) return;
      event.preventDefault();
      $('messages').classList.add('drop-target');
    });
    on($('messages'), 'dragleave', () => $('messages').classList.remove('drop-target'));
    on($('messages'), 'drop', (event) => {
      $('messages').classList.remove('drop-target');
      const files = [...(event.dataTransfer?.files || [])];
      if (files.length === 0) return;
      event.preventDefault();
      this.#uploadAll(files);
    });
    on($('media-close'), 'click', () => $('media-viewer').close());
    on($('media-viewer'), 'click', (event) => {
      if (event.target === $('media-viewer')) $('media-viewer').close();
    });
    if (navigator.mediaDevices?.getUserMedia && window.MediaRecorder) {
      $('record').hidden = false;
      on($('record'), 'click', () => this.#toggleRecording());
    }
    on($('load-older'), 'click', () => this.#loadOlder());
    on($('messages'), 'scroll', () => {
      if ($('messages').scrollTop < 60) this.#loadOlder();
    });
    on($('chat-back'), 'click', () => this.close());
    on(document, 'visibilitychange', () => this.#markRead());
  }

  async open(id) {
    const conv = this.store.get(id);
    this.conv = conv;
    this.rendered.clear();
    $('message-list').replaceChildren();
    $('pending-list').replaceChildren();
    $('typing').textContent = '';
    this.typers.forEach((timer) => clearTimeout(timer));
    this.typers.clear();
    this.#setReply(null);
    $('mention-list').hidden = true;
    $('chat-empty').hidden = true;
    $('chat-view').hidden = false;
    $('chat-view').dataset.conv = id;
    this.#refreshHeader();
    this.#renderMessages();
    this.#scrollToBottom();
    this.onShown(id);
    $('composer-text').focus();
    try {
      await this.store.open(conv);
    } catch (error) {
      showError(error, 'Could not load the conversation');
    }
    if (this.conv === conv) this.#markRead();
  }

  /** Opens a conversation scrolled to the message with that seq (a search hit), which flashes briefly. */
  async openAt(id, seq) {
    await this.open(id);
    const conv = this.conv;
    if (!conv || conv.id !== id) return;
    try {
      await this.store.loadUntil(conv, seq);
    } catch (error) {
      showError(error, 'Could not load the message');
      return;
    }
    requestAnimationFrame(() => {
      const item = this.rendered.get(seq)?.item;
      if (!item || this.conv !== conv) return;
      for (const other of $('message-list').querySelectorAll('.search-target')) other.classList.remove('search-target');
      item.scrollIntoView({ block: 'center' });
      item.classList.add('search-target'); // its outline fades out (app.css)
    });
  }

  close() {
    this.conv = null;
    $('chat-view').hidden = true;
    $('chat-empty').hidden = false;
    delete $('chat-view').dataset.conv;
    this.onShown(null);
  }

  /** The desk (or anything else) changed what the header shows. */
  refresh() {
    if (this.conv) this.#refreshHeader();
  }

  #refreshHeader() {
    const conv = this.conv;
    const extra = this.decorate(conv);
    $('chat-title').textContent = this.store.title(conv);
    let subtitle = extra.subtitle;
    if (!subtitle) {
      subtitle = conv.kind === 'd' ? 'Direct chat' : conv.kind === 'g' ? `Group ${conv.id}` : conv.id;
    }
    $('chat-subtitle').textContent = subtitle;
    $('chat-tools').replaceChildren(...extra.tools);
    const closed = extra.closedReason;
    $('composer-closed').hidden = !closed;
    $('composer-closed').textContent = closed || '';
    for (const id of ['composer-text', 'send', 'attach', 'note-toggle']) $(id).disabled = Boolean(closed);
    const moderator = Boolean(extra.moderator);
    if (moderator !== this.moderator) { // the Recall actions under other people's messages come or go
      this.moderator = moderator;
      this.#update({ reset: true });
    }
  }

  #update(detail) {
    if (detail.reset) {
      this.rendered.clear();
      $('message-list').replaceChildren();
    }
    const messages = $('messages');
    const nearBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80;
    const heightBefore = messages.scrollHeight;
    const topBefore = messages.scrollTop;
    const addedOlder = this.#renderMessages();
    if (detail.older && addedOlder) {
      messages.scrollTop = topBefore + (messages.scrollHeight - heightBefore); // keep the view where it was
    } else if (detail.reset || nearBottom) {
      this.#scrollToBottom();
    }
    this.#refreshHeader();
    this.#markRead();
  }

  /** Inserts the messages not yet shown at their seq position; updates receipts. Returns true if any went on top. */
  #renderMessages() {
    const conv = this.conv;
    const list = $('message-list');
    let addedOlder = false;
    for (const message of conv.sortedMessages()) {
      const shown = this.rendered.get(message.seq);
      if (message.hidden) { // deleted for me
        if (shown) shown.item.remove();
        this.rendered.delete(message.seq);
        continue;
      }
      if (shown) {
        if (shown.rev !== message.rev) { // edited, recalled, reacted to: repaint just this one
          const item = this.#messageItem(message);
          shown.item.replaceWith(item);
          this.rendered.set(message.seq, { item, rev: message.rev });
        }
        continue;
      }
      const item = this.#messageItem(message);
      this.rendered.set(message.seq, { item, rev: message.rev });
      let before = null;
      for (const node of list.children) {
        if (Number(node.dataset.seq) > message.seq) {
          before = node;
          break;
        }
      }
      if (before && before === list.firstElementChild) addedOlder = true;
      list.insertBefore(item, before);
    }
    this.#updateReceipts();
    $('load-older').hidden = !conv.hasOlder;
    return addedOlder;
  }

  #messageItem(message) {
    const mine = message.from === this.store.me.id && message.senderType !== 'SYSTEM';
    if (message.senderType === 'SYSTEM') {
      return el('li', { class: 'msg system', dataset: { seq: message.seq } },
        el('span', { class: 'system-text', text: message.body || '' }),
        el('span', { class: 'msg-time', text: formatTime(message.ts), title: formatDateTime(message.ts) }));
    }
    if (message.recalled) {
      const by = message.recalledBy ?? message.from;
      const who = by === this.store.me.id ? 'You' : this.store.userName(by);
      return el('li', { class: 'msg system recalled', dataset: { seq: message.seq, msgId: message.msgId } },
        el('span', { class: 'system-text', text: `${who} recalled a message` }));
    }
    const showSender = !mine && this.conv.kind !== 'd';
    const note = message.visibility === 'agents'; // a desk agent's private note: only agents ever get one
    const item = el('li', {
      class: `msg ${mine ? 'mine' : 'theirs'}${note ? ' note' : ''}`,
      dataset: { seq: message.seq, from: message.from, msgId: message.msgId },
      oncontextmenu: (event) => {
        if (note) return; // notes cannot be edited, recalled, reacted to, quoted or forwarded
        event.preventDefault();
        this.#toggleMenu(item);
      },
    },
    showSender ? el('span', { class: 'msg-sender', text: this.store.userName(message.from) }) : null,
    el('div', { class: `bubble kind-${message.kind}` },
      note ? el('span', { class: 'note-label', text: 'Private note · agents only' }) : null,
      message.forwardOf ? el('span', { class: 'forwarded', text: 'Forwarded' }) : null,
      message.replyTo ? this.#quote(message.replyTo) : null,
      ...contentOf(message, this.store)),
    this.#reactions(message),
    el('span', { class: 'msg-info' },
      el('span', { class: 'msg-time', text: formatTime(message.ts), title: formatDateTime(message.ts) }),
      message.edited ? el('span', { class: 'msg-edited', text: 'edited', title: formatDateTime(message.editedAt) }) : null,
      mine && !note ? el('span', { class: 'msg-status', text: 'sent' }) : null),
    note ? null : this.#actions(message, mine));
    let press = null; // long press opens the menu on touch screens
    item.addEventListener('pointerdown', (event) => {
      if (event.pointerType === 'mouse' || note) return;
      press = setTimeout(() => this.#toggleMenu(item), LONG_PRESS_MS);
    });
    for (const type of ['pointerup', 'pointerleave', 'pointercancel']) item.addEventListener(type, () => clearTimeout(press));
    return item;
  }

  #quote(replyTo) {
    const text = replyTo.recalled ? 'Recalled message' : (replyTo.preview ?? `[${replyTo.kind || 'message'}]`);
    return el('span', { class: 'quote', dataset: { msgId: replyTo.msgId } },
      el('span', { class: 'quote-sender', text: this.store.userName(replyTo.from) }),
      el('span', { class: 'quote-text', text }));
  }

  #reactions(message) {
    const entries = Object.entries(message.reactions || {}).filter(([, uids]) => uids.length);
    if (!entries.length) return null;
    return el('div', { class: 'reactions' }, entries.map(([emoji, uids]) => el('button', {
      type: 'button',
      class: `reaction${uids.includes(this.store.me.id) ? ' mine' : ''}`,
      dataset: { emoji },
      title: uids.map((uid) => this.store.userName(uid)).join(', '),
      onclick: () => this.#react(message, emoji),
    }, `${emoji} ${uids.length}`)));
  }

  #actions(message, mine) {
    const age = Date.now() - (message.ts || 0);
    const action = (name, label, handler) => el('button', {
      type: 'button', class: 'msg-action', dataset: { action: name }, title: label, 'aria-label': label,
      onclick: (event) => {
        event.stopPropagation();
        if (name !== 'react') this.#closeMenus();
        handler(event);
      },
    }, label);
    return el('div', { class: 'msg-actions' },
      action('reply', 'Reply', () => this.#setReply(message)),
      action('react', 'React', (event) => this.#picker(event.currentTarget.closest('.msg'), message)),
      mine && message.kind === 'text' && age < EDIT_WINDOW_MS ? action('edit', 'Edit', () => this.#edit(message)) : null,
      (mine && age < RECALL_WINDOW_MS) || this.moderator ? action('recall', 'Recall', () => this.#recall(message, mine)) : null,
      action('hide', 'Delete for me', () => this.#hide(message)),
      action('forward', 'Forward', () => this.#forward(message)));
  }

  #toggleMenu(item) {
    const open = item.classList.contains('show-actions');
    this.#closeMenus();
    if (!open) item.classList.add('show-actions');
  }

  #closeMenus() {
    for (const open of document.querySelectorAll('.msg.show-actions, .emoji-picker')) {
      if (open.classList.contains('emoji-picker')) open.remove();
      else open.classList.remove('show-actions');
    }
  }

  #picker(item, message) {
    item.querySelector('.emoji-picker')?.remove();
    item.append(el('div', { class: 'emoji-picker', role: 'menu' }, QUICK_EMOJI.map((emoji) => el('button', {
      type: 'button', class: 'emoji', dataset: { emoji }, text: emoji,
      onclick: (event) => {
        event.stopPropagation();
        this.#closeMenus();
        this.#react(message, emoji);
      },
    }))));
  }

  /** Sends a change to a message; on the ack applies it here (the sending connection gets no `update` frame). */
  async #change(frame, update, what) {
    const conv = this.conv;
    try {
      const ack = await this.socket.request({ ...frame, conv: conv.id });
      this.store.onUpdate({ type: 'update', conv: conv.id, seq: ack.seq, msgId: frame.msgId, by: this.store.me.id,
        ts: ack.ts ?? Date.now(), ...update });
    } catch (error) {
      showError(error, what);
    }
  }

  #react(message, emoji) {
    const on = !(message.reactions?.[emoji] || []).includes(this.store.me.id);
    return this.#change({ type: 'react', msgId: message.msgId, emoji, on }, { op: on ? 'react' : 'unreact', emoji },
      'Could not react');
  }

  async #edit(message) {
    await formDialog({
      title: 'Edit message',
      okLabel: 'Save',
      fields: [{ name: 'text', label: 'Text', value: message.body, required: true }],
      submit: async ({ text: body }) => {
        if (body !== message.body) {
          const ack = await this.socket.request({ type: 'edit', conv: this.conv.id, msgId: message.msgId, body });
          this.store.onUpdate({ type: 'update', conv: this.conv.id, seq: ack.seq, msgId: message.msgId, op: 'edit', body,
            by: this.store.me.id, ts: ack.ts ?? Date.now() });
        }
        return true;
      },
    });
  }

  async #recall(message, mine) {
    const whose = mine ? 'this message' : `this message by ${this.store.userName(message.from)}`;
    await formDialog({
      title: `Recall ${whose}?`,
      okLabel: 'Recall',
      body: el('p', { text: 'It disappears for everyone in this conversation.' }),
      submit: async () => {
        const ack = await this.socket.request({ type: 'recall', conv: this.conv.id, msgId: message.msgId });
        this.store.onUpdate({ type: 'update', conv: this.conv.id, seq: ack.seq, msgId: message.msgId, op: 'recall',
          by: this.store.me.id, ts: ack.ts ?? Date.now() });
        return true;
      },
    });
  }

  #hide(message) {
    return this.#change({ type: 'hide', msgId: message.msgId }, { op: 'hide', seq: undefined }, 'Could not delete');
  }

  async #forward(message) {
    const targets = this.store.sortedConversations().filter((c) => c.kind !== 'c' || c.id === this.conv.id);
    if (!targets.length) return;
    await formDialog({
      title: 'Forward to',
      okLabel: 'Forward',
      fields: [{ name: 'to', label: 'Conversation', options: targets.map((c) => [c.id, this.store.title(c)]),
        value: targets.find((c) => c.id !== this.conv.id)?.id }],
      submit: async ({ to }) => {
        const source = this.conv;
        const frame = { cid: newCid(), to, forwardOf: { conv: source.id, msgId: message.msgId } };
        const ack = await this.socket.sendMessage(frame);
        const copy = { kind: message.kind, body: message.body, media: message.media };
        this.store.onOwnAck(this.store.get(to), copy, ack, { forwardOf: frame.forwardOf });
        notify(`Forwarded to ${this.store.title(this.store.get(to))}`);
        return true;
      },
    });
  }

  #setReply(message) {
    this.replyTo = message;
    $('reply-bar').hidden = !message;
    if (message) {
      const preview = message.kind === 'text' ? message.body : `[${message.kind}] ${message.body || ''}`;
      $('reply-text').textContent = `Replying to ${this.store.userName(message.from)}: ${preview}`;
      $('composer-text').focus();
    }
  }

  /** `@` in a group: the members whose names start with what follows it (and "all"). */
  #completeMention() {
    const list = $('mention-list');
    const input = $('composer-text');
    const conv = this.conv;
    const match = conv?.kind === 'g' ? /(^|\s)@([A-Za-z0-9_.-]*)$/.exec(input.value.slice(0, input.selectionStart)) : null;
    if (!match) {
      list.hidden = true;
      return;
    }
    const prefix = match[2].toLowerCase();
    const members = this.store.groupMembers.get(Number(conv.id.slice(2))) || [];
    const names = members.filter((uid) => uid !== this.store.me.id).map((uid) => this.store.userName(uid));
    const options = [...names, 'all'].filter((name) => name.toLowerCase().startsWith(prefix)).slice(0, 8);
    list.replaceChildren(...options.map((name) => el('li', {
      class: 'mention-option', dataset: { name }, tabindex: '-1',
      onmousedown: (event) => event.preventDefault(), // keep the focus in the input
      onclick: () => {
        const caret = input.selectionStart;
        const start = caret - match[2].length - 1;
        input.value = `${input.value.slice(0, start)}@${name} ${input.value.slice(caret)}`;
        const at = start + name.length + 2;
        input.setSelectionRange(at, at);
        list.hidden = true;
        input.focus();
      },
    }, name === 'all' ? '@all (everyone)' : `@${name}`)));
    list.hidden = options.length === 0;
  }

  /** The uids named as @name in a group message, or ["all"]. */
  #mentionsIn(body) {
    const conv = this.conv;
    if (conv.kind !== 'g' || !body.includes('@')) return undefined;
    if (/(^|\s)@all\b/.test(body)) return ['all'];
    const members = this.store.groupMembers.get(Number(conv.id.slice(2))) || [];
    const named = members.filter((uid) => uid !== this.store.me.id && mentionPattern(this.store.userName(uid)).test(body));
    return named.length ? named : undefined;
  }

  #updateReceipts() {
    const conv = this.conv;
    const readers = [...conv.peerRead.entries()];
    for (const [seq, { item }] of this.rendered) {
      const status = item.querySelector('.msg-status');
      if (!status) continue;
      const readBy = readers.filter(([, upTo]) => upTo >= seq).length;
      const text = readBy === 0 ? 'sent' : conv.kind !== 'g' ? 'read' : `read by ${readBy}`;
      if (status.textContent !== text) {
        status.textContent = text;
        status.classList.toggle('read', readBy > 0);
      }
    }
  }

  async #markRead() {
    const conv = this.conv;
    if (!conv || document.visibilityState !== 'visible' || !this.socket.online) return;
    const seq = conv.newestSeq;
    if (seq <= conv.readSeq || seq <= this.readInFlight) return;
    this.readInFlight = seq;
    try {
      const ack = await this.socket.request({ type: 'read', conv: conv.id, seq });
      this.store.setRead(conv, ack.seq ?? seq);
    } catch (error) {
      if (error.code !== 'DISCONNECTED') showError(error, 'Could not mark as read');
    } finally {
      if (this.readInFlight === seq) this.readInFlight = 0;
    }
  }

  async #loadOlder() {
    const conv = this.conv;
    if (!conv || !conv.hasOlder || this.loadingOlder) return;
    this.loadingOlder = true;
    $('load-older').textContent = 'Loading…';
    try {
      await this.store.loadOlder(conv);
    } catch (error) {
      showError(error, 'Could not load older messages');
    } finally {
      this.loadingOlder = false;
      $('load-older').textContent = 'Load older messages';
    }
  }

  #scrollToBottom() {
    const messages = $('messages');
    messages.scrollTop = messages.scrollHeight;
  }

  // ---- sending ----

  #sendText() {
    const input = $('composer-text');
    const body = input.value.trim();
    if (!body || !this.conv) return;
    input.value = '';
    $('mention-list').hidden = true;
    const replyTo = this.replyTo;
    this.#setReply(null);
    this.send({ kind: 'text', body, replyTo, mentions: this.#mentionsIn(body) });
  }

  /**
   * Sends from the open conversation: shown as "sending…" until the ack gives it its seq. {@code shown}: the media as
   * this page shows it (an upload's stored metadata and signed URLs) when the frame carries only its {id}.
   */
  async send({ kind, body, media, replyTo, mentions, shown }) {
    const conv = this.conv;
    const peer = this.store.peerOf(conv);
    const frame = { cid: newCid(), to: peer != null ? { user: peer } : conv.id, kind };
    if (body) frame.body = body;
    if (media) frame.media = media;
    if (replyTo) frame.replyTo = replyTo.msgId;
    if (mentions) frame.mentions = mentions;
    const quoted = replyTo ? { msgId: replyTo.msgId, seq: replyTo.seq, from: replyTo.from, kind: replyTo.kind,
      preview: replyTo.body ? replyTo.body.slice(0, 100) : undefined } : undefined;
    const pending = el('li', { class: 'msg mine pending', dataset: { cid: frame.cid } },
      el('div', { class: `bubble kind-${kind}` }, quoted ? this.#quote(quoted) : null,
        ...contentOf(shown ? { ...frame, media: shown } : frame, this.store)),
      el('span', { class: 'msg-info' }, el('span', { class: 'msg-status', text: 'sending…' })));
    $('pending-list').append(pending);
    this.#scrollToBottom();
    try {
      const ack = await this.socket.sendMessage(frame);
      pending.remove();
      this.store.onOwnAck(conv, shown ? { ...frame, media: shown } : frame, ack, { replyTo: quoted, mentions });
    } catch (error) {
      pending.classList.add('failed');
      pending.querySelector('.msg-status').textContent = 'not sent';
      showError(error, 'Message not sent');
    }
  }

  #typing() {
    if (!this.conv || Date.now() - this.lastTypingSent < TYPING_SEND_INTERVAL_MS) return;
    this.lastTypingSent = Date.now();
    this.socket.fire({ type: 'typing', conv: this.conv.id });
  }

  #showTyping(uid) {
    clearTimeout(this.typers.get(uid));
    this.typers.set(uid, setTimeout(() => {
      this.typers.delete(uid);
      this.#paintTyping();
    }, TYPING_SHOW_MS));
    this.#paintTyping();
  }

  #paintTyping() {
    const names = [...this.typers.keys()].map((uid) => this.store.userName(uid));
    $('typing').textContent = names.length === 0 ? ''
      : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
  }

  // ---- uploads ----

  /** Uploads each file in turn (progress bar), then sends it as image / voice / file with media {id}. */
  async #uploadAll(files) {
    if (!this.conv || files.length === 0) return;
    const conv = this.conv;
    const caption = $('composer-text').value.trim();
    if (caption) $('composer-text').value = '';
    for (const [index, file] of files.entries()) {
      const label = `${file.name || 'file'} (${formatSize(file.size)})`;
      $('upload-progress').hidden = false;
      $('upload-bar').value = 0;
      $('upload-label').textContent = `Uploading ${label}…`;
      try {
        const stored = await this.store.api.uploadMedia(file, (fraction) => {
          $('upload-bar').value = fraction;
          $('upload-label').textContent = `Uploading ${label}… ${Math.round(fraction * 100)} %`;
        });
        if (this.conv !== conv) break; // another conversation was opened meanwhile: do not send it there
        const kind = stored.mime.startsWith('image/') ? 'image' : stored.mime.startsWith('audio/') ? 'voice' : 'file';
        await this.send({ kind, media: { id: stored.id }, shown: stored,
          body: index === 0 && caption ? caption : undefined });
      } catch (error) {
        showError(error, `Could not upload ${label}`);
      }
    }
    $('upload-progress').hidden = true;
  }

  async #toggleRecording() {
    if (this.recorder) {
      this.recorder.stop();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      showError(error, 'No microphone');
      return;
    }
    const type = ['audio/webm', 'audio/ogg', 'audio/mp4'].find((t) => MediaRecorder.isTypeSupported?.(t));
    const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const chunks = [];
    const started = Date.now();
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      this.recorder = null;
      $('record').setAttribute('aria-pressed', 'false');
      $('record').classList.remove('recording');
      const mime = (recorder.mimeType || type || 'audio/webm').split(';')[0];
      if (Date.now() - started < 500 || chunks.length === 0) return;
      const extension = mime.split('/')[1] === 'mp4' ? 'm4a' : mime.split('/')[1];
      this.#uploadAll([new File(chunks, `voice-${new Date().toISOString().slice(0, 19)}.${extension}`, { type: mime })]);
    };
    this.recorder = recorder;
    recorder.start();
    $('record').setAttribute('aria-pressed', 'true');
    $('record').classList.add('recording');
  }

  async #attach() {
    if (!this.conv) return;
    await formDialog({
      title: 'Send an image or a file by URL',
      okLabel: 'Send',
      fields: [
        { name: 'url', label: 'URL', placeholder: 'https://…/picture.png', required: true },
        { name: 'kind', label: 'Show as', options: [['image', 'Image'], ['file', 'File (a link)']], value: 'image' },
        { name: 'name', label: 'Name (optional)', placeholder: 'e.g. invoice.pdf' },
        { name: 'caption', label: 'Caption (optional)' },
      ],
      submit: async ({ url, kind, name, caption }) => {
        const href = safeUrl(url);
        if (!href || !/^https?:\/\//i.test(url)) throw new Error('The URL must start with http:// or https://');
        const fileName = name || decodeURIComponent(new URL(href).pathname.split('/').pop() || '') || undefined;
        const media = { url: href, mime: guessMime(href, kind) };
        if (fileName) media.name = fileName.slice(0, 255);
        this.send({ kind, media, body: caption || undefined });
        return true;
      },
    });
  }
}

/** Matches "@name" as a whole word. */
function mentionPattern(name) {
  return new RegExp(`(^|\\s)@${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_.-])`);
}

/** Text with its @mentions highlighted (mine stronger). Text nodes only: never HTML from the message. */
function textWithMentions(body, store) {
  if (!body.includes('@')) return [body];
  const me = store?.me.username;
  return body.split(/(@[A-Za-z0-9_.-]+)/).filter(Boolean).map((part) => (part.startsWith('@') && part.length > 1
    ? el('span', { class: `mention${part === `@${me}` || part === '@all' ? ' mention-me' : ''}`, text: part })
    : part));
}

/** The bubble's content: text, an image (http(s) only), or a link to a file. Never HTML from the message. */
function contentOf(message, store) {
  const parts = [];
  const media = message.media;
  if (media?.id) {
    parts.push(...uploadContent(message.kind, media, store));
    if (message.body) parts.push(el('span', { class: 'text' }, ...textWithMentions(message.body, store)));
    return parts;
  }
  const url = media ? safeUrl(media.url) : null;
  if (message.kind === 'image' && url) {
    const image = el('img', {
      src: url, alt: media.name || 'image', class: 'media-image', width: media.width, height: media.height,
      onerror: () => image.replaceWith(el('span', { class: 'muted', text: `[image not available: ${media.name || url}]` })),
    });
    parts.push(el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'media-link' }, image));
  } else if (media && url) {
    parts.push(el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'file-link' },
      `📎 ${media.name || url}`));
  } else if (media) {
    parts.push(el('span', { class: 'muted', text: `[${message.kind}]` }));
  }
  if (message.body) parts.push(el('span', { class: 'text' }, ...textWithMentions(message.body, store)));
  return parts;
}

/**
 * An upload (history-service /media, signed URLs): an image shows its thumbnail and opens the full size in a viewer,
 * audio plays inline, anything else is a download chip with its name and size.
 */
function uploadContent(kind, media, store) {
  const url = media.url ? safeUrl(store.api.mediaUrl(media.url)) : null;
  if (!url) return [el('span', { class: 'muted', text: `[${kind}${media.name ? `: ${media.name}` : ''}]` })];
  const name = media.name || (kind === 'image' ? 'image' : 'file');
  if (media.mime?.startsWith('image/')) {
    const thumb = safeUrl(store.api.mediaUrl(media.thumbnail)) || url;
    const image = el('img', {
      src: thumb, alt: name, class: 'media-image media-thumb', dataset: { full: url },
      onerror: () => image.replaceWith(el('span', { class: 'muted', text: `[image not available: ${name}]` })),
    });
    return [el('a', {
      href: url, class: 'media-link', title: `${name} · ${formatSize(media.size)}`,
      onclick: (event) => {
        event.preventDefault();
        openViewer(url, name);
      },
    }, image)];
  }
  if (media.mime?.startsWith('audio/') || kind === 'voice') {
    return [el('div', { class: 'voice-note' },
      el('audio', { src: url, controls: '', preload: 'metadata', class: 'media-audio' }),
      el('a', { href: url, class: 'file-link', download: name,
        text: [name, formatDuration(media.durationMs), formatSize(media.size)].filter(Boolean).join(' · ') }))];
  }
  return [el('a', { href: url, class: 'file-chip', download: name, target: '_blank', rel: 'noopener noreferrer' },
    el('span', { class: 'file-icon', text: '📄' }),
    el('span', { class: 'file-name', text: name }),
    el('span', { class: 'file-size', text: formatSize(media.size) }))];
}

function openViewer(url, name) {
  const full = $('media-full');
  full.removeAttribute('src');
  full.alt = name;
  full.src = url;
  $('media-open').href = url;
  $('media-viewer').showModal();
}

function formatDuration(ms) {
  if (!ms) return '';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function formatSize(bytes) {
  if (bytes == null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const MIME_BY_EXTENSION = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', zip: 'application/zip', mp3: 'audio/mpeg', mp4: 'video/mp4',
  doc: 'application/msword', json: 'application/json', csv: 'text/csv',
};

function guessMime(url, kind) {
  const extension = new URL(url).pathname.split('.').pop().toLowerCase();
  return MIME_BY_EXTENSION[extension] || (kind === 'image' ? 'image/jpeg' : 'application/octet-stream');
}
