// Group settings (owner and admins: roles, rename, announcement, only-admins-send, hand over, dissolve) and the chat
// header's tools for direct chats (block) and groups. Group details come from auth-service (GET /groups/{id}) and are
// fetched again when a SYSTEM message in the group says something changed.
import { el, formDialog, notify, showError } from './ui.js';

export class GroupTools {
  constructor({ api, store, chat }) {
    this.api = api;
    this.store = store;
    this.chat = chat;
    this.me = store.me;
    this.details = new Map(); // gid -> group view
    this.loading = new Map();
    this.blocked = null; // Set of uids I blocked, loaded on first need
  }

  /** A SYSTEM message in a group may be a change of it: fetch its details again. */
  onMessage(frame) {
    if (frame.senderType === 'SYSTEM' && frame.conv?.startsWith('g.')) {
      this.#load(Number(frame.conv.slice(2)), true);
    }
  }

  /** Header tools, subtitle and composer state for a direct chat or a group; null for anything else. */
  decorate(conv) {
    if (conv.kind === 'd') return this.#direct(conv);
    if (conv.kind !== 'g') return null;
    const gid = Number(conv.id.slice(2));
    const group = this.details.get(gid);
    if (!group) {
      this.#load(gid);
      return { tools: [], subtitle: null, closedReason: null };
    }
    const mine = this.#roleOf(group, this.me.id);
    const tools = [el('button', {
      type: 'button', class: 'secondary', id: 'group-settings', text: mine === 'member' ? 'Group info' : 'Group settings',
      onclick: () => this.#settings(gid),
    })];
    let closedReason = null;
    if (group.dissolved) closedReason = 'This group was dissolved: you can read its history, nobody can write.';
    else if (group.onlyAdminsSend && mine === 'member') closedReason = 'Only the owner and admins can send messages here.';
    const subtitle = `${group.members.length} members${group.announcement ? ` · 📌 ${group.announcement}` : ''}`;
    return { tools, subtitle, closedReason, moderator: !group.dissolved && mine !== 'member' };
  }

