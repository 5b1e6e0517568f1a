package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/** Relay to worker (request to {@link Addresses#WORKER_JOBS}): run a reply job; the worker answers {@link JobTaken}. Frames below {@code fromIndex} are journaled already; {@code cancelled} asks for the cancelled ending at once. */
public record JobDispatch(ThreadKey key, String job, String replyTo, String text, int attempt, int fromIndex, boolean cancelled) implements BusRecord {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("sub", key.sub()).put("thread", key.thread())
        .put("job", job)
        .put("replyTo", replyTo)
        .put("text", text)
        .put("attempt", attempt)
        .put("fromIndex", fromIndex)
        .put("cancelled", cancelled);
    return json;
  }

  public static JobDispatch fromJson(JsonObject json) {
    return new JobDispatch(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("job"),
        json.getString("replyTo"),
        json.getString("text"),
        json.getInteger("attempt", 0),
        json.getInteger("fromIndex", 0),
        json.getBoolean("cancelled", false));
  }
}
