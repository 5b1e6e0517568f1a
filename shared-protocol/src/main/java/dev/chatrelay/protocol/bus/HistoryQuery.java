package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Gateway to relay (request): retained frames after a seq; answered by {@link HistoryPage}. */
public record HistoryQuery(ThreadKey key, long after, int limit) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "history";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("after", after)
        .put("limit", limit);
    return json;
  }

  public static HistoryQuery fromJson(JsonObject json) {
    return new HistoryQuery(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getLong("after", 0L),
        json.getInteger("limit", 0));
  }
}
