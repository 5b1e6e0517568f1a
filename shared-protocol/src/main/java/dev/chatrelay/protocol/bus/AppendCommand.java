package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Worker to relay (request): journal frames {@code index, index + 1, ...} of a reply job, in
 * that order; answered by {@link AppendAccepted} once all are journaled. Fails with {@link
 * BusFailure#FENCED} when the attempt is stale. A worker sends the frames its engine produced
 * while the previous append was in flight as one command, so a fast engine costs one round trip
 * per batch rather than per frame. Frames already journaled (a retry) are skipped by index.
 *
 * <p>JSON: {@code {op, sub, thread, job, attempt, index, frames: [{kind, data}, ...]}}; the
 * single-frame form {@code {..., index, kind, data}} is read as a batch of one.
 */
public record AppendCommand(ThreadKey key, String job, int attempt, int index, List<Part> frames)
    implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "append";

  /** One frame of the batch; its index is the batch's {@code index} plus its position. */
  public record Part(FrameKind kind, JsonObject data) {}

  public AppendCommand {
    frames = List.copyOf(frames);
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("an append carries at least one frame");
    }
  }

  /** A batch of one frame. */
  public AppendCommand(ThreadKey key, String job, int attempt, int index, FrameKind kind,
      JsonObject data) {
    this(key, job, attempt, index, List.of(new Part(kind, data)));
  }

  /** Index of the batch's last frame. */
  public int lastIndex() {
    return index + frames.size() - 1;
  }

  /** The kind of the first frame (the only one of a single-frame append). */
  public FrameKind kind() {
    return frames.get(0).kind();
  }

  /** The payload of the first frame (the only one of a single-frame append). */
  public JsonObject data() {
    return frames.get(0).data();
  }

  /** The frame at {@code index + i} alone, as a single-frame append. */
  public AppendCommand single(int i) {
    return new AppendCommand(key, job, attempt, index + i, List.of(frames.get(i)));
  }

  @Override
  public JsonObject toJson() {
    JsonArray parts = new JsonArray();
    for (Part p : frames) {
      parts.add(new JsonObject().put("kind", p.kind().wire()).put("data", p.data()));
    }
    return new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("job", job)
        .put("attempt", attempt)
        .put("index", index)
        .put("frames", parts);
  }

  public static AppendCommand fromJson(JsonObject json) {
    ThreadKey key = new ThreadKey(json.getString("sub"), json.getString("thread"));
    String job = json.getString("job");
    int attempt = json.getInteger("attempt", 0);
    int index = json.getInteger("index", 0);
    JsonArray parts = json.getJsonArray("frames");
    if (parts == null) {
      return new AppendCommand(key, job, attempt, index, List.of(partOf(json)));
    }
    List<Part> frames = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      frames.add(partOf(parts.getJsonObject(i)));
    }
    return new AppendCommand(key, job, attempt, index, frames);
  }

  private static Part partOf(JsonObject json) {
    return new Part(FrameKind.fromWire(json.getString("kind")),
        json.getJsonObject("data", new JsonObject()));
  }
}
