package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Gateway to relay (request): journal a user message and queue its reply job; answered by {@link SendAccepted}. */
public record SendCommand(ThreadKey key, String id, String text) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "send";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("id", id)
        .put("text", text);
    return json;
  }

  public static SendCommand fromJson(JsonObject json) {
    return new SendCommand(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("id"),
        json.getString("text"));
  }
}
