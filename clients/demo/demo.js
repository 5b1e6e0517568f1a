// Demo chat page for the relay: sign in with a dev token, threads, streamed replies, connection badge.
// Every frame is kept once per thread, keyed by seq, and the list is rendered in seq order.
// No framework; the SDK comes from the gateway at /relay-client.js.

const DEV_TOKEN_PATH = '/dev/token';
const TOKEN_REFRESH_MARGIN_MS = 30_000; // ask for a new dev token when the current one expires within this
const BADGE_TICK_MS = 250; // how often "reconnecting in Ns" is recomputed
const TOAST_MS = 5000; // how long an error toast stays
const DEFAULT_THREAD = 'general';
const THREAD_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SESSION_KEY = 'relay-demo.session';
const threadsKey = (sub) => `relay-demo.threads|${sub}`;
const activeKey = (sub) => `relay-demo.active|${sub}`;

/** POST /dev/token answered 404: the server runs without dev tokens. */
class DevTokensOff extends Error {}

/** One thread's frames (Map by seq) and the chat items derived from them. */
export class ThreadModel {
  constructor(thread) {
    this.thread = thread;
    this.bySeq = new Map();
    this.epoch = null;
  }

  /** Add frames of `epoch`; frames already known or of another epoch are ignored. True when something changed. */
  add(frames, epoch) {
    if (this.epoch !== null && epoch !== this.epoch) return false;
    this.epoch = epoch;
    let changed = false;
    for (const frame of frames) {
      if (!this.bySeq.has(frame.seq)) {
        this.bySeq.set(frame.seq, frame);
        changed = true;
      }
    }
    return changed;
  }

  /** A reset: the reloaded list replaces everything. */
  replace(frames, epoch) {
    this.bySeq.clear();
    this.epoch = null;
    this.add(frames, epoch);
  }

  /**
   * Chat items in seq order: one per user message, one per assistant reply (chunks after its last
   * restart concatenated, replaced by the final message), placed at the seq of the reply's latest frame.
   * Also: whether the assistant is typing, and the send ids whose reply is not finished.
   */
  view() {
    const frames = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    const users = new Map();
    const replies = new Map();
    const typing = new Set();
    for (const frame of frames) {
      const data = frame.data ?? {};
      if (frame.kind === 'user_message') {
        users.set(frame.id, { key: `u:${frame.seq}`, role: 'user', seq: frame.seq, kind: frame.kind, id: frame.id, text: data.text ?? '' });
        continue;
      }
      const replyTo = frame.replyTo ?? '';
      if (frame.kind === 'typing') {
        if (data.on) typing.add(replyTo);
        else typing.delete(replyTo);
        continue;
      }
      let reply = replies.get(replyTo);
      if (!reply) replies.set(replyTo, (reply = { key: `r:${replyTo}`, role: 'assistant', replyTo, text: '', done: false }));
      reply.seq = frame.seq;
      reply.kind = frame.kind;
      if (frame.kind === 'chunk') reply.text += data.text ?? '';
      else if (frame.kind === 'restart') reply.text = ''; // the reply starts over: never two wordings glued (the SDK's foldReplyFrame)
      else if (frame.kind === 'message') {
        reply.text = data.text ?? '';
        reply.done = true;
        reply.cancelled = data.cancelled === true;
      } else if (frame.kind === 'error') {
        reply.text = data.message || data.code || 'the assistant failed';
        reply.role = 'error';
        reply.done = true;
      }
    }
    const items = [...users.values(), ...replies.values()].sort((a, b) => a.seq - b.seq);
    let previous = null;
    for (const item of items) {
      // Quote the question when something else was said in between.
      if (item.replyTo && previous?.id !== item.replyTo) item.quote = users.get(item.replyTo)?.text ?? null;
      previous = item;
    }
    const unfinished = [...users.values()].filter((u) => !replies.get(u.id)?.done).map((u) => u.id);
    return { items, typing: typing.size > 0, unfinished };
  }
}

