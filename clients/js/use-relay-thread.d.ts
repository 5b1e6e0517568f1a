// Type declarations for use-relay-thread.js (React >= 18 peer dependency).
import type { ConnectionState, FoldedReply, Frame, RelayClient, SendResult } from './relay-client.js';

export interface UseRelayThreadOptions {
  /** Called for each live frame of the thread while the component is mounted. May change every render. */
  onFrame?: (frame: Frame) => void;
  /** Load frames processed before a page reload over HTTP (default true). */
  history?: boolean;
}

export interface RelayThreadView {
  /** Every frame of the thread seen so far, each exactly once, in seq order (key rows by `seq`). */
  frames: readonly Frame[];
  /** Each reply folded from `frames` as a user sees it (text after its last restart), by `replyTo`. */
  replies: ReadonlyMap<string, FoldedReply>;
  /** Why subscribing or loading history failed, if it did; also set when the server refused the thread's
   *  subscription on a reconnect (`limit_exceeded`, `error.thread`), after which no new frames arrive. */
  error: Error | null;
  /** The client's connection state. */
  state: ConnectionState;
  /** Send a message to this thread; stable across renders for the same client and thread. */
  send: (text: string) => Promise<SendResult>;
  /** Cancel the reply to a send of this thread; stable across renders. */
  cancel: (replyTo: string) => void;
}

/**
 * Bind a component to one thread of a client created outside React. Re-renders never reconnect,
 * and unmounting never loses a frame. A null client or thread yields an empty view.
 */
export declare function useRelayThread(
  client: RelayClient | null | undefined,
  thread: string | null | undefined,
  options?: UseRelayThreadOptions,
): RelayThreadView;

/** Drop the frames collected for a thread and unsubscribe from it. */
export declare function releaseRelayThread(client: RelayClient, thread: string): void;
