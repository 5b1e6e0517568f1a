// Demo chat page for the relay: sign in with a dev token, threads, streamed replies, connection badge.
// Every frame is kept once per thread, keyed by seq, and the list is rendered in seq order.
// No framework; the SDK comes from the gateway at /relay-client.js.

import { ThreadModel } from './demo-model.js';
import { mountLogin } from './demo-login.js';
import { SESSION_KEY, THREAD_ID, TOKEN_REFRESH_MARGIN_MS, activeKey, loadThreads, requestDevToken, threadsKey } from './demo-session.js';
import { badgeText, findUi, renderItems, renderThreadList } from './demo-view.js';

export { ThreadModel } from './demo-model.js';
export { badgeText } from './demo-view.js';

const BADGE_TICK_MS = 250; // how often "reconnecting in Ns" is recomputed
const TOAST_MS = 5000; // how long an error toast stays

/**
 * Wire the page. Everything from the environment can be injected (tests run it in jsdom):
 * `createClient(options)` builds the RelayClient, `fetch` serves /dev/token.
 */
export function mountDemo({ document, window = document.defaultView, createClient, fetch = window.fetch.bind(window), now = () => Date.now() }) {
  const ui = findUi(document);
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

  /** RelayClient's getToken: a fresh dev token after 4401, on token_expiring, or when close to expiry. */
  async function getToken({ reason }) {
    if (!session) throw new Error('signed out');
    const nearExpiry = session.exp !== null && session.exp * 1000 - now() < TOKEN_REFRESH_MARGIN_MS;
    if (session.mode === 'dev' && (reason === 'unauthorized' || reason === 'expiring' || nearExpiry)) {
      session = await requestDevToken(fetch, window, session.sub);
      sessionStore.setItem(SESSION_KEY, JSON.stringify(session));
    }
    return session.token;
  }

  // ---- client lifecycle ----

  function start(newSession) {
    session = newSession;
    sessionStore.setItem(SESSION_KEY, JSON.stringify(session));
    threads = loadThreads(localStore, session.sub);
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
    renderThreadList(document, ui.threadList, threads, active, switchTo);
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

  mountLogin({ ui, window, fetch, onSignedIn: start });
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
