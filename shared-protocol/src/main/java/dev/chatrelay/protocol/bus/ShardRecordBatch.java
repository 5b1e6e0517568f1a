package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Gateway to relay node (send, to {@link Addresses#relayNode}): the fire-and-forget shard records
 * ({@link AckCommand}, {@link DeliveryReceipt}, {@link UnsubscribeCommand}) one gateway instance
 * made in one event-loop turn for threads of the shards it believes that relay owns, in the order
 * made, as one bus message (one write and one wake-up instead of one per record). The relay
 * handles each as if it had arrived at its shard's address, in order.
 */
public record ShardRecordBatch(List<BusRecord> records) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "shard_records";

  public ShardRecordBatch {
    records = List.copyOf(records);
    records.forEach(ShardRecordBatch::keyOf); // only the three fire-and-forget shard records
  }

  /** The thread a record of a batch is about: it decides the record's shard. */
  public static ThreadKey keyOf(BusRecord record) {
    if (record instanceof AckCommand a) {
      return a.key();
    }
    if (record instanceof DeliveryReceipt r) {
      return r.key();
    }
    if (record instanceof UnsubscribeCommand u) {
      return u.key();
    }
    throw new IllegalArgumentException("not a batchable shard record: "
        + (record == null ? "null" : record.getClass().getSimpleName()));
  }

  @Override
  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    records.forEach(r -> items.add(r.toJson()));
    return new JsonObject().put("k", TAG).put("items", items);
  }

  public static ShardRecordBatch fromJson(JsonObject json) {
    JsonArray items = json.getJsonArray("items");
    List<BusRecord> records = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      String op = item.getString("op");
      records.add(switch (op == null ? "" : op) {
        case AckCommand.TAG -> AckCommand.fromJson(item);
        case DeliveryReceipt.TAG -> DeliveryReceipt.fromJson(item);
        case UnsubscribeCommand.TAG -> UnsubscribeCommand.fromJson(item);
        default -> throw new IllegalArgumentException("not a batchable shard record: op " + op);
      });
    }
    return new ShardRecordBatch(records);
  }
}
