package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/**
 * Worker to relay (send): the job attempt is alive (extends its lease) or done. The relay ends a
 * job when it journals the reply's ending, so done is optional: a worker sends it only when its
 * attempt's own appends journaled no ending, and a relay ignores one for a job that ended.
 */
public record JobProgress(ThreadKey key, String job, int attempt, boolean done) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "job";

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("job", job)
        .put("attempt", attempt)
        .put("done", done);
    return json;
  }

  public static JobProgress fromJson(JsonObject json) {
    return new JobProgress(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("job"),
        json.getInteger("attempt", 0),
        json.getBoolean("done", false));
  }
}
