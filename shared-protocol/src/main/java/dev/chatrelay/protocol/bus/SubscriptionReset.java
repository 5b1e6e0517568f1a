package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Relay to gateway (send): a live subscription can no longer be served (its cursor fell out of retention); the gateway forwards a {@code reset} and forgets it. */
public record SubscriptionReset(long conn, long sid, String thread, String epoch, long head, String reason) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "reset";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("k", TAG)
        .put("conn", conn)
        .put("sid", sid)
        .put("thread", thread)
        .put("epoch", epoch)
        .put("head", head)
        .put("reason", reason);
    return json;
  }

  public static SubscriptionReset fromJson(JsonObject json) {
    return new SubscriptionReset(
        json.getLong("conn", 0L),
        json.getLong("sid", 0L),
        json.getString("thread"),
        json.getString("epoch"),
        json.getLong("head", 0L),
        json.getString("reason"));
  }
}
