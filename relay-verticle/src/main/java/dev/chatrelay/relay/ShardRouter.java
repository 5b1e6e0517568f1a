package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusFailure;
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
    if (!(msg.body() instanceof JsonObject body)) {
      badRequest(msg, "?", "body is not a JSON object");
      return;
    }
    String op = String.valueOf(body.getValue("op"));
    try {
      route(shard, msg, op, body);
    } catch (RuntimeException e) {
      // fromJson and the checks throw on missing or ill-typed fields.
      badRequest(msg, op, e.getMessage());
    }
  }

  private void route(Shard shard, Message<Object> msg, String op, JsonObject body) {
    switch (op) {
      case SubscribeCommand.TAG -> {
        SubscribeCommand c = SubscribeCommand.fromJson(body);
        require(c.gateway() != null && (c.after() == null || c.after() >= 0), "gateway, after");
        withThread(shard, msg, op, c.key(), t -> subscriptions.subscribe(msg, t, c));
      }
      case UnsubscribeCommand.TAG -> {
        UnsubscribeCommand c = UnsubscribeCommand.fromJson(body);
        require(c.gateway() != null, "gateway");
        withExisting(shard, op, c.key(), t -> subscriptions.unsubscribe(t, c));
      }
      case AckCommand.TAG -> {
        AckCommand c = AckCommand.fromJson(body);
        require(c.gateway() != null, "gateway");
        withExisting(shard, op, c.key(), t -> subscriptions.ack(t, c));
      }
      case SendCommand.TAG -> {
        SendCommand c = SendCommand.fromJson(body);
        require(c.id() != null && c.text() != null, "id, text");
        withThread(shard, msg, op, c.key(), t -> jobs.send(msg, t, c));
      }
      case CancelCommand.TAG -> {
        CancelCommand c = CancelCommand.fromJson(body);
        require(c.replyTo() != null, "replyTo");
        withThread(shard, msg, op, c.key(), t -> jobs.cancel(msg, t, c));
      }
      case HistoryQuery.TAG -> {
        HistoryQuery c = HistoryQuery.fromJson(body);
        require(c.after() >= 0 && c.limit() >= 1, "after, limit");
        withThread(shard, msg, op, c.key(), t -> history.answer(msg, t, c));
      }
      case AppendCommand.TAG -> {
        AppendCommand c = AppendCommand.fromJson(body);
        require(c.job() != null && c.index() >= 0, "job, index");
        withThread(shard, msg, op, c.key(), t -> jobs.append(msg, t, c));
      }
      case JobProgress.TAG -> {
        JobProgress c = JobProgress.fromJson(body);
        require(c.job() != null, "job");
        withExisting(shard, op, c.key(), t -> jobs.progress(t, c));
      }
      default -> badRequest(msg, op, "unknown op");
    }
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
