// Type declarations for relay-client.js (wire protocol relay.v1).

/** The subprotocol offered on every connection. */
export declare const PROTOCOL: 'relay.v1';

/** Tunable defaults; each can be overridden by the constructor option of the same name. */
export declare const DEFAULTS: Readonly<Required<RelayTunables>>;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why getToken is being called. */
export type TokenReason =
  | 'connect' // first connection, or connect() after a close
  | 'reconnect' // reconnect after a drop
  | 'unauthorized' // reconnect after a 4401 close: return a freshly issued token
  | 'expiring' // the server sent token_expiring: return a fresh token for an in-band refresh
  | 'http'; // the history API is about to be called

export type FrameKind = 'user_message' | 'typing' | 'chunk' | 'restart' | 'message' | 'error';

/** One entry of a thread's stream, exactly as the server sent it. */
export interface Frame {
  type: 'frame';
  thread: string;
  epoch: string;
  seq: number;
  id: string;
  kind: FrameKind | (string & {});
  /** Server time in epoch milliseconds when the frame was journaled. */
  ts: number;
  /** The `send` id this assistant frame answers. */
  replyTo?: string;
  data: {
    text?: string;
    index?: number;
    on?: boolean;
    cancelled?: boolean;
    code?: string;
    message?: string;
    /** `restart`: which wording starts here (the first is 1). */
    attempt?: number;
    /** `message`: why the model stopped, when the model server said so. */
    finishReason?: string;
    /** `message`: token counts, when the model server sent them. */
    usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number; [key: string]: unknown };
    [key: string]: unknown;
  };
}

/** One assistant reply as a user sees it, folded from its frames. */
export interface FoldedReply {
  /** The `send` id the reply answers. */
  replyTo: string;
  /** The text after the last `restart`; the complete reply once `done` with a message. */
  text: string;
  /** A `message` or an `error` ended the reply. */
  done: boolean;
  /** The reply was cut short by `cancel`. */
  cancelled: boolean;
  /** Set when the reply ended with an `error` frame. */
  error: { code: string; message: string } | null;
  /** How many times the reply started over. */
  restarts: number;
  /** The assistant is typing this reply. */
  typing: boolean;
  finishReason: string | null;
  usage: Frame['data']['usage'] | null;
  /** Seq of the reply's latest frame. */
  seq: number;
}

/** Folds one frame into a reply (pass undefined for its first frame); returns a new object. */
export declare function foldReplyFrame(reply: FoldedReply | undefined, frame: Frame): FoldedReply;

/** Every reply in a thread's frames (seq order), folded, keyed by `replyTo` in order of first frame. */
export declare function foldReplies(frames: readonly Frame[]): Map<string, FoldedReply>;

export interface Cursor {
  /** null until the server told the thread's epoch. */
  epoch: string | null;
  /** Last processed seq; 0 when nothing was processed. */
  seq: number;
}

export interface SubscribeResult {
  epoch: string;
  /** The newest seq of the thread when the subscription went live. */
  head: number;
}

export interface SendResult {
  /** The client message id (also the `replyTo` of the assistant frames answering it). */
  id: string;
  /** The seq of the journaled `user_message` frame. */
  seq: number;
}

export interface ResetEvent {
  thread: string;
  epoch: string;
  /** The reloaded history, de-duplicated, in seq order. */
  frames: Frame[];
}

/** Seqs `from..to` of an ended reply's token frames were compacted away: counted as processed. */
export interface CompactedEvent {
  thread: string;
  epoch: string;
  from: number;
  to: number;
}

export interface HistoryPage {
  thread: string;
  epoch: string;
  head: number;
  frames: Frame[];
}

/** Detail passed as the second argument of `state` handlers. */
export interface StateDetail {
  /** Close code that caused 'reconnecting' or 'closed' (1006 for a dead connection detected by the client). */
  code?: number;
  reason?: string;
  /** 'reconnecting': milliseconds until the next attempt. */
  delay?: number;
  /** 'reconnecting': epoch milliseconds of the next attempt (for "reconnecting in Ns"). */
  retryAt?: number;
  /** Consecutive failed attempts so far. */
  attempt?: number;
  /** 'open': the server's session id and heartbeat. */
  session?: string | null;
  heartbeat?: number;
}

