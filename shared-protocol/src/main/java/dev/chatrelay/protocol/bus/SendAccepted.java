package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Relay's reply to {@link SendCommand}: the seq of the user message (the first one for a repeated id). */
public record SendAccepted(long seq) implements BusRecord {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("seq", seq);
    return json;
  }

  public static SendAccepted fromJson(JsonObject json) {
    return new SendAccepted(
        json.getLong("seq", 0L));
  }
}
