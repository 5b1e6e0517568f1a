package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Worker to relay (request): journal frame {@code index} of a reply job; answered by {@link AppendAccepted}. Fails with {@link BusFailure#FENCED} when the attempt is stale. */
public record AppendCommand(ThreadKey key, String job, int attempt, int index, FrameKind kind, JsonObject data) {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "append";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("job", job)
        .put("attempt", attempt)
        .put("index", index)
        .put("kind", kind.wire())
        .put("data", data);
    return json;
  }

  public static AppendCommand fromJson(JsonObject json) {
    return new AppendCommand(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("job"),
        json.getInteger("attempt", 0),
        json.getInteger("index", 0),
        FrameKind.fromWire(json.getString("kind")),
        json.getJsonObject("data", new JsonObject()));
  }
}
