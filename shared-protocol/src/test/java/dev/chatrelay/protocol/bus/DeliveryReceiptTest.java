package dev.chatrelay.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The receipt crosses processes as JSON (op {@code received}) and reads back the same. */
class DeliveryReceiptTest {

  @Test
  void jsonRoundTripKeepsEveryField() {
    DeliveryReceipt r = new DeliveryReceipt(new ThreadKey("alice", "t1"), "gw-1", 7, 3, 42, 40);
    JsonObject json = r.toJson();
    assertEquals(DeliveryReceipt.TAG, json.getString("op"));
    assertEquals(r, DeliveryReceipt.fromJson(new JsonObject(json.encode())));
  }
}
