// The service desk. Customers: "Contact support" opens a consultation (desk.open), which is a conversation c.{id}.
// Agents (role AGENT): the live queue (desk.queue snapshot/added/taken/closed), grab, their open tickets with unread
// badges, transfer to another agent (desk.transfer; the target gets desk.offer and accepts or declines), close.
// State changes arrive as desk.state frames and as SYSTEM messages in the conversation, shown inline by the chat view.
// Second part: agents set their status (desk.status) and see everyone's load; with auto-assignment tickets simply
// arrive. Agents write private notes (desk.note, yellow bubbles only agents get), pick canned replies by typing "/",
// see an SLA badge on late tickets and a small stats panel. Customers see their place in the queue (desk.position)
// and rate a closed consultation (desk.rate).
import { $, el, badge, formatTime, formDialog, notify, showError } from './ui.js';

const STATS_DAYS = 7;

const STATE_WORDS = {
  WAITING: 'Waiting for an agent',
  SERVING: 'Being served',
  TRANSFERRING: 'Being transferred',
  CLOSED: 'Closed',
};

export class Desk {
  constructor({ store, socket, api, chat, openConversation, signal }) {
    this.store = store;
    this.socket = socket;
    this.api = api;
    this.chat = chat;
    this.openConversation = openConversation;
    this.me = store.me;
    this.isAgent = store.me.role === 'AGENT';
    this.queue = new Map(); // ticket -> {ticket, topic, customer, ts}
    this.offers = new Map(); // ticket -> {ticket, from, topic, customer}
    this.scheduled = false;
    this.agents = new Map(); // agent -> {agent, status, open, capacity}
    this.capacity = null;
    this.assignment = null;
    this.replies = []; // [{id, shortcut, text}]
    this.suggestions = []; // canned replies matching what follows "/"
    this.activeSuggestion = 0;
    this.noteMode = false;
    this.stats = null;
    const on = (target, type, handler, options = {}) => target.addEventListener(type, handler, { signal, ...options });
    on($('contact-support'), 'click', () => this.contactSupport());
    for (const type of ['list', 'names']) store.addEventListener(type, () => this.render());
    on($('desk-status'), 'change', () => this.setStatus($('desk-status').value));
    on($('note-toggle'), 'click', () => this.#setNoteMode(!this.noteMode));
    // before the chat view's own submit handler (capture): a canned reply pick, or a note instead of a message
    on($('chat-view'), 'submit', (event) => this.#onSubmit(event), { capture: true });
    // before the chat view's own input handler (capture): while writing a note, no typing indicator reaches the customer
    on($('chat-view'), 'input', (event) => {
      if (event.target.id !== 'composer-text') return;
      this.#suggest();
      if (this.noteMode && this.#onTicket()) event.stopPropagation();
    }, { capture: true });
    on($('composer-text'), 'keydown', (event) => this.#onKey(event));
    on($('desk-reply-add'), 'click', () => this.addReply());
    on($('desk-stats-refresh'), 'click', () => this.loadStats());
  }

  /** Ticket states and topics from history: titles for c.* conversations, an agent's open tickets. */
  async load() {
    const page = await this.api.consultations();
    for (const item of page.items) {
      const conv = this.store.get(item.ticket);
      conv.desk = {
        ...(conv.desk || {}),
        topic: item.topic, customer: item.customer,
        ...(conv.desk?.live ? {} : { state: item.state, agent: item.agent }),
      };
      if (item.slaBreached) conv.desk.slaBreached = true;
      if (item.rating) conv.desk.rating = item.rating;
      this.store.resolveUser(item.customer);
      if (item.agent) this.store.resolveUser(item.agent);
      if (this.#mine(conv)) conv.pinned = true;
    }
    if (this.isAgent) await Promise.all([this.loadReplies(), this.loadStats()]);
    this.render();
    this.chat.refresh();
  }

  async loadReplies() {
    try {
      this.replies = (await this.api.deskReplies()).items;
    } catch (error) {
      showError(error, 'Could not load the canned replies');
    }
    this.render();
  }

  async loadStats() {
    const to = Date.now();
    try {
      this.stats = await this.api.deskStats(to - STATS_DAYS * 86_400_000, to + 1);
    } catch (error) {
      showError(error, 'Could not load the desk stats');
    }
    this.render();
  }

  onFrame(frame) {
    switch (frame.type) {
      case 'desk.queue':
        this.#onQueue(frame);
        break;
      case 'desk.state':
        this.#onState(frame);
        break;
      case 'desk.position':
        this.#info(frame.ticket, { position: frame.position });
        break;
      case 'desk.sla':
        this.#info(frame.ticket, { slaBreached: true });
        if (frame.agent === this.me.id) notify(`${frame.ticket} waits too long for its first answer`, 'error');
        break;
      case 'desk.offer':
        this.offers.set(frame.ticket, frame);
        this.#info(frame.ticket, { topic: frame.topic, customer: frame.customer });
        this.store.resolveUser(frame.from);
        notify(`${this.store.userName(frame.from)} offers you ticket ${frame.ticket}: ${frame.topic || ''}`, 'info');
        break;
      default:
        return;
    }
    this.render();
    this.chat.refresh();
  }

  #onQueue(frame) {
    if (frame.event === 'snapshot') {
      this.capacity = frame.capacity ?? this.capacity;
      this.assignment = frame.assignment ?? this.assignment;
      this.agents = new Map((frame.agents || []).map((agent) => [agent.agent, agent]));
      for (const agent of frame.agents || []) this.store.resolveUser(agent.agent);
      this.queue = new Map((frame.items || []).map((item) => [item.ticket, item]));
      for (const item of frame.items || []) {
        this.#info(item.ticket, { topic: item.topic, customer: item.customer, state: 'WAITING' });
        this.store.resolveUser(item.customer);
      }
    } else if (frame.event === 'agent') {
      this.agents.set(frame.agent, { agent: frame.agent, status: frame.status, open: frame.open, capacity: frame.capacity });
      this.store.resolveUser(frame.agent);
    } else if (frame.event === 'added' || frame.event === 'requeued') {
      this.queue.set(frame.ticket, { ticket: frame.ticket, topic: frame.topic, customer: frame.customer, ts: frame.ts });
      this.#info(frame.ticket, { topic: frame.topic, customer: frame.customer, state: 'WAITING' });
      this.store.resolveUser(frame.customer);
    } else if (frame.event === 'taken') {
      this.queue.delete(frame.ticket);
      this.#info(frame.ticket, { state: 'SERVING', agent: frame.agent });
    } else if (frame.event === 'closed') {
      this.queue.delete(frame.ticket);
      this.#info(frame.ticket, { state: 'CLOSED' });
    }
  }

  #onState(frame) {
    this.#info(frame.ticket, { state: frame.state, agent: frame.agent ?? null, toAgent: frame.toAgent ?? null, live: true });
    if (frame.agent) this.store.resolveUser(frame.agent);
    if (frame.toAgent) this.store.resolveUser(frame.toAgent);
    if (frame.state !== 'TRANSFERRING') this.offers.delete(frame.ticket);
    if (frame.state !== 'WAITING') this.queue.delete(frame.ticket);
    const conv = this.store.get(frame.ticket);
    if (frame.state !== 'WAITING') delete conv.desk.position;
    if (this.#mine(conv)) conv.pinned = true;
    if (frame.state === 'SERVING' && frame.agent === this.me.id && this.assignment === 'auto' && !this.chat.conv) {
      this.openConversation(frame.ticket); // an assigned ticket comes to the agent
    }
  }

  #info(ticket, values) {
    const conv = this.store.get(ticket);
    conv.desk = { ...(conv.desk || {}), ...values };
    return conv;
  }

  /** An agent's open ticket: serving it, or handing it over. */
  #mine(conv) {
    const desk = conv.desk;
    return this.isAgent && desk && desk.agent === this.me.id && (desk.state === 'SERVING' || desk.state === 'TRANSFERRING');
  }

  // ---- actions ----

  async contactSupport() {
    await formDialog({
      title: 'Contact support',
      okLabel: 'Open consultation',
      fields: [{ name: 'topic', label: 'What can we help with?', placeholder: 'e.g. my parcel never arrived', required: true }],
      submit: async ({ topic }) => {
        const ack = await this.socket.request({ type: 'desk.open', topic });
        const conv = this.#info(ack.ticket, { state: ack.state, topic, customer: this.me.id });
        conv.pinned = true;
        conv.updatedAt = Date.now();
        this.openConversation(ack.ticket);
        return ack;
      },
    });
  }

  async grab(ticket) {
    try {
      const ack = await this.socket.request({ type: 'desk.grab', ticket });
      this.#info(ticket, { state: ack.state, agent: this.me.id });
      this.queue.delete(ticket);
      this.store.get(ticket).pinned = true;
      this.render();
      this.openConversation(ticket);
    } catch (error) {
      if (error.code === 'CONFLICT') {
        this.queue.delete(ticket);
        this.render();
        showError(error, 'Another agent was faster');
      } else {
        showError(error, 'Could not grab the ticket');
      }
    }
  }

  async transfer(ticket) {
    await formDialog({
      title: `Transfer ${ticket}`,
      okLabel: 'Transfer',
      fields: [{ name: 'agent', label: 'To agent (username)', placeholder: 'e.g. agent_carol', required: true }],
      submit: async ({ agent }) => {
        const user = await this.api.userByName(agent);
        if (user.id === this.me.id) throw new Error('That is you: pick another agent');
        this.store.userNames.set(user.id, user.username);
        const ack = await this.socket.request({ type: 'desk.transfer', ticket, toAgent: user.id });
        this.#info(ticket, { state: ack.state, toAgent: user.id });
        this.render();
        this.chat.refresh();
        notify(`Waiting for ${user.username} to accept ${ticket}`, 'info');
        return ack;
      },
    });
  }

  async answerOffer(ticket, accept) {
    try {
      const ack = await this.socket.request({ type: accept ? 'desk.accept' : 'desk.decline', ticket });
      this.offers.delete(ticket);
      if (accept) {
        this.#info(ticket, { state: ack.state, agent: this.me.id, toAgent: null });
        this.store.get(ticket).pinned = true;
        this.openConversation(ticket);
      }
      this.render();
    } catch (error) {
      this.offers.delete(ticket);
      this.render();
      showError(error, accept ? 'Could not accept' : 'Could not decline');
    }
  }

  async close(ticket) {
    try {
      const ack = await this.socket.request({ type: 'desk.close', ticket });
      this.#info(ticket, { state: ack.state });
      this.render();
      this.chat.refresh();
    } catch (error) {
      showError(error, 'Could not close the consultation');
    }
  }

  async setStatus(status) {
    try {
      const ack = await this.socket.request({ type: 'desk.status', status });
      const me = this.agents.get(this.me.id) || { agent: this.me.id, open: 0, capacity: this.capacity };
      this.agents.set(this.me.id, { ...me, status: ack.status });
    } catch (error) {
      showError(error, 'Could not change your status');
    }
    this.render();
  }

  async rate(ticket, score, comment) {
    try {
      await this.socket.request({ type: 'desk.rate', ticket, score, ...(comment ? { comment } : {}) });
      this.#info(ticket, { rating: { score, comment } });
      notify('Thank you for your rating', 'info');
    } catch (error) {
      showError(error, 'Could not send the rating');
    }
    this.chat.refresh();
  }

  async addReply() {
    await formDialog({
      title: 'New canned reply',
      okLabel: 'Save',
      fields: [
        { name: 'shortcut', label: 'Shortcut (type /shortcut in a ticket)', placeholder: 'e.g. refund', required: true },
        { name: 'text', label: 'Text', placeholder: 'e.g. Your refund is on its way.', required: true },
      ],
      submit: async ({ shortcut, text }) => {
        const reply = await this.api.createDeskReply(shortcut.trim().toLowerCase(), text);
        this.replies = [...this.replies, reply].sort((a, b) => a.shortcut.localeCompare(b.shortcut));
        this.render();
        return reply;
      },
    });
  }

  async deleteReply(id) {
    try {
      await this.api.deleteDeskReply(id);
      this.replies = this.replies.filter((reply) => reply.id !== id);
    } catch (error) {
      showError(error, 'Could not delete the canned reply');
    }
    this.render();
  }

  // ---- the composer: private notes and canned replies ----

  #onTicket() {
    const conv = this.chat.conv;
    return this.isAgent && conv && conv.kind === 'c' ? conv : null;
  }

  #setNoteMode(on) {
    this.noteMode = on;
    $('note-toggle').setAttribute('aria-pressed', String(on));
    $('composer').classList.toggle('note-mode', on);
    $('composer-text').placeholder = on ? 'Private note (only agents see it)' : 'Message';
  }

