// React binding for RelayClient: useRelayThread(client, thread, {onFrame}) -> {frames, replies, state, error, send, cancel}.
// The socket never depends on render: the client is created and owned outside React (one
// connection per client), callbacks live in refs, and each thread's frames are collected by a
// store that outlives components, so unmounting or re-rendering can never lose a frame.
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { foldReplies } from './relay-client.js';

const EMPTY = Object.freeze({ frames: Object.freeze([]), replies: new Map(), error: null });
const noSubscription = () => () => {};
const emptySnapshot = () => EMPTY;

/** client -> (thread -> ThreadStore); a store lives as long as its client unless released. */
const storesByClient = new WeakMap();

/** All frames of one thread, keyed by seq: exactly once and in seq order, whatever arrives twice. */
class ThreadStore {
  constructor(client, thread, loadHistory) {
    this.client = client;
    this.thread = thread;
    this.loadHistory = loadHistory;
    this.bySeq = new Map();
    this.epoch = null;
    this.snapshot = EMPTY;
    this.renderListeners = new Set();
    this.frameListeners = new Set();
    this.started = false;
    this.stopListening = [];
  }

  /** Listen and subscribe, once. Frames the client processed earlier (cursor > 0) come from history. */
  start() {
    if (this.started) return;
    this.started = true;
    this.stopListening.push(
      this.client.on('frame', (frame) => {
        if (frame.thread !== this.thread) return;
        this.merge([frame], frame.epoch);
        for (const listener of [...this.frameListeners]) listener(frame);
      }),
      // The server refused this thread's subscription (e.g. limit_exceeded on a resume): show why.
      this.client.on('error', (error) => {
        if (error?.thread === this.thread) this.fail(error);
      }),
      this.client.on('reset', (event) => {
        if (event.thread !== this.thread) return;
        this.bySeq.clear(); // the reloaded list replaces everything of the old epoch
        this.epoch = null;
        this.merge(event.frames, event.epoch);
      }),
    );
    const processed = this.client.cursor(this.thread).seq;
    this.client.subscribe(this.thread).catch((error) => this.fail(error));
    if (this.loadHistory && processed > 0) {
      this.client
        .history(this.thread, { upTo: processed })
        .then((page) => this.merge(page.frames, page.epoch))
        .catch((error) => this.fail(error));
    }
  }

  stop() {
    for (const stop of this.stopListening.splice(0)) stop();
    this.renderListeners.clear();
    this.frameListeners.clear();
  }

  merge(frames, epoch) {
    if (this.epoch !== null && epoch !== this.epoch) return; // frames of a replaced journal
    this.epoch = epoch;
    let changed = false;
    for (const frame of frames) {
      if (!this.bySeq.has(frame.seq)) {
        this.bySeq.set(frame.seq, frame);
        changed = true;
      }
    }
    if (!changed && this.snapshot.frames.length === this.bySeq.size) return;
    const ordered = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    this.publish({ frames: Object.freeze(ordered), replies: foldReplies(ordered), error: this.snapshot.error });
  }

  fail(error) {
    if (this.snapshot.error === error) return; // a refused subscribe both rejects and emits the same error
    this.publish({ frames: this.snapshot.frames, replies: this.snapshot.replies, error });
  }

  publish(snapshot) {
    this.snapshot = snapshot;
    for (const listener of [...this.renderListeners]) listener();
  }

  subscribe = (listener) => {
    this.renderListeners.add(listener);
    return () => this.renderListeners.delete(listener);
  };

  getSnapshot = () => this.snapshot;
}

function storeFor(client, thread, loadHistory) {
  let stores = storesByClient.get(client);
  if (!stores) storesByClient.set(client, (stores = new Map()));
  let store = stores.get(thread);
  if (!store) stores.set(thread, (store = new ThreadStore(client, thread, loadHistory)));
  return store;
}

/** Forget a thread's frames and unsubscribe from it (for when no view of it will come back). */
export function releaseRelayThread(client, thread) {
  const store = storesByClient.get(client)?.get(thread);
  if (!store) return;
  store.stop();
  storesByClient.get(client).delete(thread);
  client.unsubscribe(thread);
}

/**
 * Frames of `thread` in seq order (each exactly once), its replies folded as a user sees them
 * (`foldReplies`: text after the last restart), the connection state, and send/cancel bound
 * to the thread. `options.onFrame` is called for each live frame while mounted; it may change on
 * every render without any effect on the connection. `options.history` (default true) loads the
 * frames processed before a page reload over HTTP.
 */
export function useRelayThread(client, thread, options = {}) {
  const onFrameRef = useRef(options.onFrame);
  useEffect(() => {
    onFrameRef.current = options.onFrame;
  });

  // Creating a store is a pure cache fill; listening and subscribing happen in the effect below.
  const store = client && thread ? storeFor(client, thread, options.history !== false) : null;
  useEffect(() => {
    if (!store) return undefined;
    store.start();
    const forward = (frame) => onFrameRef.current?.(frame);
    store.frameListeners.add(forward);
    return () => store.frameListeners.delete(forward); // the store keeps collecting frames
  }, [store]);

  const snapshot = useSyncExternalStore(store ? store.subscribe : noSubscription, store ? store.getSnapshot : emptySnapshot);

  const subscribeState = useCallback((listener) => (client ? client.on('state', listener) : () => {}), [client]);
  const state = useSyncExternalStore(subscribeState, () => (client ? client.state : 'closed'));

  const send = useCallback((text) => client.send(thread, text), [client, thread]);
  const cancel = useCallback((replyTo) => client.cancel(thread, replyTo), [client, thread]);

  return { frames: snapshot.frames, replies: snapshot.replies, error: snapshot.error, state, send, cancel };
}
