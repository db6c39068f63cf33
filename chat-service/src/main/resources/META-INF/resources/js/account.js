// Log in / register, the session of this browser, log out, my devices (list, kick one), profile, password, account
// deletion, blocked users.
// The device id and the session (access token, refresh token) live in localStorage: one device per browser, like a
// phone's, signed in across reloads and restarts until logout; the tabs of a browser share it (README "Web client":
// why localStorage and not an HttpOnly cookie).
import { $, el, describeError, formatDateTime, formDialog, showError } from './ui.js';

const DEVICE_KEY = 'chat.deviceId';
const SESSION_KEY = 'chat.session';

export function deviceId() {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id || !/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) {
    const random = crypto.getRandomValues(new Uint8Array(4));
    id = `web-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

export function savedSession() {
  try {
    const session = JSON.parse(localStorage.getItem(SESSION_KEY) || 'null');
    return session?.refreshToken ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

/** The session to keep from a login answer. */
export function sessionOf(login) {
  return {
    accessToken: login.accessToken, refreshToken: login.refreshToken, expiresAt: login.expiresAt,
    issuedAt: Date.now(), userId: login.userId,
  };
}

/** The login view; calls onLoggedIn(session) after a successful login (or register + login). */
export class LoginView {
  constructor({ api, onLoggedIn }) {
    this.api = api;
    this.onLoggedIn = onLoggedIn;
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#go(false);
    });
    $('register-submit').addEventListener('click', () => this.#go(true));
    $('login-device').addEventListener('change', () => {
      const value = $('login-device').value.trim();
      if (/^[A-Za-z0-9_.:-]{1,64}$/.test(value)) localStorage.setItem(DEVICE_KEY, value);
      this.#showDevice();
    });
  }

  show(message, kind = 'error') {
    $('app-view').hidden = true;
    $('login-view').hidden = false;
    $('login-password').value = '';
    this.#showDevice();
    this.#message(message, kind);
    $(($('login-username').value ? 'login-password' : 'login-username')).focus();
  }

  #showDevice() {
    $('login-device').value = deviceId();
    $('login-device-label').textContent = deviceId();
  }

  #message(text, kind = 'error') {
    const box = $('login-message');
    box.hidden = !text;
    box.textContent = text || '';
    box.dataset.kind = kind;
  }

  async #go(register) {
    const username = $('login-username').value.trim();
    const password = $('login-password').value;
    if (username.length < 3 || password.length < 8) {
      this.#message('Username: at least 3 characters; password: at least 8.');
      return;
    }
    const buttons = [$('login-submit'), $('register-submit')];
    buttons.forEach((b) => { b.disabled = true; });
    this.#message(register ? 'Registering…' : 'Logging in…', 'info');
    try {
      if (register) await this.api.register(username, password);
      const login = await this.api.login(username, password, deviceId());
      this.#message('');
      $('login-password').value = '';
      await this.onLoggedIn(sessionOf(login));
    } catch (error) {
      const text = error.code === 'USERNAME_TAKEN' ? `${describeError(error)}. Log in instead?` : describeError(error);
      this.#message(text);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }
}

/** My devices: each session with where and when it logged in; kick any other one. */
export async function showDevices(api) {
  const list = el('ul', { class: 'device-list', id: 'device-list' });
  const fill = async () => {
    const sessions = await api.sessions();
    list.replaceChildren(...sessions.map((s) => el('li', { class: 'device-item', dataset: { device: s.deviceId } },
      el('span', { class: 'device-main' },
        el('strong', { text: s.deviceId }), s.current ? el('span', { class: 'role', text: 'this page' }) : null,
        el('span', { class: 'desk-meta', text: `${s.userAgent ? shortAgent(s.userAgent) : 'unknown client'} · ${s.ip || ''} · since ${formatDateTime(Date.parse(s.loginAt) || s.loginAt)}` })),
      s.current ? null : el('button', {
        type: 'button', class: 'danger kick', text: 'Sign out',
        onclick: async (event) => {
          event.target.disabled = true;
          try {
            await api.kick(s.deviceId);
            await fill();
          } catch (error) {
            showError(error, 'Could not sign that device out');
            event.target.disabled = false;
          }
        },
      }))));
  };
  try {
    await fill();
  } catch (error) {
    showError(error, 'Could not list your devices');
    return;
  }
  await formDialog({ title: 'My devices', body: list });
}

function shortAgent(userAgent) {
  const match = /(Chrome|Firefox|Safari|Edg|Java-http-client|curl)\/[\d.]+/.exec(userAgent);
  return match ? match[0] : userAgent.slice(0, 40);
}

/** My profile: display name, avatar (a media id), password change, account deletion, blocked users. */
export async function showProfile(api, me, { onChanged, onDeleted }) {
  const name = el('input', { id: 'profile-name', value: me.displayName || '', maxlength: '64' });
  const avatar = el('input', { id: 'profile-avatar', value: me.avatar || '', maxlength: '64', placeholder: 'media id (uploads come later)' });
  const current = el('input', { id: 'profile-current', type: 'password', autocomplete: 'current-password' });
  const next = el('input', { id: 'profile-password', type: 'password', autocomplete: 'new-password', minlength: '8' });
  const message = el('p', { id: 'profile-message', class: 'desk-meta' });
  const blocked = el('ul', { class: 'device-list', id: 'blocked-list' });
  const fillBlocked = async () => {
    const list = await api.blocks();
    blocked.replaceChildren(...(list.length ? list.map((b) => el('li', { class: 'device-item', dataset: { uid: String(b.userId) } },
      el('span', { class: 'device-main' }, el('strong', { text: b.displayName || b.username }), el('span', { class: 'desk-meta', text: `@${b.username}` })),
      el('button', {
        type: 'button', class: 'secondary unblock', text: 'Unblock',
        onclick: async () => {
          try {
            await api.unblock(b.userId);
            await fillBlocked();
          } catch (error) {
            showError(error, 'Could not unblock');
          }
        },
      }))) : [el('li', { class: 'empty-hint', text: 'Nobody is blocked.' })]));
  };
  const run = async (what, action) => {
    message.textContent = '';
    try {
      await action();
      message.textContent = what;
    } catch (error) {
      message.textContent = describeError(error);
    }
  };
  const body = el('div', { class: 'profile' },
    el('label', { text: 'Display name' }), name,
    el('label', { text: 'Avatar' }), avatar,
    el('button', {
      type: 'button', id: 'profile-save', text: 'Save profile',
      onclick: () => run('Profile saved.', async () => onChanged(await api.updateProfile({ displayName: name.value, avatar: avatar.value.trim() }))),
    }),
    el('h4', { text: 'Password' }),
    el('label', { text: 'Current password' }), current,
    el('label', { text: 'New password (8+ characters)' }), next,
    el('button', {
      type: 'button', id: 'password-save', text: 'Change password',
      onclick: () => run('Password changed: your other devices are signed out.', async () => {
        await api.changePassword(current.value, next.value);
        current.value = '';
        next.value = '';
      }),
    }),
    el('h4', { text: 'Blocked users' }), blocked,
    el('h4', { text: 'Delete account' }),
    el('p', { class: 'desk-meta', text: 'Signs out everywhere and erases your profile; your messages stay, shown as "Deleted user". Enter your current password above.' }),
    el('button', {
      type: 'button', id: 'account-delete', class: 'danger', text: 'Delete my account',
      onclick: () => run('', async () => {
        if (!confirm('Delete your account for good?')) return;
        await api.deleteAccount(current.value);
        onDeleted();
      }),
    }),
    message);
  fillBlocked().catch((error) => showError(error, 'Could not list blocked users'));
  await formDialog({ title: 'My profile', body });
}
