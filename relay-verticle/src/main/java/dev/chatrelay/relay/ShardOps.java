package dev.chatrelay.relay;

import static dev.chatrelay.relay.ShardOp.Needs.THREAD;
import static dev.chatrelay.relay.ShardOp.Needs.THREAD_IN_MEMORY;

import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shard dispatch table: every operation a {@code relay.shard.<n>} consumer accepts, in one
 * place, found by record type (the record itself crossed the bus) or by {@code op} (its JSON).
 */
final class ShardOps {

  /** A command read from a message body, with its row of the table. */
  record Command<C extends BusRecord>(ShardOp<C> op, C command) {}

  private final Map<String, ShardOp<?>> byTag = new HashMap<>();
  private final Map<Class<?>, ShardOp<?>> byType = new HashMap<>();

  ShardOps(SubscriptionCommands subscriptions, JobCommands jobs, HistoryQueries history) {
    this(List.of(
        new ShardOp<>(SubscribeCommand.TAG, SubscribeCommand.class, SubscribeCommand::fromJson,
            SubscribeCommand::key, c -> c.gateway() != null && (c.after() == null || c.after() >= 0),
            "gateway, after", THREAD,
            (msg, t, c) -> subscriptions.subscribe(msg, t, c)),
        new ShardOp<>(UnsubscribeCommand.TAG, UnsubscribeCommand.class,
            UnsubscribeCommand::fromJson, UnsubscribeCommand::key, c -> c.gateway() != null,
            "gateway", THREAD_IN_MEMORY, (msg, t, c) -> subscriptions.unsubscribe(t, c)),
        new ShardOp<>(AckCommand.TAG, AckCommand.class, AckCommand::fromJson, AckCommand::key,
            c -> c.gateway() != null, "gateway", THREAD_IN_MEMORY,
            (msg, t, c) -> subscriptions.ack(t, c)),
        new ShardOp<>(DeliveryReceipt.TAG, DeliveryReceipt.class, DeliveryReceipt::fromJson,
            DeliveryReceipt::key, c -> c.gateway() != null, "gateway", THREAD_IN_MEMORY,
            (msg, t, c) -> subscriptions.received(t, c)),
        new ShardOp<>(SendCommand.TAG, SendCommand.class, SendCommand::fromJson, SendCommand::key,
            c -> c.id() != null && c.text() != null, "id, text", THREAD,
            (msg, t, c) -> jobs.send(msg, t, c)),
        new ShardOp<>(AppendCommand.TAG, AppendCommand.class, AppendCommand::fromJson,
            AppendCommand::key, c -> c.job() != null && c.index() >= 0, "job, index", THREAD,
            (msg, t, c) -> jobs.append(msg, t, c)),
        new ShardOp<>(JobProgress.TAG, JobProgress.class, JobProgress::fromJson, JobProgress::key,
            c -> c.job() != null, "job", THREAD_IN_MEMORY, (msg, t, c) -> jobs.progress(t, c)),
        new ShardOp<>(CancelCommand.TAG, CancelCommand.class, CancelCommand::fromJson,
            CancelCommand::key, c -> c.replyTo() != null, "replyTo", THREAD,
            (msg, t, c) -> jobs.cancel(msg, t, c)),
        new ShardOp<>(HistoryQuery.TAG, HistoryQuery.class, HistoryQuery::fromJson,
            HistoryQuery::key, c -> c.after() >= 0 && c.limit() >= 1, "after, limit", THREAD,
            (msg, t, c) -> history.answer(msg, t, c))));
  }

  ShardOps(List<ShardOp<?>> ops) {
    for (ShardOp<?> op : ops) {
      byTag.put(op.tag(), op);
      byType.put(op.type(), op);
    }
  }

  /**
   * Reads the command in a shard message: the record itself, or parsed from its JSON by {@code op}.
   *
   * @throws IllegalArgumentException when the body is no shard command (unknown {@code op} or
   *     record type, not a JSON object) or misses a field
   */
  Command<?> read(Object body) {
    if (body instanceof BusRecord record) {
      ShardOp<?> op = byType.get(record.getClass());
      if (op == null) {
        throw new IllegalArgumentException("not a shard command");
      }
      return command(op, record);
    }
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("body is not a JSON object");
    }
    String tag = String.valueOf(json.getValue("op"));
    ShardOp<?> op = byTag.get(tag);
    if (op == null) {
      throw new IllegalArgumentException("unknown op " + tag);
    }
    return parsed(op, json);
  }

  private static <C extends BusRecord> Command<C> command(ShardOp<C> op, BusRecord record) {
    return new Command<>(op, op.type().cast(record));
  }

  private static <C extends BusRecord> Command<C> parsed(ShardOp<C> op, JsonObject json) {
    return new Command<>(op, op.fromJson().apply(json));
  }
}
