package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes a shard message by its {@code op}, checks it, and hands it to its handler with the thread state. */
final class ShardRouter {

  private static final Logger log = LoggerFactory.getLogger(ShardRouter.class);

  private final RelayRuntime rt;
  private final SubscriptionCommands subscriptions;
  private final JobCommands jobs;
  private final HistoryQueries history;

  ShardRouter(RelayRuntime rt, SubscriptionCommands subscriptions, JobCommands jobs,
      HistoryQueries history) {
    this.rt = rt;
    this.subscriptions = subscriptions;
    this.jobs = jobs;
    this.history = history;
  }

  void handle(Shard shard, Message<Object> msg) {
    if (!shard.owned()) {
      msg.fail(BusFailure.NOT_OWNER, "shard " + shard.index + " not owned here");
      return;
    }
    BusRecord command;
    try {
      command = ShardCommands.read(msg.body());
    } catch (RuntimeException e) {
      // fromJson throws on missing or ill-typed fields.
      badRequest(msg, opOf(msg.body()), e.getMessage());
      return;
    }
    try {
      route(shard, msg, command);
    } catch (RuntimeException e) {
      // The checks below throw on missing or invalid fields.
      badRequest(msg, opOf(command), e.getMessage());
    }
  }

  private void route(Shard shard, Message<Object> msg, BusRecord command) {
    if (command instanceof AckCommand c) { // the most frequent first
      require(c.gateway() != null, "gateway");
      withExisting(shard, AckCommand.TAG, c.key(), t -> subscriptions.ack(t, c));
    } else if (command instanceof AppendCommand c) {
      require(c.job() != null && c.index() >= 0, "job, index");
      withThread(shard, msg, AppendCommand.TAG, c.key(), t -> jobs.append(msg, t, c));
    } else if (command instanceof JobProgress c) {
      require(c.job() != null, "job");
      withExisting(shard, JobProgress.TAG, c.key(), t -> jobs.progress(t, c));
    } else if (command instanceof SendCommand c) {
      require(c.id() != null && c.text() != null, "id, text");
      withThread(shard, msg, SendCommand.TAG, c.key(), t -> jobs.send(msg, t, c));
    } else if (command instanceof SubscribeCommand c) {
      require(c.gateway() != null && (c.after() == null || c.after() >= 0), "gateway, after");
      withThread(shard, msg, SubscribeCommand.TAG, c.key(), t -> subscriptions.subscribe(msg, t, c));
    } else if (command instanceof UnsubscribeCommand c) {
      require(c.gateway() != null, "gateway");
      withExisting(shard, UnsubscribeCommand.TAG, c.key(), t -> subscriptions.unsubscribe(t, c));
    } else if (command instanceof CancelCommand c) {
      require(c.replyTo() != null, "replyTo");
      withThread(shard, msg, CancelCommand.TAG, c.key(), t -> jobs.cancel(msg, t, c));
    } else if (command instanceof HistoryQuery c) {
      require(c.after() >= 0 && c.limit() >= 1, "after, limit");
      withThread(shard, msg, HistoryQuery.TAG, c.key(), t -> history.answer(msg, t, c));
    } else {
      badRequest(msg, opOf(command), "not a shard command");
    }
  }

  /** The {@code op} to name in logs: the JSON's, or the record type's. */
  private static String opOf(Object body) {
    if (body instanceof JsonObject json) {
      return String.valueOf(json.getValue("op"));
    }
    return body == null ? "null" : body.getClass().getSimpleName();
  }

  /** Runs {@code action} once the thread is loaded; fails the request if it cannot be. */
  private void withThread(Shard shard, Message<Object> msg, String op, ThreadKey key,
      Consumer<ThreadState> action) {
    checkShard(shard, key);
    shard.thread(key).onComplete(ar -> {
      if (ar.failed()) {
        Replies.fail(msg, op, key, ar.cause());
        return;
      }
      try {
        action.accept(ar.result());
      } catch (RuntimeException e) {
        log.error("command failed op={} sub={} thread={} code={}", op, key.sub(), key.thread(),
            BusFailure.INTERNAL, e);
        msg.fail(BusFailure.INTERNAL, "internal error");
      }
    });
  }

  /** Runs {@code action} only if the thread is in memory: a cold thread has no cursor or job. */
  private void withExisting(Shard shard, String op, ThreadKey key, Consumer<ThreadState> action) {
    checkShard(shard, key);
    Future<ThreadState> t = shard.existing(key);
    if (t != null) {
      t.onSuccess(state -> {
        try {
          action.accept(state);
        } catch (RuntimeException e) {
          log.error("command failed op={} sub={} thread={} code={}", op, key.sub(), key.thread(),
              BusFailure.INTERNAL, e);
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
    log.warn("bad request op={} code={} reason={}", op, BusFailure.BAD_REQUEST, why);
    msg.fail(BusFailure.BAD_REQUEST, "bad " + op + ": " + why);
  }
}