export declare class RelayError extends Error {
  constructor(code: string, message?: string, details?: Record<string, unknown>);
  /** Protocol error code (`bad_request`, `too_large`, `rate_limited`, `limit_exceeded`, `internal`, `not_found`, `forbidden`),
   *  or a client code: `closed`, `unsubscribed`, `token_error`, `bad_message`, HTTP codes from the history API. */
  code: string;
  /** The `ref` of the server error (send id, cancel replyTo or thread). */
  ref?: string;
  /** Set when the server refused a subscription to this thread (a `subscribe` or a `hello.resume` entry,
   *  e.g. `limit_exceeded`): the client no longer holds it and does not resume it; subscribe again later. */
  thread?: string;
  /** HTTP status, for history API failures. */
  status?: number;
  /** For a 429 from the history API: the server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** Close code, for `closed` errors. */
  closeCode?: number;
}

export interface RelayEvents {
  frame: (frame: Frame) => void;
  state: (state: ConnectionState, detail: StateDetail) => void;
  reset: (event: ResetEvent) => void;
  /** The cursor moved over a compacted run (no frames for those seqs; the reply's `message` follows). */
  compacted: (event: CompactedEvent) => void;
  /** Server errors not tied to a pending send, refused subscriptions (`error.thread` set; the same object
   *  a pending `subscribe` rejects with), token and reload failures, unparsable messages. Never a reconnect. */
  error: (error: RelayError) => void;
}

export interface RelayTunables {
  /** Full-jitter window of the first retry (ms). Default 1000. */
  backoffBaseMs?: number;
  /** Largest retry window (ms). Default 16000. */
  backoffCapMs?: number;
  /** Longest wait before processed frames are acknowledged (ms). Default 50. */
  ackDelayMs?: number;
  /** Unacknowledged frames of a thread that trigger an immediate ack. Default 32. */
  ackBatchSize?: number;
  /** Silence beyond heartbeat + this means a dead connection (ms). Default 10000. */
  deadSlackMs?: number;
  /** Heartbeat assumed before `welcome` (ms). Default 25000. */
  heartbeatMs?: number;
  /** Upgrade + hello -> welcome must complete within this (ms). Default 15000. */
  connectTimeoutMs?: number;
  /** A ping sent on `online` / tab visible must be answered within this (ms). Default 5000. */
  probeTimeoutMs?: number;
  /** After an overload close (1011, 1013, 4029) backoff keeps growing until a connection lasts this long (ms). Default 10000. */
  stableAfterMs?: number;
  /** Frames per history page. Default 1000. */
  historyPageSize?: number;
  /** Reload restarts allowed when the epoch changes mid-reload. Default 3. */
  historyMaxRestarts?: number;
  /** Largest `send` text in UTF-8 bytes, checked client-side. Default 16384. */
  maxTextBytes?: number;
}

