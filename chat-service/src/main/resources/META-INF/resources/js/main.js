// Wires the page together: config → login (or the saved session of this tab) → socket + store + views.
// window.chatApp exposes the running pieces for the browser console (e.g. chatApp.socket.simulateDrop(5000)).
import { Api, loadConfig } from './api.js';
import { ChatSocket } from './socket.js';
import { Store } from './store.js';
import { ConversationList } from './conversations.js';
import { SearchPanel } from './search.js';
import { ChatView } from './chat.js';
import { Desk } from './desk.js';
import { GroupTools } from './groups.js';
import { LoginView, saveSession, savedSession, showDevices, showProfile } from './account.js';
import { $, closeDialog, describeError, notify, showError } from './ui.js';

const SESSION_END_WORDS = {
  'session replaced': 'this account logged in again on this device',
  'session kicked': 'this device was signed out from another device',
  'session logout': 'this session was logged out',
};

class App {
  constructor(config) {
    this.config = config;
    this.api = new Api(config);
    this.session = null; // {socket, store, list, chat, desk}
    this.login = new LoginView({ api: this.api, onLoggedIn: (session) => this.start(session) });
    this.api.onSessionEnded = () => this.end('Your session has ended (signed in elsewhere, signed out or expired). Please log in again.');
    this.api.onSessionChanged = (session) => saveSession(session && { ...session, username: this.session?.me?.username });
    this.api.loadStoredSession = savedSession;
    $('logout-button').addEventListener('click', () => this.logout());
    $('devices-button').addEventListener('click', () => showDevices(this.api));
    $('profile-button').addEventListener('click', () => this.profile());
    for (const tab of $('tabs').querySelectorAll('button')) {
      tab.addEventListener('click', () => this.showTab(tab.dataset.tab));
    }
  }

  async boot() {
    $('boot').hidden = true;
    const saved = savedSession();
    if (saved) {
      try {
        await this.start(saved); // an expired access token is renewed with the refresh token on the first 401
        return;
      } catch (error) {
        if (error.status === 401) this.api.dropSession(); // a 503 or a network error keeps the session for the next try
        this.login.show(error.status === 401 ? 'Your session has ended. Please log in again.' : describeError(error));
        return;
      }
    }
    this.login.show('');
  }

  /** Logged in: profile, socket, conversations. */
  async start(session) {
    this.api.useSession(session);
    const me = await this.api.me();
    this.stopSession();

    const lifetime = new AbortController(); // ends the views' DOM listeners with the session
    const signal = lifetime.signal;
    const socket = new ChatSocket({
      url: this.config.wsUrl,
      ticket: async () => (await this.api.wsTicket()).ticket,
      // a 4001 may only mean that Redis lost the device session: a refresh re-creates it, else the session is over
      renew: () => this.api.refresh(),
    });
    const store = new Store(this.api, { id: me.id, username: me.username, role: me.role });
    const chat = new ChatView({
      store, socket,
      onShown: (id) => this.shown(id),
      decorate: (conv) => groupTools?.decorate(conv) || desk.decorate(conv),
      signal,
    });
    const list = new ConversationList({ store, api: this.api, onOpen: (id) => this.openConversation(id), signal });
    const desk = new Desk({ store, socket, api: this.api, chat, openConversation: (id) => this.openConversation(id), signal });
    const search = new SearchPanel({ store, api: this.api, onOpen: (id, seq) => chat.openAt(id, seq), signal });
    const groupTools = new GroupTools({ api: this.api, store, chat });
    this.session = { socket, store, list, chat, desk, search, me, lifetime, groupTools };
    this.api.onSessionChanged(this.api.session);
    window.chatApp = { ...this.session, api: this.api, config: this.config };

    $('me-name').textContent = me.displayName && me.displayName !== me.username ? `${me.displayName} (@${me.username})` : me.username;
    $('me-role').hidden = me.role === 'USER';
    $('me-role').textContent = me.role.toLowerCase();
    $('desk-tab').hidden = !desk.isAgent;
    $('contact-support').hidden = desk.isAgent;
    this.showTab(desk.isAgent ? 'desk' : 'chats');
    chat.close();
    $('login-view').hidden = true;
    $('app-view').hidden = false;

    store.addEventListener('error', (event) => showError(event.detail.error, event.detail.what));
    socket.addEventListener('status', (event) => this.status(event.detail));
    socket.addEventListener('frame', (event) => this.onFrame(event.detail));
    socket.addEventListener('open', () => this.resync(store));
    socket.addEventListener('ended', (event) => {
      const words = SESSION_END_WORDS[event.detail.reason] || event.detail.reason || 'session ended';
      this.end(`Signed in elsewhere: ${words}. Log in to continue.`);
    });

    try {
      await Promise.all([store.loadGroups(), store.refreshConversations(), desk.load()]);
    } catch (error) {
      if (error.status === 401) throw error;
      showError(error, 'Could not load your conversations');
    }
    socket.start();
  }

