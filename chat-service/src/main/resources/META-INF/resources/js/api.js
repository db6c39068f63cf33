// REST calls to auth-service and history-service (base URLs from chat-service's /config.json).
// Every error becomes an ApiError carrying the server's {error, message} so the page can show it in words.

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export async function loadConfig() {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, 'CONFIG', `cannot load config.json (HTTP ${response.status})`);
  const config = await response.json();
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    authUrl: config.authUrl,
    historyUrl: config.historyUrl,
    wsUrl: config.wsUrl || `${scheme}//${location.host}/ws`,
  };
}

/** Repeats of an idempotent GET answered 503 or 429 with Retry-After. */
const RETRIES = 3;

export class Api {
  constructor(config) {
    this.config = config;
    this.token = null;
    /** Called once when an authenticated call answers 401: the session ended (replaced, kicked, expired). */
    this.onSessionEnded = null;
  }

  // ---- auth-service ----
  register(username, password) {
    return this.#call('auth', 'POST', '/auth/register', { username, password });
  }

  login(username, password, deviceId) {
    return this.#call('auth', 'POST', '/auth/login', { username, password, deviceId }, { anonymous: true });
  }

  logout() {
    return this.#call('auth', 'POST', '/auth/logout');
  }

  me() {
    return this.#call('auth', 'GET', '/auth/me');
  }

  sessions() {
    return this.#call('auth', 'GET', '/auth/sessions');
  }

  kick(deviceId) {
    return this.#call('auth', 'DELETE', `/auth/sessions/${encodeURIComponent(deviceId)}`);
  }

  wsTicket() {
    return this.#call('auth', 'POST', '/auth/ws-ticket', {});
  }

  userByName(username) {
    return this.#call('auth', 'GET', `/auth/users?username=${encodeURIComponent(username)}`);
  }

  user(id) {
    return this.#call('auth', 'GET', `/auth/users/${id}`);
  }

  groups() {
    return this.#call('auth', 'GET', '/groups');
  }

  group(id) {
    return this.#call('auth', 'GET', `/groups/${id}`);
  }

  createGroup(name, members) {
    return this.#call('auth', 'POST', '/groups', { name, members });
  }

  // ---- history-service ----
  conversations(cursor) {
    const query = new URLSearchParams({ limit: '50' });
    if (cursor) query.set('cursor', cursor);
    return this.#call('history', 'GET', `/history/conversations?${query}`);
  }

  /** {before} or {after} (a seq) or neither (the newest page); items ascending by seq. */
  messages(conv, { before, after, limit = 30 } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (before != null) query.set('before', String(before));
    if (after != null) query.set('after', String(after));
    return this.#call('history', 'GET', `/history/conversations/${encodeURIComponent(conv)}/messages?${query}`);
  }

  consultations(state) {
    const query = new URLSearchParams({ limit: '100' });
    if (state) query.set('state', state);
    return this.#call('history', 'GET', `/history/consultations?${query}`);
  }

  /** Messages of my conversations matching q, newest first: {items: [{conv, seq, msgId, from, ts, body, highlights}], nextCursor?}. */
  search(q, { conv, cursor, limit } = {}) {
    const query = new URLSearchParams({ q });
    if (conv) query.set('conv', conv);
    if (cursor) query.set('cursor', cursor);
    if (limit) query.set('limit', String(limit));
    return this.#call('history', 'GET', `/history/search?${query}`);
  }

  // ---- desk (history-service): canned replies (team-wide) and stats, for agents ----
  deskReplies() {
    return this.#call('history', 'GET', '/desk/replies');
  }

  createDeskReply(shortcut, text) {
    return this.#call('history', 'POST', '/desk/replies', { shortcut, text });
  }

  deleteDeskReply(id) {
    return this.#call('history', 'DELETE', `/desk/replies/${encodeURIComponent(id)}`);
  }

  deskStats(from, to) {
    return this.#call('history', 'GET', `/history/desk/stats?${new URLSearchParams({ from: String(from), to: String(to) })}`);
  }

  async #call(service, method, path, body, options = {}) {
    // A busy server (503, 429) says when to come back: idempotent GETs are repeated after Retry-After seconds, or
    // 2^attempt s when that is longer, times a random 1-2 (so clients do not return in step and the retries of a
    // storm thin out, as the bench's reconnect storm showed), at most RETRIES times; anything else reaches the caller.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(service, method, path, body, options);
      } catch (error) {
        const wait = Number(error.retryAfter);
        if (method !== 'GET' || attempt >= RETRIES || (error.status !== 503 && error.status !== 429)
            || !(wait >= 0)) throw error;
        const seconds = Math.min(Math.max(wait, 2 ** attempt), 30) * (1 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    }
  }

  async #once(service, method, path, body, { anonymous = false } = {}) {
    const base = service === 'auth' ? this.config.authUrl : this.config.historyUrl;
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token && !anonymous) headers.Authorization = `Bearer ${this.token}`;
    let response;
    try {
      response = await fetch(base + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
      });
    } catch (error) {
      // fetch gives no detail on purpose: a server that is down and a CORS refusal look the same
      throw new ApiError(0, 'NETWORK',
        `cannot reach ${service}-service at ${base} (is it running, and does its CORS_ORIGINS include ${location.origin}?)`);
    }
    if (response.status === 204) return null;
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      const error = new ApiError(response.status, data?.error || `HTTP_${response.status}`,
        data?.message || `${service}-service answered HTTP ${response.status}`, response.headers.get('Retry-After'));
      // only a 401 means the session ended; a 503 (busy, store down) never signs anyone out
      if (response.status === 401 && this.token && !anonymous && this.onSessionEnded) this.onSessionEnded(error);
      throw error;
    }
    return data;
  }
}
