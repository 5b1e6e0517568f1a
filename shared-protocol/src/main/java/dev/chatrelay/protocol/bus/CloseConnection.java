package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Relay to gateway (send): close one connection with a close code (e.g. 4008 slow consumer). */
public record CloseConnection(long conn, int code, String reason) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "close";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("k", TAG)
        .put("conn", conn)
        .put("code", code)
        .put("reason", reason);
    return json;
  }

  public static CloseConnection fromJson(JsonObject json) {
    return new CloseConnection(
        json.getLong("conn", 0L),
        json.getInteger("code", 0),
        json.getString("reason"));
  }
}
