package dev.chatrelay.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch holds acks, receipts and unsubscribes only, keeps their order, and reads back from JSON. */
class ShardRecordBatchTest {

  private static final ThreadKey A = new ThreadKey("alice", "t1");
  private static final ThreadKey B = new ThreadKey("bob", "t2");

  @Test
  void itsJsonFormReadsBackInOrder() {
    ShardRecordBatch batch = new ShardRecordBatch(List.of(
        new UnsubscribeCommand(B, "gw-1", 2),
        new AckCommand(A, "gw-1", 1, 5),
        new DeliveryReceipt(A, "gw-1", 1, 3, 9, 5),
        new AckCommand(A, "gw-1", 1, 9)));
    assertEquals(batch, ShardRecordBatch.fromJson(batch.toJson()));
  }

  @Test
  void eachRecordNamesTheThreadThatDecidesItsShard() {
    assertEquals(A, ShardRecordBatch.keyOf(new AckCommand(A, "gw-1", 1, 5)));
    assertEquals(B, ShardRecordBatch.keyOf(new DeliveryReceipt(B, "gw-1", 1, 3, 9, 5)));
    assertEquals(B, ShardRecordBatch.keyOf(new UnsubscribeCommand(B, "gw-1", 2)));
  }

  @Test
  void requestsAndUnknownOpsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new ShardRecordBatch(List.of(new SendCommand(A, "id-1", "hi"))));
    JsonObject json = new JsonObject().put("k", ShardRecordBatch.TAG).put("items",
        new io.vertx.core.json.JsonArray().add(new SendCommand(A, "id-1", "hi").toJson()));
    assertThrows(IllegalArgumentException.class, () -> ShardRecordBatch.fromJson(json));
  }
}
