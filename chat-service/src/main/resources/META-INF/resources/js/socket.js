// The WebSocket to chat-service: one-time ticket, reconnect with backoff, request/reply by id, and an outbox that
// resends unacknowledged messages with the same cid after a reconnect (the server deduplicates by cid).
//
// Events (CustomEvent, detail = the frame or info):
//   status   {state: 'connecting'|'online'|'reconnecting'|'offline', retryIn?, reason?}
//   open     the socket is up (again): time to fill gaps from history
//   frame    every server frame that is not a reply to a request (message, receipt, typing, desk.*)
//   ended    {code, reason}: close code 4001 (session replaced, logged out, kicked) or the ticket was refused

export class ServerError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const RETRYABLE = new Set(['CONFLICT', 'UNAVAILABLE', 'RATE_LIMITED']);
const REQUEST_TIMEOUT_MS = 15000;
const MAX_BACKOFF_MS = 30000;

export class ChatSocket extends EventTarget {
  constructor({ url, ticket, renew = async () => false }) {
    super();
    this.renew = renew; // async () => true when the session could be renewed after a 4001 (refresh token)
    this.url = url;
    this.ticket = ticket; // async () => ticket string
    this.ws = null;
    this.stopped = true;
    this.attempt = 0;
    this.counter = 0;
    this.pending = new Map(); // id -> {resolve, reject, timer}
    this.outbox = new Map(); // cid -> {frame, resolve, reject, inFlight}
    this.retryTimer = null;
    this.holdUntil = 0;
  }

  get online() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start() {
    this.stopped = false;
    this.#connect();
  }

  /** Closes for good (log out): nothing reconnects. */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000, 'bye');
    this.ws = null;
    this.#failPending('DISCONNECTED', 'signed out');
    for (const entry of this.outbox.values()) entry.reject(new ServerError('DISCONNECTED', 'signed out'));
    this.outbox.clear();
  }

  /** For trying the reconnect path by hand (browser console: chatApp.socket.simulateDrop(5000)) and for tests. */
  simulateDrop(holdMs = 0) {
    this.holdUntil = Date.now() + holdMs;
    if (this.ws) this.ws.close(4000, 'simulated network drop');
  }

  /** A frame that gets a reply (ack or error) with the same id. */
  request(frame, timeoutMs = REQUEST_TIMEOUT_MS) {
    if (!this.online) return Promise.reject(new ServerError('DISCONNECTED', 'not connected to the chat server; reconnecting…'));
    const id = `r${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ServerError('TIMEOUT', 'the chat server did not answer in time'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  /** A frame without a reply (typing). Dropped when offline. */
  fire(frame) {
    if (this.online) this.ws.send(JSON.stringify(frame));
  }

  /**
   * A `send` frame with its cid: resolved with the ack, sent again after reconnects (same cid, so never stored twice),
   * retried on CONFLICT / UNAVAILABLE / RATE_LIMITED, rejected on any other error.
   */
  sendMessage(frame) {
    return new Promise((resolve, reject) => {
      this.outbox.set(frame.cid, { frame, resolve, reject, inFlight: false, attempts: 0 });
      this.#flush();
    });
  }

  #flush() {
    if (!this.online) return;
    for (const [cid, entry] of this.outbox) {
      if (entry.inFlight) continue;
      entry.inFlight = true;
      entry.attempts++;
      this.request({ type: 'send', ...entry.frame }).then(
        (ack) => {
          this.outbox.delete(cid);
          entry.resolve(ack);
        },
        (error) => {
          entry.inFlight = false;
          if (!this.outbox.has(cid)) return;
          if (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT') return; // sent again on (re)connect
          if (RETRYABLE.has(error.code) && entry.attempts < 8) {
            setTimeout(() => this.#flush(), 500 * entry.attempts);
            return;
          }
          this.outbox.delete(cid);
          entry.reject(error);
        });
    }
  }

  async #connect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.#status('connecting');
    let ticket;
    try {
      ticket = await this.ticket();
    } catch (error) {
      if (error.status === 401) {
        this.#end(4001, error.message || 'session ended');
      } else {
        this.#retry(error.message);
      }
      return;
    }
    if (this.stopped) return;
    const ws = new WebSocket(`${this.url}?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.#status('online');
      this.dispatchEvent(new CustomEvent('open'));
      this.#flush();
    });
    ws.addEventListener('message', (event) => {
      if (this.ws === ws) this.#onFrame(event.data);
    });
    ws.addEventListener('close', (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.#onClose(event.code, event.reason);
    });
  }

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if ((frame.type === 'ack' || frame.type === 'error' || frame.type === 'pong') && frame.id != null && this.pending.has(frame.id)) {
      const { resolve, reject, timer } = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      clearTimeout(timer);
      if (frame.type === 'error') reject(new ServerError(frame.code, frame.message));
      else resolve(frame);
      return;
    }
    this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
  }

  #onClose(code, reason) {
    this.#failPending('DISCONNECTED', 'the connection was lost before the server answered');
    for (const entry of this.outbox.values()) entry.inFlight = false;
    if (this.stopped) return;
    if (code === 4001) {
      this.#renewOrEnd(code, reason);
      return;
    }
    const why = {
      1001: 'the server is restarting',
      1006: 'connection lost',
      1008: 'the connection fell behind',
      1009: 'a frame was too large',
      4003: 'forbidden',
      4008: 'too many frames',
    }[code] || reason || `closed (${code})`;
    this.#retry(why);
  }

  /** A 4001: the device session ended, or only Redis lost it; a refresh tells which (the outbox waits meanwhile). */
  async #renewOrEnd(code, reason) {
    let renewed;
    try {
      renewed = await this.renew();
    } catch (error) {
      this.#retry(error.message || 'session check failed'); // 503 or offline: try again later
      return;
    }
    if (this.stopped) return;
    if (renewed) this.#connect();
    else this.#end(code, reason);
  }

  #end(code, reason) {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.#failPending('DISCONNECTED', 'signed out');
    for (const entry of this.outbox.values()) entry.reject(new ServerError('DISCONNECTED', 'signed out'));
    this.outbox.clear();
    this.#status('offline', { reason });
    this.dispatchEvent(new CustomEvent('ended', { detail: { code, reason } }));
  }

  #retry(reason) {
    if (this.stopped) return;
    // exponential backoff with jitter: ~1 s, 2 s, 4 s ... 30 s
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt);
    let delay = Math.round(base / 2 + Math.random() * base / 2);
    delay = Math.max(delay, this.holdUntil - Date.now());
    this.attempt++;
    this.#status('reconnecting', { retryIn: delay, reason });
    this.retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #failPending(code, message) {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new ServerError(code, message));
    }
    this.pending.clear();
  }

  #status(state, extra = {}) {
    this.dispatchEvent(new CustomEvent('status', { detail: { state, ...extra } }));
  }
}
