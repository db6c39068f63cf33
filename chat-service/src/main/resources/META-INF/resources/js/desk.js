// The service desk. Customers: "Contact support" opens a consultation (desk.open), which is a conversation c.{id}.
// Agents (role AGENT): the live queue (desk.queue snapshot/added/taken/closed), grab, their open tickets with unread
// badges, transfer to another agent (desk.transfer; the target gets desk.offer and accepts or declines), close.
// State changes arrive as desk.state frames and as SYSTEM messages in the conversation, shown inline by the chat view.
import { $, el, badge, formatTime, formDialog, notify, showError } from './ui.js';

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
    $('contact-support').addEventListener('click', () => this.contactSupport(), { signal });
    for (const type of ['list', 'names']) store.addEventListener(type, () => this.render());
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
      this.store.resolveUser(item.customer);
      if (item.agent) this.store.resolveUser(item.agent);
      if (this.#mine(conv)) conv.pinned = true;
    }
    this.render();
    this.chat.refresh();
  }

  onFrame(frame) {
    switch (frame.type) {
      case 'desk.queue':
        this.#onQueue(frame);
        break;
      case 'desk.state':
        this.#onState(frame);
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
      this.queue = new Map((frame.items || []).map((item) => [item.ticket, item]));
      for (const item of frame.items || []) {
        this.#info(item.ticket, { topic: item.topic, customer: item.customer, state: 'WAITING' });
        this.store.resolveUser(item.customer);
      }
    } else if (frame.event === 'added') {
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
    if (this.#mine(conv)) conv.pinned = true;
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

  // ---- what the chat header shows for a ticket ----

  /** Header subtitle, buttons and whether the composer is closed, for the open conversation. */
  decorate(conv) {
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
    state && tools.push(el('span', { class: `state state-${state.toLowerCase()}`, text: state }));
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
    return { tools, subtitle, closedReason };
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
    const queue = [...this.queue.values()].sort((a, b) => (a.ts || 0) - (b.ts || 0));
    $('desk-queue').replaceChildren(...queue.map((item) => el('li', { class: 'desk-item', dataset: { ticket: item.ticket } },
      el('span', { class: 'desk-main' },
        el('span', { class: 'desk-topic', text: item.topic || item.ticket }),
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
      el('span', { class: 'desk-topic', text: conv.desk.topic || conv.id }),
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