  #onSubmit(event) {
    const conv = this.#onTicket();
    if (!conv || event.target.id !== 'composer') return;
    if (this.suggestions.length) {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.#pick(this.suggestions[this.activeSuggestion]);
      return;
    }
    if (!this.noteMode) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const input = $('composer-text');
    const body = input.value.trim();
    if (!body) return;
    input.value = '';
    this.#sendNote(conv, body);
  }

  async #sendNote(conv, body) {
    try {
      const ack = await this.socket.request({ type: 'desk.note', ticket: conv.id, body });
      this.store.onMessage({ type: 'message', msgId: ack.msgId, conv: ack.conv, seq: ack.seq, from: this.me.id, fromDevice: null,
        senderType: 'USER', kind: 'text', body, ts: ack.ts, visibility: 'agents' });
    } catch (error) {
      showError(error, 'Note not sent');
    }
  }

  #suggest() {
    const value = $('composer-text').value;
    this.suggestions = this.#onTicket() && value.startsWith('/')
      ? this.replies.filter((reply) => reply.shortcut.startsWith(value.slice(1).toLowerCase())).slice(0, 8) : [];
    this.activeSuggestion = 0;
    this.#paintSuggestions();
  }

  #onKey(event) {
    if (!this.suggestions.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : this.suggestions.length - 1;
      this.activeSuggestion = (this.activeSuggestion + step) % this.suggestions.length;
      this.#paintSuggestions();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      this.#pick(this.suggestions[this.activeSuggestion]);
    } else if (event.key === 'Escape') {
      this.suggestions = [];
      this.#paintSuggestions();
    }
  }

  #pick(reply) {
    $('composer-text').value = reply.text;
    this.suggestions = [];
    this.#paintSuggestions();
    $('composer-text').focus();
  }

  #paintSuggestions() {
    const list = $('canned-suggestions');
    list.hidden = this.suggestions.length === 0;
    list.replaceChildren(...this.suggestions.map((reply, i) => el('li', {
      class: i === this.activeSuggestion ? 'active' : null, dataset: { shortcut: reply.shortcut },
      onmousedown: (event) => {
        event.preventDefault();
        this.#pick(reply);
      },
    }, el('span', { class: 'shortcut', text: `/${reply.shortcut}` }), el('span', { text: reply.text }))));
  }

  // ---- what the chat header shows for a ticket ----

  /** Header subtitle, buttons and whether the composer is closed, for the open conversation. */
  decorate(conv) {
    this.#paintRating(conv);
    const noteAllowed = conv.kind === 'c' && this.isAgent && conv.desk?.agent === this.me.id && conv.desk?.state !== 'CLOSED';
    $('note-toggle').hidden = !noteAllowed;
    if (!noteAllowed && this.noteMode) this.#setNoteMode(false);
    if (conv.kind !== 'c') return { tools: [], subtitle: null, closedReason: null };
    const desk = conv.desk || {};
    const state = desk.state;
    const isCustomer = desk.customer === this.me.id;
    const serving = desk.agent != null && desk.agent === this.me.id;
    const tools = [];
    let subtitle = STATE_WORDS[state] || 'Consultation';
    if (desk.agent && (state === 'SERVING' || state === 'TRANSFERRING')) subtitle += ` · agent ${this.store.userName(desk.agent)}`;
    if (state === 'TRANSFERRING' && desk.toAgent) subtitle += ` → ${this.store.userName(desk.toAgent)}`;
    if (!isCustomer && desk.customer) subtitle += ` · customer ${this.store.userName(desk.customer)}`;
    if (isCustomer && state === 'WAITING' && desk.position) subtitle += ` · you are number ${desk.position} in the queue`;
    state && tools.push(el('span', { class: `state state-${state.toLowerCase()}`, text: state }));
    if (!isCustomer && desk.slaBreached) tools.push(el('span', { class: 'sla-badge', text: 'SLA', title: 'first response late' }));
    if (this.isAgent && state === 'WAITING' && !isCustomer) {
      tools.push(el('button', { type: 'button', class: 'grab', text: 'Grab', onclick: () => this.grab(conv.id) }));
    }
    if (this.isAgent && serving && state === 'SERVING') {
      tools.push(el('button', { type: 'button', class: 'secondary transfer', text: 'Transfer', onclick: () => this.transfer(conv.id) }));
    }
    if (state !== 'CLOSED' && (isCustomer || (serving && state === 'SERVING'))) {
      tools.push(el('button', { type: 'button', class: 'danger close-ticket', text: isCustomer ? 'End' : 'Close',
        onclick: () => this.close(conv.id) }));
    }
    let closedReason = null;
    if (state === 'CLOSED') closedReason = 'This consultation is closed.';
    else if (!isCustomer && this.isAgent && state === 'WAITING') closedReason = 'Grab this ticket to answer.';
    else if (!isCustomer && state && desk.agent !== this.me.id && desk.customer != null) {
      closedReason = `Served by ${desk.agent ? this.store.userName(desk.agent) : 'another agent'}.`;
    }
    return { tools, subtitle, closedReason, moderator: this.isAgent && serving && state !== 'CLOSED' };
  }

  /** Under a closed consultation, the customer's rating prompt (once), then their rating. */
  #paintRating(conv) {
    const box = $('desk-rating');
    const desk = conv.desk || {};
    if (conv.kind !== 'c' || desk.customer !== this.me.id || desk.state !== 'CLOSED') {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    if (desk.rating) {
      box.replaceChildren(el('span', { class: 'rated', text: `You rated this consultation ${'★'.repeat(desk.rating.score)}${'☆'.repeat(5 - desk.rating.score)}` }));
      return;
    }
    if (box.dataset.conv === conv.id && box.querySelector('.stars')) return; // keep a comment being typed
    box.dataset.conv = conv.id;
    const comment = el('input', { id: 'rating-comment', maxlength: '1000', placeholder: 'Anything to add? (optional)' });
    box.replaceChildren(el('p', { text: 'How did we do?' }),
      el('div', { class: 'stars' }, ...[1, 2, 3, 4, 5].map((score) => el('button', {
        type: 'button', class: 'star', dataset: { score: String(score) }, title: `${score} of 5`, text: '★',
        onclick: () => this.rate(conv.id, score, comment.value.trim()),
      }))), comment);
  }

  // ---- the agent's panel ----

  render() {
    if (!this.isAgent || this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.#paint();
    });
  }

  #paint() {
    const me = this.agents.get(this.me.id);
    if (me && document.activeElement !== $('desk-status')) $('desk-status').value = me.status;
    const capacity = me?.capacity ?? this.capacity;
    $('desk-load').textContent = me && capacity ? `Load ${me.open} / ${capacity}` : '';
    $('desk-load').classList.toggle('full', Boolean(me && capacity && me.open >= capacity));
    $('desk-mode').textContent = this.assignment === 'auto' ? 'tickets are assigned automatically'
      : this.assignment === 'manual' ? 'grab tickets from the queue' : '';
    const agents = [...this.agents.values()].filter((a) => a.status !== 'offline' || a.open > 0)
      .sort((a, b) => this.store.userName(a.agent).localeCompare(this.store.userName(b.agent)));
    $('desk-agents').replaceChildren(...agents.map((a) => el('li', { dataset: { agent: String(a.agent), status: a.status } },
      el('span', {}, el('span', { class: `status-dot ${a.status}`, title: a.status }), this.store.userName(a.agent)),
      el('span', { class: 'desk-meta', text: `${a.open} / ${a.capacity}` }))));

    $('desk-replies').replaceChildren(...this.replies.map((reply) => el('li', { class: 'desk-item', dataset: { reply: reply.id } },
      el('span', { class: 'desk-main' },
        el('span', { class: 'desk-topic', text: `/${reply.shortcut}` }),
        el('span', { class: 'desk-meta', text: reply.text })),
      el('button', { type: 'button', class: 'link', text: 'delete', onclick: () => this.deleteReply(reply.id) }))));
    $('desk-replies-empty').hidden = this.replies.length > 0;
    const stats = this.stats;
    const seconds = (ms) => (ms == null ? '–' : `${Math.round(ms / 1000)} s`);
    $('desk-stats').replaceChildren(...(stats ? [
      ['Tickets', stats.tickets], ['Closed', stats.closed], ['Waiting', stats.waiting],
      ['Avg first response', seconds(stats.avgFirstResponseMs)], ['SLA breaches', stats.slaBreaches],
      ['CSAT', stats.csatAvg == null ? '–' : `${stats.csatAvg} / 5`],
    ] : []).flatMap(([label, value]) => [el('dt', { text: label }), el('dd', { dataset: { stat: label }, text: String(value) })]));

    const queue = [...this.queue.values()].sort((a, b) => (a.ts || 0) - (b.ts || 0));
    $('desk-queue').replaceChildren(...queue.map((item) => el('li', { class: 'desk-item', dataset: { ticket: item.ticket } },
      el('span', { class: 'desk-main' },
        el('span', { class: 'desk-topic', text: item.topic || item.ticket },
          this.store.get(item.ticket).desk?.slaBreached ? el('span', { class: 'sla-badge', text: 'SLA' }) : null),
        el('span', { class: 'desk-meta', text: `${item.ticket} · ${this.store.userName(item.customer)} · ${formatTime(item.ts)}` })),
      el('button', { type: 'button', class: 'grab', text: 'Grab', onclick: () => this.grab(item.ticket) }))));
    $('desk-queue-empty').hidden = queue.length > 0;
    $('desk-queue-count').textContent = queue.length ? `(${queue.length})` : '';

    const mine = [...this.store.convs.values()].filter((conv) => this.#mine(conv))
      .sort((a, b) => b.updatedAt - a.updatedAt);
    $('desk-mine').replaceChildren(...mine.map((conv) => el('li', {
      class: 'desk-item clickable', dataset: { ticket: conv.id }, onclick: () => this.openConversation(conv.id),
    },
    el('span', { class: 'desk-main' },
      el('span', { class: 'desk-topic', text: conv.desk.topic || conv.id },
        conv.desk.slaBreached ? el('span', { class: 'sla-badge', text: 'SLA', title: 'first response late' }) : null),
      el('span', { class: 'desk-meta', text: `${conv.id} · ${this.store.userName(conv.desk.customer)} · ${conv.desk.state}` })),
    badge(conv.unread))));
    $('desk-mine-empty').hidden = mine.length > 0;

    const offers = [...this.offers.values()];
    $('desk-offers').replaceChildren(...offers.map((offer) => el('li', { class: 'desk-item offer', dataset: { ticket: offer.ticket } },
      el('span', { class: 'desk-main' },
        el('span', { class: 'desk-topic', text: offer.topic || offer.ticket }),
        el('span', { class: 'desk-meta', text: `${offer.ticket} from ${this.store.userName(offer.from)}` })),
      el('button', { type: 'button', class: 'accept', text: 'Accept', onclick: () => this.answerOffer(offer.ticket, true) }),
      el('button', { type: 'button', class: 'secondary decline', text: 'Decline', onclick: () => this.answerOffer(offer.ticket, false) }))));
    $('desk-offers-empty').hidden = offers.length > 0;

    const attention = queue.length + offers.length + mine.reduce((sum, conv) => sum + conv.unread, 0);
    $('desk-tab-badge').hidden = attention === 0;
    $('desk-tab-badge').textContent = String(attention);
  }
}
