package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.Shards;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a shard message to its handler: reads it through the dispatch table ({@link ShardOps}),
 * checks it, and runs the handler with the thread state its row asks for.
 */
final class ShardRouter {

  private static final Logger log = LoggerFactory.getLogger(ShardRouter.class);

  private final RelayRuntime rt;
  private final ShardOps ops;

  ShardRouter(RelayRuntime rt, ShardOps ops) {
    this.rt = rt;
    this.ops = ops;
  }

  void handle(Shard shard, Message<Object> msg) {
    if (!shard.owned()) {
      msg.fail(BusFailure.NOT_OWNER, "shard " + shard.index + " not owned here");
      return;
    }
    ShardOps.Command<?> command;
    try {
      command = ops.read(msg.body());
    } catch (RuntimeException e) {
      // fromJson throws on missing or ill-typed fields.
      badRequest(msg, opOf(msg.body()), e.getMessage());
      return;
    }
    try {
      route(shard, msg, command);
    } catch (RuntimeException e) {
      // The checks below throw on missing or invalid fields.
      badRequest(msg, opOf(command.command()), e.getMessage());
    }
  }

  /**
   * A record of a gateway's {@code ShardRecordBatch} for a shard served here: handled as
   * {@link #handle} handles it when sent alone to the shard (such a send has no answer).
   */
  void handleSent(Shard shard, BusRecord record) {
    ShardOps.Command<?> command;
    try {
      command = ops.read(record);
      if (command.op().needs() != ShardOp.Needs.THREAD_IN_MEMORY) {
        throw new IllegalArgumentException("not a fire-and-forget command");
      }
    } catch (RuntimeException e) {
      badRequest(null, opOf(record), e.getMessage());
      return;
    }
    try {
      route(shard, null, command);
    } catch (RuntimeException e) {
      badRequest(null, opOf(record), e.getMessage());
    }
  }

  /** {@code msg} is null for a batched record: only fire-and-forget ops, which never answer. */
  private <C extends BusRecord> void route(Shard shard, Message<Object> msg,
      ShardOps.Command<C> command) {
    ShardOp<C> op = command.op();
    C c = command.command();
    require(op.valid().test(c), op.required());
    ThreadKey key = op.key().apply(c);
    checkShard(shard, key);
    switch (op.needs()) {
      case THREAD -> withThread(shard, msg, op, key, c);
      case THREAD_IN_MEMORY -> withExisting(shard, msg, op, key, c);
    }
  }

  /** The {@code op} to name in logs: the JSON's, or the record type's. */
  private static String opOf(Object body) {
    if (body instanceof JsonObject json) {
      return String.valueOf(json.getValue("op"));
    }
    return body == null ? "null" : body.getClass().getSimpleName();
  }

  /** Runs the handler once the thread is loaded; fails the request if it cannot be. */
  private <C extends BusRecord> void withThread(Shard shard, Message<Object> msg, ShardOp<C> op,
      ThreadKey key, C command) {
    shard.thread(key).onComplete(ar -> {
      if (ar.failed()) {
        Replies.fail(msg, op.tag(), key, ar.cause());
        return;
      }
      try {
        op.handler().handle(msg, ar.result(), command);
      } catch (RuntimeException e) {
        log.error("event=command.failed op={} sub={} thread={} code={}", op.tag(), key.sub(),
            key.thread(), BusFailure.INTERNAL, e);
        msg.fail(BusFailure.INTERNAL, "internal error");
      }
    });
  }

  /** Runs the handler only if the thread is in memory: a cold thread has no cursor or job. */
  private <C extends BusRecord> void withExisting(Shard shard, Message<Object> msg, ShardOp<C> op,
      ThreadKey key, C command) {
    Future<ThreadState> t = shard.existing(key);
    if (t != null) {
      t.onSuccess(state -> {
        try {
          op.handler().handle(msg, state, command);
        } catch (RuntimeException e) {
          log.error("event=command.failed op={} sub={} thread={} code={}", op.tag(), key.sub(),
              key.thread(), BusFailure.INTERNAL, e);
        }
      });
    }
  }

  private void checkShard(Shard shard, ThreadKey key) {
    int expected = Shards.shardOf(key, rt.config().shards());
    require(expected == shard.index, "thread of shard " + expected + " sent to shard " + shard.index);
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("missing or invalid: " + what);
    }
  }

  private static void badRequest(Message<Object> msg, String op, String why) {
    log.warn("event=command.bad_request op={} code={} reason={}", op, BusFailure.BAD_REQUEST, why);
    if (msg != null) {
      msg.fail(BusFailure.BAD_REQUEST, "bad " + op + ": " + why);
    }
  }
}
