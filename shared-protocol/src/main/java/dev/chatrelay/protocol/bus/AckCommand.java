package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Gateway to relay (send): cumulative ack of a connection's subscription. */
public record AckCommand(ThreadKey key, String gateway, long conn, long seq) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "ack";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("gateway", gateway)
        .put("conn", conn)
        .put("seq", seq);
    return json;
  }

  public static AckCommand fromJson(JsonObject json) {
    return new AckCommand(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("gateway"),
        json.getLong("conn", 0L),
        json.getLong("seq", 0L));
  }
}
