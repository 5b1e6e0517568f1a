package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Relay to gateway (send): the {@link Delivery}s a relay made for one gateway instance in one
 * event-loop turn, in the order made, as one bus message (one write and one wake-up instead of
 * one per subscription). The gateway handles them in order, as if they came one by one.
 */
public record DeliveryBatch(List<Delivery> deliveries) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "deliveries";

  public DeliveryBatch {
    deliveries = List.copyOf(deliveries);
  }

  @Override
  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    deliveries.forEach(d -> items.add(d.toJson()));
    return new JsonObject().put("k", TAG).put("items", items);
  }

  public static DeliveryBatch fromJson(JsonObject json) {
    JsonArray items = json.getJsonArray("items");
    List<Delivery> deliveries = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      deliveries.add(Delivery.fromJson(items.getJsonObject(i)));
    }
    return new DeliveryBatch(deliveries);
  }
}
