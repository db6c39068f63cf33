// Log in / register, the session of this tab, log out, my devices (list, kick one).
// The device id lives in localStorage (one per browser, like a phone's); the access token only in sessionStorage
// (this tab), so a second window can log in as somebody else.
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
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
  } catch {
    return null;
  }
}

export function saveSession(session) {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

/** The login view; calls onLoggedIn(token) after a successful login (or register + login). */
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
      await this.onLoggedIn(login.accessToken);
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