/** The subset of the Storage API the client uses. */
export interface CursorStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The subset of EventTarget used for `online` / `visibilitychange`. */
export interface EnvironmentTarget {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
  visibilityState?: string;
}

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface RelayClientOptions extends RelayTunables {
  /** WebSocket URL. Default: same origin, path /ws, ws: or wss: from the page. */
  url?: string;
  /** HTTP base of the history API. Default: derived from `url` (ws://h/ws -> http://h). */
  apiUrl?: string;
  /** Returns a JWT; called before every (re)connect, on token_expiring, after a 4401 close and for HTTP reloads. */
  getToken?: (context: { reason: TokenReason }) => string | undefined | Promise<string | undefined>;
  /** WebSocket constructor (for tests). Default: globalThis.WebSocket. */
  WebSocket?: new (url: string, protocols?: string | string[]) => WebSocketLike;
  /** Where cursors are kept across reloads. Default: sessionStorage when usable; null = memory only. */
  storage?: CursorStorage | null;
  /** Extra part of the storage key, e.g. the user id, so two users of one tab never share cursors. */
  cursorScope?: string;
  /** Full storage key prefix (overrides url and cursorScope). Default `relay.cursor|<url>|<cursorScope>|`. */
  storagePrefix?: string;
  /** fetch implementation for the history API (for tests). Default: globalThis.fetch. */
  fetch?: (url: string, init?: { headers?: Record<string, string> }) => Promise<{
    ok: boolean;
    status: number;
    json(): Promise<any>;
  }>;
  /** Timer functions and clock (for tests). Default: the globals and Date.now. */
  timers?: {
    setTimeout?: (fn: () => void, ms: number) => unknown;
    clearTimeout?: (handle: any) => void;
    now?: () => number;
  };
  /** Random source in [0, 1) for backoff jitter (for tests). Default Math.random. */
  random?: () => number;
  /** Client message id generator. Default crypto.randomUUID. */
  generateId?: () => string;
  /** Target of `online` events. Default globalThis.window; null = none. */
  window?: EnvironmentTarget | null;
  /** Target of `visibilitychange` events. Default globalThis.document; null = none. */
  document?: EnvironmentTarget | null;
  /** Receives exceptions thrown by event handlers. Default globalThis.reportError or console.error. */
  reportError?: (error: unknown) => void;
}

export declare class RelayClient {
  constructor(options?: RelayClientOptions);

  readonly url: string;
  readonly apiUrl: string;
  /** 'connecting' | 'open' | 'reconnecting' | 'closed'. */
  readonly state: ConnectionState;
  /** From the last `welcome`. */
  readonly session: string | null;
  readonly heartbeat: number | null;
  /** Token expiry (epoch seconds) from `welcome` / `refreshed`. */
  readonly exp: number | null;

  /** Handlers are looked up at dispatch time. Returns a function that removes the handler. */
  on<K extends keyof RelayEvents>(type: K, handler: RelayEvents[K]): () => void;
  off<K extends keyof RelayEvents>(type: K, handler: RelayEvents[K]): void;

  /**
   * Subscribe (history after the cursor, then live). Without `after`: from the stored cursor, or 0.
   * Subscribing again without `after` is idempotent; with `after` it replaces the cursor.
   * A server `error` for it (e.g. `limit_exceeded`) rejects with that code and drops the subscription;
   * only `internal` is retried with backoff.
   */
  subscribe(thread: string, options?: { after?: number }): Promise<SubscribeResult>;
  /** Stop receiving a thread; its stored cursor is kept. */
  unsubscribe(thread: string): void;
  /**
   * Resolves on `accepted`; resent with the same id after reconnects until accepted. A server `error`
   * with `ref` = its id rejects with that code (e.g. `rate_limited`, `bad_request`) and the send is
   * dropped (not resent); only `internal` is retried with backoff. Never a reason to reconnect.
   */
  send(thread: string, text: string): Promise<SendResult>;
  /** Cancel the reply to the send `replyTo`. */
  cancel(thread: string, replyTo: string): void;
  /** Last processed position of a thread. */
  cursor(thread: string): Cursor;
  /** Load history over HTTP, paging until the head (or `upTo`), de-duplicated and in seq order. */
  history(thread: string, options?: { after?: number; upTo?: number }): Promise<HistoryPage>;
  /** Open again after close() or a terminal close; retry now while waiting to reconnect. */
  connect(): void;
  /** Close with 1000; no reconnect. */
  close(): void;
  /** Debug aid: drop the socket as a network failure would; the client reconnects and resumes. */
  _debugDrop(): boolean;
}

/** 'stop' for 1000 and 4500-4999, 'reauth' for 4401, otherwise 'reconnect'. */
export declare function closePolicy(code: number): 'stop' | 'reauth' | 'reconnect';
/** Uniform delay in [0, min(cap, base * 2^attempt)). */
export declare function backoffDelay(attempt: number, random: () => number, baseMs: number, capMs: number): number;
export declare function defaultUrl(location?: { protocol: string; host: string }): string;
export declare function httpBaseOf(wsUrl: string): string;