/** Keyed reconciliation: one element per item key, updated in place, moved only when out of order. */
function renderItems(list, items, document) {
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

/**
 * Wire the page. Everything from the environment can be injected (tests run it in jsdom):
 * `createClient(options)` builds the RelayClient, `fetch` serves /dev/token.
 */
export function mountDemo({ document, window = document.defaultView, createClient, fetch = window.fetch.bind(window), now = () => Date.now() }) {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  const ui = {
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
  const sessionStore = window.sessionStorage;
  const localStore = window.localStorage;

  let session = null; // {sub, token, exp, mode: 'dev' | 'token'}
  let client = null;
  let models = new Map(); // thread -> ThreadModel
  let threads = [];
  let active = null;
  let connection = { state: 'closed', detail: undefined };
  let renderQueued = false;
  let badgeTimer = null;
  let toastTimer = null;
  const stopClientListeners = [];

  // ---- session and tokens ----

  async function requestDevToken(sub) {
    const response = await fetch(new URL(DEV_TOKEN_PATH, window.location.href).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub }),
    });
    if (response.status === 404) throw new DevTokensOff('This server has dev tokens turned off (POST /dev/token answered 404). Sign in with a JWT instead.');
    const body = await response.json().catch(() => null);
    if (!response.ok || !body?.token) throw new Error(body?.message ?? `POST /dev/token answered HTTP ${response.status}`);
    return { sub: body.sub ?? sub, token: body.token, exp: body.exp ?? null, mode: 'dev' };
  }

  /** RelayClient's getToken: a fresh dev token after 4401, on token_expiring, or when close to expiry. */
  async function getToken({ reason }) {
    if (!session) throw new Error('signed out');
    const nearExpiry = session.exp !== null && session.exp * 1000 - now() < TOKEN_REFRESH_MARGIN_MS;
    if (session.mode === 'dev' && (reason === 'unauthorized' || reason === 'expiring' || nearExpiry)) {
      session = await requestDevToken(session.sub);
      sessionStore.setItem(SESSION_KEY, JSON.stringify(session));
    }
    return session.token;
  }

  function subOfJwt(token) {
    try {
      const payload = JSON.parse(window.atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return { sub: String(payload.sub ?? 'unknown'), exp: typeof payload.exp === 'number' ? payload.exp : null };
    } catch {
      return null;
    }
  }

  async function signInWithName(event) {
    event.preventDefault();
    const sub = ui.loginUser.value.trim();
    if (!sub) return;
    showLoginError('');
    ui.loginForm.classList.add('busy');
    try {
      start(await requestDevToken(sub));
    } catch (err) {
      showLoginError(err instanceof DevTokensOff ? err.message : `Sign-in failed: ${err.message}`);
    } finally {
      ui.loginForm.classList.remove('busy');
    }
  }

  function signInWithToken() {
    const token = ui.tokenInput.value.trim();
    const claims = token ? subOfJwt(token) : null;
    if (!claims) {
      showLoginError('That does not look like a JWT.');
      return;
    }
    showLoginError('');
    start({ ...claims, token, mode: 'token' });
  }

  function showLoginError(message) {
    ui.loginError.textContent = message;
    ui.loginError.hidden = !message;
  }

  // ---- client lifecycle ----

  function start(newSession) {
    session = newSession;
    sessionStore.setItem(SESSION_KEY, JSON.stringify(session));
    threads = loadThreads(session.sub);
    active = sessionStore.getItem(activeKey(session.sub));
    if (!threads.includes(active)) active = threads[0];
    models = new Map();
    // One client per signed-in user, created here and never by rendering.
    client = createClient({ getToken, cursorScope: session.sub });
    stopClientListeners.push(
      client.on('state', onState),
      client.on('frame', onFrame),
      client.on('reset', onReset),
      // A compacted run moves the cursor (shown as the last seq); the reply's message follows.
      client.on('compacted', ({ thread }) => {
        if (thread === active) scheduleRender();
      }),
      client.on('error', (err) => {
        if (err.code !== 'bad_message') toast(err.message);
      }),
    );
    for (const thread of threads) follow(thread);
    ui.login.hidden = true;
    ui.app.hidden = false;
    ui.logout.hidden = false;
    ui.drop.hidden = false;
    ui.seqChip.hidden = false;
    ui.user.textContent = session.sub;
    render();
    ui.input.focus();
  }

  function signOut() {
    for (const stop of stopClientListeners.splice(0)) stop();
    client?.close();
    client = null;
    session = null;
    sessionStore.removeItem(SESSION_KEY);
    connection = { state: 'closed', detail: undefined };
    ui.app.hidden = true;
    ui.login.hidden = false;
    ui.logout.hidden = true;
    ui.drop.hidden = true;
    ui.seqChip.hidden = true;
    ui.lastSeq.textContent = '0';
    ui.user.textContent = '';
    ui.messages.replaceChildren();
    ui.threadList.replaceChildren();
    renderBadge();
  }

  /** Subscribe to a thread; frames processed before a reload come back from the history API. */
  function follow(thread) {
    const model = new ThreadModel(thread);
    models.set(thread, model);
    const processed = client.cursor(thread).seq;
    client.subscribe(thread).catch((err) => toast(`${thread}: ${err.message}`));
    if (processed > 0) {
      const owner = client;
      client
        .history(thread, { upTo: processed })
        .then((page) => {
          if (owner === client && model.add(page.frames, page.epoch)) scheduleRender();
        })
        .catch((err) => toast(`history of ${thread}: ${err.message}`));
    }
  }

  function onFrame(frame) {
    const model = models.get(frame.thread);
    if (model?.add([frame], frame.epoch)) scheduleRender();
  }

  function onReset({ thread, epoch, frames }) {
    models.get(thread)?.replace(frames, epoch);
    scheduleRender();
  }

  function onState(state, detail) {
    connection = { state, detail };
    renderBadge();
    const counting = state === 'reconnecting';
    if (counting && !badgeTimer) badgeTimer = window.setInterval(renderBadge, BADGE_TICK_MS);
    if (!counting && badgeTimer) {
      window.clearInterval(badgeTimer);
      badgeTimer = null;
    }
  }

  // ---- threads ----

  function loadThreads(sub) {
    try {
      const list = JSON.parse(localStore.getItem(threadsKey(sub)) ?? '[]').filter((t) => THREAD_ID.test(t));
      return list.length ? list : [DEFAULT_THREAD];
    } catch {
      return [DEFAULT_THREAD];
    }
  }

  function addThread(event) {
    event.preventDefault();
    const name = ui.newThreadInput.value.trim();
    if (!THREAD_ID.test(name)) {
      toast('Thread names use letters, digits and . _ : - (at most 128).');
      return;
    }
    ui.newThreadInput.value = '';
    if (!threads.includes(name)) {
      threads.push(name);
      localStore.setItem(threadsKey(session.sub), JSON.stringify(threads));
      follow(name);
    }
    switchTo(name);
  }

  function switchTo(thread) {
    active = thread;
    sessionStore.setItem(activeKey(session.sub), thread);
    render();
    ui.input.focus();
  }

  // ---- chat actions ----

  async function sendMessage(event) {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text || !client) return;
    ui.input.value = '';
    try {
      await client.send(active, text);
    } catch (err) {
      toast(`Not sent (${err.code ?? 'error'}): ${err.message}`); // e.g. rate_limited: the text goes back to the input
      if (!ui.input.value) ui.input.value = text;
    }
  }

  function stopReply() {
    const model = models.get(active);
    const target = model?.view().unfinished[0]; // replies run in send order: the first unfinished is in progress
    if (target) client.cancel(active, target);
  }

  // ---- rendering ----

  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    queueMicrotask(() => {
      renderQueued = false;
      render();
    });
  }

  function render() {
    renderBadge();
    if (!client) return;
    ui.threadList.replaceChildren(
      ...threads.map((thread) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.testid = 'thread-item';
        button.dataset.thread = thread;
        button.textContent = thread;
        if (thread === active) button.setAttribute('aria-current', 'true');
        button.addEventListener('click', () => switchTo(thread));
        li.append(button);
        return li;
      }),
    );
    ui.title.textContent = active;
    const view = models.get(active)?.view() ?? { items: [], typing: false, unfinished: [] };
    const list = ui.messages;
    const pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.dataset.thread = active;
    renderItems(list, view.items, document);
    if (pinned) list.scrollTop = list.scrollHeight;
    ui.typing.hidden = !view.typing;
    ui.stop.disabled = view.unfinished.length === 0;
    ui.lastSeq.textContent = String(client.cursor(active).seq);
  }

  function renderBadge() {
    const { state, detail } = connection;
    ui.badge.dataset.state = state;
    ui.badge.toggleAttribute('data-signed-out', !client);
    ui.badge.toggleAttribute('data-offline', window.navigator.onLine === false && state !== 'closed');
    ui.badge.textContent = badgeText(state, detail, now(), window.navigator.onLine !== false);
    ui.badge.title = detail?.reason ? `${state}: ${detail.reason}` : state;
  }

  function toast(message) {
    ui.error.textContent = message;
    ui.error.hidden = false;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => {
      ui.error.hidden = true;
    }, TOAST_MS);
  }

  // ---- events ----

  ui.loginForm.addEventListener('submit', signInWithName);
  ui.tokenSubmit.addEventListener('click', signInWithToken);
  // Until now a click would have submitted the form natively (a GET of the page): see index.html.
  ui.loginSubmit.disabled = false;
  ui.tokenSubmit.disabled = false;
  ui.logout.addEventListener('click', signOut);
  ui.drop.addEventListener('click', () => client?._debugDrop());
  ui.newThreadForm.addEventListener('submit', addThread);
  ui.composer.addEventListener('submit', sendMessage);
  ui.stop.addEventListener('click', stopReply);
  ui.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  });
  window.addEventListener('online', renderBadge);
  window.addEventListener('offline', renderBadge);

  // A reload keeps the signed-in session of this tab, and the SDK resumes from its stored cursors.
  try {
    const saved = JSON.parse(sessionStore.getItem(SESSION_KEY) ?? 'null');
    if (saved?.token && saved?.sub) start(saved);
  } catch {
    sessionStore.removeItem(SESSION_KEY); // corrupt: sign in again
  }
  renderBadge();

  return {
    get client() {
      return client;
    },
    signOut,
  };
}

// In the browser: load the SDK the gateway serves and start. Tests import this module and call mountDemo.
if (typeof document !== 'undefined' && document.body?.hasAttribute('data-relay-demo') && !globalThis.__relayDemoManualStart) {
  import('/relay-client.js').then(({ RelayClient }) => {
    const createClient = (options) => {
      const client = new RelayClient(options);
      // Announced before it can receive anything, so browser tests and extensions see every frame.
      window.dispatchEvent(new CustomEvent('relay-demo:client', { detail: client }));
      return client;
    };
    const demo = mountDemo({ document, createClient });
    globalThis.relayDemo = demo; // for debugging from the console and for browser tests
  });
}