  #direct(conv) {
    const peer = this.store.peerOf(conv);
    if (peer === this.me.id) return { tools: [], subtitle: null, closedReason: null };
    if (this.blocked == null) {
      this.blocked = new Set();
      this.api.blocks().then((list) => {
        this.blocked = new Set(list.map((b) => b.userId));
        this.chat.refresh();
      }, () => {});
    }
    const isBlocked = this.blocked.has(peer);
    const button = el('button', {
      type: 'button', class: isBlocked ? 'secondary' : 'danger', id: 'block-user', text: isBlocked ? 'Unblock' : 'Block',
      onclick: async () => {
        button.disabled = true;
        try {
          if (isBlocked) {
            await this.api.unblock(peer);
            this.blocked.delete(peer);
          } else {
            if (!confirm(`Block ${this.store.userName(peer)}? They will not be able to send you direct messages.`)) return;
            await this.api.block(peer);
            this.blocked.add(peer);
          }
          notify(isBlocked ? 'Unblocked.' : 'Blocked: they can no longer message you.');
        } catch (error) {
          showError(error, 'Could not change the block');
        } finally {
          button.disabled = false;
          this.chat.refresh();
        }
      },
    });
    return { tools: [button], subtitle: isBlocked ? 'Direct chat · you blocked this user' : null, closedReason: null };
  }

  #roleOf(group, uid) {
    if (group.owner === uid) return 'owner';
    return (group.admins || []).includes(uid) ? 'admin' : 'member';
  }

  #load(gid, force = false) {
    if (!force && (this.details.has(gid) || this.loading.has(gid))) return this.loading.get(gid);
    const promise = this.api.group(gid).then((group) => {
      this.details.set(gid, group);
      this.store.groupNames?.set(gid, group.name);
      this.chat.refresh();
      return group;
    }, () => null).finally(() => this.loading.delete(gid));
    this.loading.set(gid, promise);
    return promise;
  }

  async #settings(gid) {
    const group = await this.#load(gid, true);
    if (!group) return;
    const mine = this.#roleOf(group, this.me.id);
    const manager = mine !== 'member' && !group.dissolved;
    const act = async (what, action) => {
      try {
        const updated = await action();
        if (updated?.id) this.details.set(gid, updated);
        notify(what);
        this.chat.refresh();
        return true;
      } catch (error) {
        showError(error, 'The group could not be changed');
        return false;
      }
    };
    const name = el('input', { id: 'group-name', value: group.name, maxlength: '64', disabled: !manager });
    const announcement = el('textarea', { id: 'group-announcement', maxlength: '1000', disabled: !manager, rows: '2' });
    announcement.value = group.announcement || '';
    const onlyAdmins = el('input', { id: 'group-only-admins', type: 'checkbox', checked: group.onlyAdminsSend, disabled: !manager });
    const members = el('ul', { class: 'device-list', id: 'group-members' }, ...group.members.map((uid) => {
      const role = this.#roleOf(group, uid);
      const buttons = [];
      if (!group.dissolved && uid !== this.me.id && role !== 'owner') {
        if (mine === 'owner') {
          buttons.push(el('button', {
            type: 'button', class: 'secondary role-toggle', text: role === 'admin' ? 'Make member' : 'Make admin',
            onclick: () => act('Role changed.', () => this.api.setGroupRole(gid, uid, role === 'admin' ? 'member' : 'admin'))
              .then(() => this.#settings(gid)),
          }));
          buttons.push(el('button', {
            type: 'button', class: 'secondary transfer-owner', text: 'Make owner',
            onclick: () => confirm(`Hand the group over to ${this.store.userName(uid)}?`)
              && act('The group has a new owner.', () => this.api.transferGroup(gid, uid)).then(() => this.#settings(gid)),
          }));
        }
        if (mine === 'owner' || (mine === 'admin' && role === 'member')) {
          buttons.push(el('button', {
            type: 'button', class: 'danger remove-member', text: 'Remove',
            onclick: () => act('Removed.', () => this.api.removeGroupMember(gid, uid)).then(() => this.#settings(gid)),
          }));
        }
      }
      this.store.resolveUser(uid);
      return el('li', { class: 'device-item', dataset: { uid: String(uid), role } },
        el('span', { class: 'device-main' }, el('strong', { text: this.store.userName(uid) }),
          el('span', { class: 'role', text: role })), ...buttons);
    }));
    const body = el('div', { class: 'group-settings' },
      group.dissolved ? el('p', { class: 'desk-meta', text: 'This group was dissolved.' }) : null,
      el('label', { text: 'Name' }), name,
      el('label', { text: 'Announcement' }), announcement,
      el('label', {}, onlyAdmins, ' Only the owner and admins may send'),
      manager ? el('button', {
        type: 'button', id: 'group-save', text: 'Save settings',
        onclick: () => act('Group saved.', () => this.api.updateGroup(gid, {
          name: name.value, announcement: announcement.value, onlyAdminsSend: onlyAdmins.checked,
        })),
      }) : null,
      el('h4', { text: 'Members' }), members,
      manager ? el('button', {
        type: 'button', class: 'secondary', id: 'group-add', text: 'Add member by username',
        onclick: async () => {
          const username = prompt('Username to add');
          if (!username) return;
          try {
            const user = await this.api.userByName(username.trim());
            await act('Added.', () => this.api.addGroupMembers(gid, [user.id]));
            this.#settings(gid);
          } catch (error) {
            showError(error, 'Could not add');
          }
        },
      }) : null,
      !group.dissolved && mine !== 'owner' ? el('button', {
        type: 'button', class: 'secondary', id: 'group-leave', text: 'Leave group',
        onclick: () => confirm('Leave this group?') && act('You left the group.', () => this.api.removeGroupMember(gid, this.me.id)),
      }) : null,
      !group.dissolved && mine === 'owner' ? el('button', {
        type: 'button', class: 'danger', id: 'group-dissolve', text: 'Dissolve group',
        onclick: () => confirm('Dissolve this group for everyone? The history stays readable.')
          && act('The group was dissolved.', async () => {
            await this.api.dissolveGroup(gid);
            return this.#load(gid, true);
          }),
      }) : null);
    await formDialog({ title: mine === 'member' ? 'Group info' : 'Group settings', body });
  }
}
