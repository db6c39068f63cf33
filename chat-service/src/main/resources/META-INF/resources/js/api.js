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

/** Renew the access token this long before it expires (at most a fifth of its lifetime before). */
const REFRESH_AHEAD_MS = 60_000;

export class Api {
  constructor(config) {
    this.config = config;
    /** {accessToken, refreshToken, expiresAt, username?} of the signed-in device, or null. */
    this.session = null;
    /** Called once when an authenticated call answers 401 and the refresh token cannot renew it: the session ended. */
    this.onSessionEnded = null;
    /** Called with the session whenever it changes (login, refresh, end: null), to keep it across reloads. */
    this.onSessionChanged = null;
    /** Reads the stored session (another tab may have refreshed it meanwhile). */
    this.loadStoredSession = () => null;
    this.refreshing = null;
    this.refreshTimer = null;
  }

  get token() {
    return this.session?.accessToken ?? null;
  }

  /** Adopts a session (from a login, a refresh or storage) and plans its silent renewal before it expires. */
  useSession(session) {
    this.session = session;
    clearTimeout(this.refreshTimer);
    if (session?.refreshToken) {
      const left = Date.parse(session.expiresAt) - Date.now();
      const lifetime = Date.parse(session.expiresAt) - (session.issuedAt || Date.now());
      const ahead = Math.min(REFRESH_AHEAD_MS, Math.max(1000, lifetime / 5));
      this.refreshTimer = setTimeout(() => this.refresh().catch(() => {}), Math.max(1000, left - ahead));
    }
    this.onSessionChanged?.(session);
  }

  /** Forgets the session here (logout, ended). */
  dropSession() {
    clearTimeout(this.refreshTimer);
    this.session = null;
    this.onSessionChanged?.(null);
  }

  /**
   * Renews the access token with the refresh token (each use rotates it). True when renewed; false when the session
   * is over (the refresh token is unknown, used, expired, or the account disabled). A 503 or a network error throws
   * and keeps the session for the next try. Tabs of one browser share the session: the renewal runs under a Web Lock
   * and first looks whether another tab renewed it already, so no tab ever presents a rotated-away token (which the
   * server takes for theft and answers by ending the device's session).
   */
  refresh() {
    if (this.refreshing) return this.refreshing;
    const run = async () => {
      const stored = this.loadStoredSession();
      if (stored?.refreshToken && this.session && stored.refreshToken !== this.session.refreshToken
          && Date.parse(stored.expiresAt) - Date.now() > 5000) {
        this.useSession(stored); // another tab renewed it
        return true;
      }
      const refreshToken = this.session?.refreshToken;
      if (!refreshToken) return false;
      try {
        const renewed = await this.#once('auth', 'POST', '/auth/refresh', { refreshToken }, { anonymous: true });
        this.useSession({ ...this.session, accessToken: renewed.accessToken, refreshToken: renewed.refreshToken,
          expiresAt: renewed.expiresAt, issuedAt: Date.now() });
        return true;
      } catch (error) {
        if (error.status === 401 || error.status === 403) return false;
        throw error;
      }
    };
    this.refreshing = (navigator.locks ? navigator.locks.request('chat.refresh', run) : run())
      .finally(() => { this.refreshing = null; });
    return this.refreshing;
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

  updateProfile(changes) {
    return this.#call('auth', 'PUT', '/auth/me', changes);
  }

  changePassword(current, password) {
    return this.#call('auth', 'PUT', '/auth/me/password', { current, password });
  }

  deleteAccount(password) {
    return this.#call('auth', 'DELETE', '/auth/me', { password });
  }

  blocks() {
    return this.#call('auth', 'GET', '/auth/blocks');
  }

  block(uid) {
    return this.#call('auth', 'PUT', `/auth/blocks/${uid}`);
  }

  unblock(uid) {
    return this.#call('auth', 'DELETE', `/auth/blocks/${uid}`);
  }

  updateGroup(id, changes) {
    return this.#call('auth', 'PUT', `/groups/${id}`, changes);
  }

  setGroupRole(id, uid, role) {
    return this.#call('auth', 'PUT', `/groups/${id}/members/${uid}/role`, { role });
  }

  transferGroup(id, uid) {
    return this.#call('auth', 'POST', `/groups/${id}/owner`, { uid });
  }

  dissolveGroup(id) {
    return this.#call('auth', 'DELETE', `/groups/${id}`);
  }

  addGroupMembers(id, members) {
    return this.#call('auth', 'POST', `/groups/${id}/members`, { members });
  }

  removeGroupMember(id, uid) {
    return this.#call('auth', 'DELETE', `/groups/${id}/members/${uid}`);
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

  /**
   * Uploads a file to history-service's POST /media (streamed by the browser; XMLHttpRequest because fetch reports no
   * upload progress). onProgress(fraction 0..1). → {id, mime, size, name, sha256, width?, height?, url, thumbnail?}.
   * A 401 renews the access token once and uploads again.
   */
  async uploadMedia(file, onProgress, renewed = false) {
    try {
      return await new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        const query = file.name ? `?name=${encodeURIComponent(file.name.slice(0, 255))}` : '';
        xhr.open('POST', `${this.config.historyUrl}/media${query}`);
        xhr.setRequestHeader('Authorization', `Bearer ${this.token}`);
        xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
        xhr.upload.onprogress = (event) => {
          if (event.lengthComputable) onProgress?.(event.loaded / event.total);
        };
        xhr.onload = () => {
          let data = null;
          try {
            data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
          } catch {
            data = null;
          }
          if (xhr.status === 201) {
            onProgress?.(1);
            resolve(data);
          } else {
            reject(new ApiError(xhr.status, data?.error || `HTTP_${xhr.status}`,
              data?.message || `history-service answered HTTP ${xhr.status}`, xhr.getResponseHeader('Retry-After')));
          }
        };
        xhr.onerror = () => reject(new ApiError(0, 'NETWORK', `cannot reach history-service at ${this.config.historyUrl}`));
        xhr.send(file);
      });
    } catch (error) {
      if (error.status === 401 && !renewed && this.session && await this.refresh()) {
        return this.uploadMedia(file, onProgress, true);
      }
      throw error;
    }
  }

  /** An upload's URL (relative to history-service, signed) as the page can load it. */
  mediaUrl(path) {
    if (!path) return null;
    return path.startsWith('/') ? this.config.historyUrl + path : path;
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
    // A 401 of a signed-in call first renews the access token (expired, or its device session lost with Redis) and
    // repeats the call once; only when that fails is the session over.
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(service, method, path, body, options);
      } catch (error) {
        if (error.status === 401 && !options.anonymous && this.session) {
          // a refresh answered 503 or unreachable throws here: the session stays for the next try
          if (!renewed && await this.refresh()) {
            renewed = true;
            attempt--;
            continue;
          }
          if (this.session && this.onSessionEnded) this.onSessionEnded(error);
          throw error;
        }
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
      // only a 401 means the session ended (after a failed renewal, see #call); a 503 never signs anyone out
      throw error;
    }
    return data;
  }
}
