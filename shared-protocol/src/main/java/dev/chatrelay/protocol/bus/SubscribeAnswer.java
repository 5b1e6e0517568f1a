package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Relay's reply to {@link SubscribeCommand}: subscribed, or reset with a reason ({@code epoch}, {@code retention}, {@code ahead}). */
public record SubscribeAnswer(boolean subscribed, String epoch, long head, String reason) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("subscribed", subscribed)
        .put("epoch", epoch)
        .put("head", head)
        .put("reason", reason);
    if (reason == null) {
      json.remove("reason");
    }
    return json;
  }

  public static SubscribeAnswer fromJson(JsonObject json) {
    return new SubscribeAnswer(
        json.getBoolean("subscribed", false),
        json.getString("epoch"),
        json.getLong("head", 0L),
        json.getString("reason"));
  }
}
