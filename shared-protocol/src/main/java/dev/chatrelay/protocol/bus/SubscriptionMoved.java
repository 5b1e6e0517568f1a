package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/**
 * Relay to gateway (send): this relay no longer owns the thread's shard, so it dropped the
 * subscription; the gateway subscribes again (new sid, from the last acked seq) and the shard's
 * new owner carries on. Sent when a shard moves to another relay or the journal fenced this one.
 */
public record SubscriptionMoved(long conn, long sid, String thread) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "moved";

  public JsonObject toJson() {
    return new JsonObject()
        .put("k", TAG)
        .put("conn", conn)
        .put("sid", sid)
        .put("thread", thread);
  }

  public static SubscriptionMoved fromJson(JsonObject json) {
    return new SubscriptionMoved(
        json.getLong("conn", 0L),
        json.getLong("sid", 0L),
        json.getString("thread"));
  }
}
