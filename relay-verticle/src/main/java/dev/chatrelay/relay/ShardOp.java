package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusRecord;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One row of the shard dispatch table ({@link ShardOps}): how a command arrives (its {@code op}
 * tag and record type), what it must carry, which thread state it needs, and its handler.
 *
 * @param required the fields {@code valid} checks, named in a bad-request answer
 */
record ShardOp<C extends BusRecord>(String tag, Class<C> type, Function<JsonObject, C> fromJson,
    Function<C, ThreadKey> key, Predicate<C> valid, String required, Needs needs,
    Handler<C> handler) {

  /** The thread state a command runs on. */
  enum Needs {
    /** Loaded from the journal when cold; a failed load fails the request. */
    THREAD,
    /** Only a thread in memory: a cold thread has no cursor or job, and the command is dropped. */
    THREAD_IN_MEMORY
  }

  /** Runs one command on its thread's state. */
  @FunctionalInterface
  interface Handler<C> {
    void handle(Message<?> msg, ThreadState t, C command);
  }
}
