package dev.chatrelay.relay;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/** Context checks that see through Vert.x 5's duplicated contexts. */
final class Contexts {

  private Contexts() {}

  /**
   * True when the caller runs on {@code context}. Vert.x 5 hands every event-bus message to its
   * consumer on a duplicate of the consumer's context, so {@code Vertx.currentContext() ==
   * context} is false inside every handler; comparing that way sent each journal result of a
   * command back through the event loop's task queue (JFR: half of the relay loop's samples).
   */
  static boolean isOn(Context context) {
    Context current = Vertx.currentContext();
    return current != null
        && ((ContextInternal) current).unwrap() == ((ContextInternal) context).unwrap();
  }
}
