package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Relay to the worker running a job (send): stop it with the cancelled ending. */
public record JobCancel(ThreadKey key, String job, int attempt) implements BusRecord {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("sub", key.sub()).put("thread", key.thread())
        .put("job", job)
        .put("attempt", attempt);
    return json;
  }

  public static JobCancel fromJson(JsonObject json) {
    return new JobCancel(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("job"),
        json.getInteger("attempt", 0));
  }
}
