// Part of the demo page (demo.js): the DOM — elements, the chat list, thread buttons, the badge.

/** The page's elements by their data-testid. */
export function findUi(document) {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  return {
    badge: $('badge'),
    lastSeq: $('last-seq'),
    seqChip: $('seq-chip'),
    drop: $('drop'),
    user: $('user'),
    logout: $('logout'),
    login: $('login'),
    loginForm: $('login-form'),
    loginUser: $('login-user'),
    loginSubmit: $('login-submit'),
    loginError: $('login-error'),
    tokenInput: $('token-input'),
    tokenSubmit: $('token-submit'),
    app: $('app'),
    threadList: $('thread-list'),
    newThreadForm: $('new-thread-form'),
    newThreadInput: $('new-thread-input'),
    title: $('thread-title'),
    messages: $('messages'),
    typing: $('typing'),
    composer: $('composer'),
    input: $('message-input'),
    stop: $('stop'),
    send: $('send'),
    error: $('error'),
  };
}

/** Keyed reconciliation: one element per item key, updated in place, moved only when out of order. */
export function renderItems(list, items, document) {
  const existing = new Map([...list.children].map((el) => [el.dataset.key, el]));
  let next = list.firstElementChild;
  for (const item of items) {
    let el = existing.get(item.key);
    existing.delete(item.key);
    if (!el) el = createItem(document, item.key);
    updateItem(el, item);
    if (el === next) next = next.nextElementSibling;
    else list.insertBefore(el, next);
  }
  for (const stale of existing.values()) stale.remove();
}

function createItem(document, key) {
  const li = document.createElement('li');
  li.dataset.key = key;
  li.dataset.testid = 'message';
  li.innerHTML = '<div class="quote" hidden></div><div class="bubble"><span class="text" data-testid="message-text"></span></div><div class="meta"></div>';
  return li;
}

function updateItem(el, item) {
  const streaming = item.role === 'assistant' && !item.done;
  el.className = `msg ${item.role}${streaming ? ' streaming' : ''}${item.cancelled ? ' cancelled' : ''}`;
  el.dataset.seq = String(item.seq);
  el.dataset.kind = item.kind;
  el.dataset.role = item.role;
  if (item.id) el.dataset.id = item.id;
  if (item.replyTo) el.dataset.replyTo = item.replyTo;
  setText(el.querySelector('.text'), item.text);
  const quote = el.querySelector('.quote');
  quote.hidden = !item.quote;
  setText(quote, item.quote ? `↳ ${truncate(item.quote, 60)}` : '');
  const label = item.role === 'user' ? 'you' : item.role === 'error' ? 'error' : 'assistant';
  setText(el.querySelector('.meta'), `${label} · #${item.seq}${item.cancelled ? ' · stopped' : ''}${streaming ? ' · streaming' : ''}`);
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The badge text for a connection state: connected / reconnecting in Ns / offline / closed with reason. */
export function badgeText(state, detail, now, online) {
  switch (state) {
    case 'open':
      return online ? 'connected' : 'offline'; // the socket may look open, but nothing gets through
    case 'connecting':
      return online ? 'connecting…' : 'offline';
    case 'reconnecting': {
      if (!online) return 'offline';
      const seconds = Math.max(0, Math.ceil(((detail?.retryAt ?? now) - now) / 1000));
      return seconds > 0 ? `reconnecting in ${seconds}s` : 'reconnecting…';
    }
    case 'closed': {
      if (!detail || detail.code === undefined) return 'signed out';
      const why = detail.reason ? `: ${detail.reason}` : '';
      return detail.code === 1000 ? `closed${why}` : `closed (${detail.code})${why}`;
    }
    default:
      return state;
  }
}

/** The thread buttons of the side bar; `onPick(thread)` on a click. */
export function renderThreadList(document, list, threads, active, onPick) {
  list.replaceChildren(
    ...threads.map((thread) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.testid = 'thread-item';
      button.dataset.thread = thread;
      button.textContent = thread;
      if (thread === active) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => onPick(thread));
      li.append(button);
      return li;
    }),
  );
}
