// Message search over the conversation list: results of GET /history/search, newest first, with the matched words
// marked; a click opens the conversation at that message.
import { $, el, formatTime, showError } from './ui.js';

const DEBOUNCE_MS = 300;

export class SearchPanel {
  constructor({ store, api, onOpen, signal }) {
    this.store = store;
    this.api = api;
    this.onOpen = onOpen; // (conv, seq) -> void
    this.query = '';
    this.cursor = null;
    this.generation = 0; // answers to an older query are dropped
    this.timer = null;
    const on = (target, type, handler) => target.addEventListener(type, handler, { signal });
    on($('search-form'), 'submit', (event) => {
      event.preventDefault();
      this.#run($('search-input').value);
    });
    on($('search-input'), 'input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.#run($('search-input').value), DEBOUNCE_MS);
    });
    on($('search-input'), 'keydown', (event) => {
      if (event.key === 'Escape') this.clear();
    });
    on($('search-more'), 'click', () => this.#more());
    this.clear();
  }

  clear() {
    clearTimeout(this.timer);
    this.generation++;
    this.query = '';
    $('search-input').value = '';
    this.#showList(true);
  }

  #showList(visible) {
    $('search-panel').hidden = visible;
    for (const id of ['conv-list', 'conv-more', 'conv-empty']) $(id).classList.toggle('searching', !visible);
  }

  async #run(raw) {
    const query = raw.trim();
    if (query === this.query) return;
    this.query = query;
    const generation = ++this.generation;
    if (!query) {
      this.#showList(true);
      return;
    }
    this.#showList(false);
    $('search-results').replaceChildren();
    $('search-more').hidden = true;
    $('search-status').textContent = 'Searching…';
    await this.#fetch(generation, null);
  }

  async #more() {
    if (this.cursor) await this.#fetch(this.generation, this.cursor);
  }

  async #fetch(generation, cursor) {
    let page;
    try {
      page = await this.api.search(this.query, { cursor });
    } catch (error) {
      if (generation !== this.generation) return;
      if (error.status === 400) {
        $('search-status').textContent = error.message || 'Type a longer word';
        return;
      }
      $('search-status').textContent = '';
      showError(error, 'Search failed');
      return;
    }
    if (generation !== this.generation) return;
    this.cursor = page.nextCursor || null;
    $('search-results').append(...page.items.map((hit) => this.#item(hit)));
    const count = $('search-results').children.length;
    $('search-status').textContent = count ? '' : 'No messages found.';
    $('search-more').hidden = !this.cursor;
  }

  #item(hit) {
    const conv = this.store.get(hit.conv);
    const sender = hit.from === this.store.me.id ? 'You' : this.store.userName(hit.from);
    return el('li', {
      class: 'search-hit',
      dataset: { conv: hit.conv, seq: hit.seq },
      tabindex: '0',
      onclick: () => this.onOpen(hit.conv, hit.seq),
      onkeydown: (event) => { if (event.key === 'Enter') this.onOpen(hit.conv, hit.seq); },
    },
    el('span', { class: 'conv-top' },
      el('span', { class: 'conv-title', text: this.store.title(conv) }),
      el('span', { class: 'conv-time', text: formatTime(hit.ts) })),
    el('span', { class: 'search-body' }, el('span', { class: 'search-sender', text: `${sender}: ` }),
      ...highlighted(hit.body, hit.highlights)));
  }
}

/** The body as text nodes with <mark> around each [start, end) range (never HTML from the message). */
function highlighted(body, ranges) {
  const nodes = [];
  let at = 0;
  for (const [start, end] of ranges || []) {
    if (start > at) nodes.push(document.createTextNode(body.slice(at, start)));
    nodes.push(el('mark', { text: body.slice(start, end) }));
    at = end;
  }
  if (at < body.length) nodes.push(document.createTextNode(body.slice(at)));
  return nodes;
}
