package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Published to every gateway: close each connection of {@code sub} with 4503. */
public record DisconnectUser(String sub) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "disconnect";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("k", TAG)
        .put("sub", sub);
    return json;
  }

  public static DisconnectUser fromJson(JsonObject json) {
    return new DisconnectUser(
        json.getString("sub"));
  }
}
