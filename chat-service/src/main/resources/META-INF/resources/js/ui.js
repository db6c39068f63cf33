// DOM helpers, notices (errors in words), dialogs, formatting. No framework: a few small functions.

export const $ = (id) => document.getElementById(id);

/** el('li', {class: 'x', dataset: {seq: 3}, onclick: fn}, 'text', child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// ---- notices -------------------------------------------------------------------------------------------------------

/** Shows a message to the person; errors stay until dismissed (or 15 s), infos go after 5 s. */
export function notify(text, kind = 'info') {
  const box = $('notices');
  const notice = el('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    el('span', { class: 'notice-text', text }),
    el('button', { type: 'button', class: 'notice-close', 'aria-label': 'Dismiss', onclick: () => notice.remove(), text: '×' }));
  box.append(notice);
  while (box.children.length > 4) box.firstElementChild.remove();
  setTimeout(() => notice.remove(), kind === 'error' ? 15000 : 5000);
  return notice;
}

const WS_ERROR_WORDS = {
  BAD_JSON: 'The server could not read that',
  BAD_FRAME: 'The server could not read that',
  UNKNOWN_TYPE: 'The server does not know that request',
  INVALID_FIELD: 'Not accepted',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'Slow down',
  TOO_LARGE: 'Too large',
  CONFLICT: 'Conflict',
  UNAVAILABLE: 'The server is having trouble',
  INTERNAL: 'Server error',
  TIMEOUT: 'No answer',
  DISCONNECTED: 'Not connected',
  NETWORK: 'Network problem',
};

/** An error from the REST APIs or the socket, in words: "Not allowed: you are not a member of g.7". */
export function describeError(error) {
  if (!error) return 'Something went wrong';
  const code = error.code;
  const message = error.message || String(error);
  if (code === 'RATE_LIMITED' && error.retryAfter) return `Too many attempts: try again in ${error.retryAfter} s`;
  const words = WS_ERROR_WORDS[code];
  return words && !message.toLowerCase().startsWith(words.toLowerCase()) ? `${words}: ${message}` : message;
}

export function showError(error, prefix) {
  console.warn(prefix || 'error', error);
  return notify(prefix ? `${prefix}: ${describeError(error)}` : describeError(error), 'error');
}

// ---- dialog --------------------------------------------------------------------------------------------------------

/**
 * A small modal form. fields: [{name, label, placeholder, value, type, options: [[value, label]], required}].
 * submit(values) may throw: its error is shown inside the dialog and the dialog stays open.
 * Resolves with submit's result, or null when cancelled.
 */
export function formDialog({ title, fields = [], okLabel = 'OK', body, submit }) {
  const dialog = $('dialog');
  const form = $('dialog-form');
  const errorBox = $('dialog-error');
  $('dialog-title').textContent = title;
  $('dialog-ok').textContent = okLabel;
  $('dialog-ok').hidden = !submit;
  $('dialog-cancel').textContent = submit ? 'Cancel' : 'Close';
  errorBox.hidden = true;
  const container = $('dialog-body');
  container.replaceChildren();
  if (body) container.append(body);
  const inputs = {};
  for (const field of fields) {
    let input;
    if (field.options) {
      input = el('select', { name: field.name, id: `dialog-${field.name}` },
        field.options.map(([value, label]) => el('option', { value, text: label, selected: value === field.value })));
    } else {
      input = el('input', {
        name: field.name, id: `dialog-${field.name}`, type: field.type || 'text', placeholder: field.placeholder,
        value: field.value, required: field.required, autocomplete: 'off', spellcheck: 'false',
      });
    }
    inputs[field.name] = input;
    container.append(el('label', {}, field.label, input), field.hint ? el('p', { class: 'hint', text: field.hint }) : null);
  }
  return new Promise((resolve) => {
    let busy = false;
    const finish = (result) => {
      form.removeEventListener('submit', onSubmit);
      $('dialog-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      resolve(result);
    };
    const onCancel = (event) => { event.preventDefault(); if (!busy) finish(null); };
    const onSubmit = async (event) => {
      event.preventDefault();
      if (busy || !submit) return;
      const values = {};
      for (const [name, input] of Object.entries(inputs)) values[name] = input.value.trim();
      const missing = fields.find((f) => f.required && !values[f.name]);
      if (missing) {
        errorBox.textContent = `${missing.label} is required`;
        errorBox.hidden = false;
        return;
      }
      busy = true;
      $('dialog-ok').disabled = true;
      try {
        finish(await submit(values));
      } catch (error) {
        errorBox.textContent = describeError(error);
        errorBox.hidden = false;
      } finally {
        busy = false;
        $('dialog-ok').disabled = false;
      }
    };
    form.addEventListener('submit', onSubmit);
    $('dialog-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    const first = Object.values(inputs)[0];
    if (first) first.focus();
  });
}

export function closeDialog() {
  const dialog = $('dialog');
  if (dialog.open) $('dialog-cancel').click();
}

// ---- formatting ----------------------------------------------------------------------------------------------------

export function formatTime(ts) {
  if (!ts) return '';
  const date = new Date(ts);
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

export function formatDateTime(ts) {
  return ts ? new Date(ts).toLocaleString() : '';
}

/** Only http(s) URLs become links or images (never javascript: and the like). */
export function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function badge(count) {
  return count > 0 ? el('span', { class: 'badge', text: count > 99 ? '99+' : String(count) }) : null;
}
