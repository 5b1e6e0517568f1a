package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Relay's reply to {@link AppendCommand}. */
public record AppendAccepted(long seq) implements BusRecord {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("seq", seq);
    return json;
  }

  public static AppendAccepted fromJson(JsonObject json) {
    return new AppendAccepted(
        json.getLong("seq", 0L));
  }
}
