package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Gateway to relay (send): drop a connection's subscription, also when the connection closed. */
public record UnsubscribeCommand(ThreadKey key, String gateway, long conn) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "unsubscribe";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("gateway", gateway)
        .put("conn", conn);
    return json;
  }

  public static UnsubscribeCommand fromJson(JsonObject json) {
    return new UnsubscribeCommand(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("gateway"),
        json.getLong("conn", 0L));
  }
}