  /** After every (re)connect: the list and every opened conversation catch up from history. */
  async resync(store) {
    if (!store || this.session?.store !== store) return;
    try {
      await store.refreshConversations();
    } catch (error) {
      if (error.status !== 401) showError(error, 'Could not refresh your conversations');
    }
  }

  onFrame(frame) {
    const { store, desk } = this.session;
    switch (frame.type) {
      case 'message':
        store.onMessage(frame);
        this.session.groupTools.onMessage(frame);
        break;
      case 'receipt':
        store.onReceipt(frame);
        break;
      case 'update':
        store.onUpdate(frame);
        break;
      case 'typing':
        store.onTyping(frame);
        break;
      case 'error':
        showError({ code: frame.code, message: frame.message }, 'Chat server');
        break;
      default:
        if (frame.type?.startsWith('desk.')) desk.onFrame(frame);
    }
  }

  openConversation(id) {
    if (!this.session) return;
    this.session.chat.open(id);
  }

  shown(id) {
    this.session.list.setCurrent(id);
    $('app-view').classList.toggle('chat-open', id != null); // phone layout: one pane at a time
  }

  showTab(name) {
    for (const tab of $('tabs').querySelectorAll('button')) tab.classList.toggle('active', tab.dataset.tab === name);
    $('chats-panel').hidden = name !== 'chats';
    $('desk-panel').hidden = name !== 'desk';
  }

  status({ state, retryIn, reason }) {
    const box = $('conn-status');
    box.dataset.state = state;
    box.textContent = {
      connecting: 'connecting…',
      online: 'online',
      reconnecting: `offline (${reason || 'connection lost'}), retrying in ${Math.ceil((retryIn || 0) / 1000)} s`,
      offline: 'offline',
    }[state];
  }

  stopSession() {
    if (!this.session) return;
    this.session.socket.stop();
    this.session.lifetime.abort();
    this.session = null;
  }

  /** The session is over (4001, or a 401 from a REST call): back to the login page, saying why. */
  end(message) {
    if (!this.session && !$('login-view').hidden) return;
    this.stopSession();
    this.api.dropSession();
    closeDialog();
    this.login.show(message);
  }

  async profile() {
    if (!this.session) return;
    await showProfile(this.api, this.session.me, {
      onChanged: (me) => {
        this.session.me = { ...this.session.me, ...me };
        $('me-name').textContent = me.displayName && me.displayName !== me.username ? `${me.displayName} (@${me.username})` : me.username;
      },
      onDeleted: () => this.end('Your account has been deleted.'),
    });
  }

  async logout() {
    const session = this.session;
    if (!session) return;
    this.stopSession();
    try {
      await this.api.logout();
    } catch (error) {
      if (error.status !== 401) notify(`Logged out here; the server said: ${describeError(error)}`, 'error');
    }
    this.api.dropSession();
    this.login.show('You are logged out.', 'info');
  }
}

async function main() {
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    $('boot').textContent = `The page cannot start: ${describeError(error)}`;
    return;
  }
  const app = new App(config);
  window.chatPage = app;
  await app.boot();
}

main();
