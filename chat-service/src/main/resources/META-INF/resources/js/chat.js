// The open conversation: history with scroll-back paging, live messages in seq order, sending text / images / files
// (by URL), read receipts on my messages, the typing indicator, and marking the conversation read while it is shown.
import { $, el, formatTime, formatDateTime, formDialog, safeUrl, showError } from './ui.js';

const TYPING_SEND_INTERVAL_MS = 3000;
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
    this.decorate = decorate; // (conv) -> {tools: Node[], subtitle: string, closedReason: string|null}
    this.conv = null;
    this.rendered = new Map(); // seq -> li
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
    on($('composer-text'), 'input', () => this.#typing());
    on($('attach'), 'click', () => this.#attach());
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
      const item = this.rendered.get(seq);
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
      if (this.rendered.has(message.seq)) continue;
      const item = this.#messageItem(message);
      this.rendered.set(message.seq, item);
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
    const showSender = !mine && this.conv.kind !== 'd';
    const note = message.visibility === 'agents'; // a desk agent's private note: only agents ever get one
    return el('li', { class: `msg ${mine ? 'mine' : 'theirs'}${note ? ' note' : ''}`, dataset: { seq: message.seq, from: message.from } },
      showSender ? el('span', { class: 'msg-sender', text: this.store.userName(message.from) }) : null,
      el('div', { class: `bubble kind-${message.kind}` },
        note ? el('span', { class: 'note-label', text: 'Private note · agents only' }) : null, ...contentOf(message)),
      el('span', { class: 'msg-info' },
        el('span', { class: 'msg-time', text: formatTime(message.ts), title: formatDateTime(message.ts) }),
        mine && !note ? el('span', { class: 'msg-status', text: 'sent' }) : null));
  }

  #updateReceipts() {
    const conv = this.conv;
    const readers = [...conv.peerRead.entries()];
    for (const [seq, item] of this.rendered) {
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
    this.send({ kind: 'text', body });
  }

  /** Sends from the open conversation: shown as "sending…" until the ack gives it its seq. */
  async send({ kind, body, media }) {
    const conv = this.conv;
    const peer = this.store.peerOf(conv);
    const frame = { cid: newCid(), to: peer != null ? { user: peer } : conv.id, kind };
    if (body) frame.body = body;
    if (media) frame.media = media;
    const pending = el('li', { class: 'msg mine pending', dataset: { cid: frame.cid } },
      el('div', { class: `bubble kind-${kind}` }, ...contentOf(frame)),
      el('span', { class: 'msg-info' }, el('span', { class: 'msg-status', text: 'sending…' })));
    $('pending-list').append(pending);
    this.#scrollToBottom();
    try {
      const ack = await this.socket.sendMessage(frame);
      pending.remove();
      this.store.onOwnAck(conv, frame, ack);
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

/** The bubble's content: text, an image (http(s) only), or a link to a file. Never HTML from the message. */
function contentOf(message) {
  const parts = [];
  const media = message.media;
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
  if (message.body) parts.push(el('span', { class: 'text', text: message.body }));
  return parts;
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
