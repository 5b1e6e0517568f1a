package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Gateway to relay (request): stop the reply to send {@code replyTo}; fails with {@link BusFailure#NOT_FOUND} when nothing is in progress. */
public record CancelCommand(ThreadKey key, String replyTo) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "cancel";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("replyTo", replyTo);
    return json;
  }

  public static CancelCommand fromJson(JsonObject json) {
    return new CancelCommand(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("replyTo"));
  }
}
