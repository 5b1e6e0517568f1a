package dev.chatrelay.gateway;

import io.vertx.core.Vertx;

/** One gateway verticle instance as the {@link GatewayRuntime} drives it. Thread-safe. */
interface DrainTarget {

  Vertx vertx();

  GatewayConfig config();

  /** Sessions not yet fully closed. */
  int openSessions();

  /** Starts closing up to {@code max} sessions with 1012, on the instance's own event loop. */
  void closeSessions(int max);

  /** Closes the sessions on {@code shards} with 1013, on the instance's own event loop. */
  void closeUnreachable(java.util.Set<Integer> shards);
}
