package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/**
 * Relay's reply to {@link SubscribeCommand}: subscribed, or reset with a reason ({@code epoch},
 * {@code retention}, {@code ahead}). {@code after} is the cursor a subscription starts from
 * (frames {@code seq > after} follow): the one asked, head for live only, and for
 * {@code after: 0} the seq before the oldest retained frame. Null when not subscribed or from a
 * relay that does not say (then the gateway uses the cursor it asked for).
 */
public record SubscribeAnswer(boolean subscribed, String epoch, long head, String reason, Long after) implements BusRecord {

  /** An answer that does not name its starting cursor. */
  public SubscribeAnswer(boolean subscribed, String epoch, long head, String reason) {
    this(subscribed, epoch, head, reason, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("subscribed", subscribed)
        .put("epoch", epoch)
        .put("head", head)
        .put("reason", reason)
        .put("after", after);
    if (reason == null) {
      json.remove("reason");
    }
    if (after == null) {
      json.remove("after");
    }
    return json;
  }

  public static SubscribeAnswer fromJson(JsonObject json) {
    return new SubscribeAnswer(
        json.getBoolean("subscribed", false),
        json.getString("epoch"),
        json.getLong("head", 0L),
        json.getString("reason"),
        json.getLong("after"));
  }
}
