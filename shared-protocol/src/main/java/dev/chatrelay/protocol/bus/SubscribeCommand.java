package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Gateway to relay (request): start or replace a connection's subscription; answered by {@link SubscribeAnswer}, then frames arrive as {@link Delivery}. */
public record SubscribeCommand(ThreadKey key, String epoch, Long after, String gateway, long conn, long sid) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "subscribe";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("epoch", epoch)
        .put("after", after)
        .put("gateway", gateway)
        .put("conn", conn)
        .put("sid", sid);
    if (epoch == null) {
      json.remove("epoch");
    }
    if (after == null) {
      json.remove("after");
    }
    return json;
  }

  public static SubscribeCommand fromJson(JsonObject json) {
    return new SubscribeCommand(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("epoch"),
        json.getLong("after"),
        json.getString("gateway"),
        json.getLong("conn", 0L),
        json.getLong("sid", 0L));
  }
}
