package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A reply job not yet finished; enough to dispatch it again. The job id is the send id it answers;
 * {@code attempt} is the last attempt dispatched (0 before any), so a new owner continues above
 * it and a worker of an older attempt stays fenced.
 */
public record PendingJob(ThreadKey key, String job, String text, int attempt) {

  public PendingJob {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(text, "text");
  }

  public JsonObject toJson() {
    return new JsonObject().put("sub", key.sub()).put("thread", key.thread()).put("job", job)
        .put("text", text).put("attempt", attempt);
  }

  public static PendingJob fromJson(JsonObject json) {
    return new PendingJob(new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("job"), json.getString("text"), json.getInteger("attempt", 0));
  }
}
