// The conversation list (newest activity first, unread badges, an @ badge when an unread message mentions me, last message) and the actions that start one:
// a direct chat by username, a new group.
import { $, el, badge, formatTime, formDialog, showError } from './ui.js';
import { directConvId, previewOf } from './store.js';

export class ConversationList {
  constructor({ store, api, onOpen, signal }) {
    this.store = store;
    this.api = api;
    this.onOpen = onOpen;
    this.current = null;
    this.scheduled = false;
    for (const type of ['list', 'names']) store.addEventListener(type, () => this.render());
    $('new-direct').addEventListener('click', () => this.newDirect(), { signal });
    $('new-group').addEventListener('click', () => this.newGroup(), { signal });
    $('conv-more').addEventListener('click', () => this.store.loadMoreConversations()
      .catch((error) => showError(error, 'Could not load more conversations')), { signal });
  }

  setCurrent(id) {
    this.current = id;
    this.render();
  }

  /** Coalesces bursts of updates into one repaint. */
  render() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.#paint();
    });
  }

  #paint() {
    const list = $('conv-list');
    const convs = this.store.sortedConversations();
    list.replaceChildren(...convs.map((conv) => this.#item(conv)));
    $('conv-empty').hidden = convs.length > 0;
    $('conv-more').hidden = !this.store.listCursor;
  }

  #item(conv) {
    const title = this.store.title(conv);
    const last = conv.lastMessage;
    let preview = previewOf(last);
    if (last && last.senderType !== 'SYSTEM' && last.from) {
      if (last.from === this.store.me.id) preview = `You: ${preview}`;
      else if (conv.kind !== 'd') preview = `${this.store.userName(last.from)}: ${preview}`;
    }
    const unread = conv.id === this.current && document.visibilityState === 'visible' ? 0 : conv.unread;
    return el('li', {
      class: `conv-item${conv.id === this.current ? ' active' : ''}${unread ? ' has-unread' : ''}`,
      dataset: { conv: conv.id },
      tabindex: '0',
      onclick: () => this.onOpen(conv.id),
      onkeydown: (event) => { if (event.key === 'Enter') this.onOpen(conv.id); },
    },
    el('span', { class: `avatar kind-${conv.kind}`, text: avatarLetter(conv, title) }),
    el('span', { class: 'conv-main' },
      el('span', { class: 'conv-top' },
        el('span', { class: 'conv-title', text: title }),
        el('span', { class: 'conv-time', text: formatTime(conv.updatedAt) })),
      el('span', { class: 'conv-bottom' },
        el('span', { class: 'conv-preview', text: preview || ' ' }),
        unread && conv.mentionsMe > 0 ? el('span', { class: 'badge mention', title: 'You were mentioned', text: '@' }) : null,
        badge(unread))));
  }

  async newDirect() {
    await formDialog({
      title: 'New chat',
      okLabel: 'Start chat',
      fields: [{ name: 'username', label: 'Username', placeholder: 'e.g. bob', required: true }],
      submit: async ({ username }) => {
        const user = await this.api.userByName(username);
        if (user.id === this.store.me.id) throw new Error('That is you: pick someone else');
        this.store.userNames.set(user.id, user.username);
        const conv = this.store.get(directConvId(this.store.me.id, user.id));
        conv.pinned = true;
        if (!conv.updatedAt) conv.updatedAt = Date.now();
        this.onOpen(conv.id);
        return conv;
      },
    });
  }

  async newGroup() {
    await formDialog({
      title: 'New group',
      okLabel: 'Create group',
      fields: [
        { name: 'name', label: 'Group name', placeholder: 'e.g. weekend trip', required: true },
        { name: 'members', label: 'Members', placeholder: 'usernames, separated by commas or spaces', required: true,
          hint: 'You are the owner and a member.' },
      ],
      submit: async ({ name, members }) => {
        const names = [...new Set(members.split(/[\s,]+/).filter(Boolean))];
        const ids = [];
        for (const username of names) {
          try {
            const user = await this.api.userByName(username);
            this.store.userNames.set(user.id, user.username);
            if (user.id !== this.store.me.id) ids.push(user.id);
          } catch (error) {
            if (error.status === 404 || error.status === 400) throw new Error(`No user "${username}"`);
            throw error;
          }
        }
        const group = await this.api.createGroup(name, ids);
        this.store.groupNames.set(group.id, group.name);
        const conv = this.store.get(`g.${group.id}`);
        conv.pinned = true;
        conv.updatedAt = Date.now();
        this.onOpen(conv.id);
        return conv;
      },
    });
  }
}

function avatarLetter(conv, title) {
  if (conv.kind === 'c') return '?';
  return (title || '?').trim().charAt(0).toUpperCase() || '?';
}
