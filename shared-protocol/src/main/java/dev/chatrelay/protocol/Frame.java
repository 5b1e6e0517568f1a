package dev.chatrelay.protocol;

import dev.chatrelay.protocol.wire.JsonText;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One journaled entry of a thread's stream, exactly as the {@code frame} server message carries
 * it. Immutable: {@code data} is copied in and never handed out for mutation; the wire text is
 * encoded once and shared by every delivery.
 */
public final class Frame {

  private final String thread;
  private final String epoch;
  private final long seq;
  private final String id;
  private final FrameKind kind;
  private final long ts;
  private final String replyTo;
  private final JsonObject data;
  private volatile String wire;

  public Frame(String thread, String epoch, long seq, String id, FrameKind kind, long ts,
      String replyTo, JsonObject data) {
    this.thread = Objects.requireNonNull(thread, "thread");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.seq = seq;
    this.id = Objects.requireNonNull(id, "id");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.ts = ts;
    this.replyTo = replyTo;
    this.data = data == null ? new JsonObject() : data.copy();
  }

  public String thread() { return thread; }
  public String epoch() { return epoch; }
  public long seq() { return seq; }
  public String id() { return id; }
  public FrameKind kind() { return kind; }
  public long ts() { return ts; }
  public String replyTo() { return replyTo; }

  /** A copy of the payload. */
  public JsonObject data() { return data.copy(); }

  /** The payload field {@code name} as a string, or null. */
  public String dataString(String name) {
    Object v = data.getValue(name);
    return v == null ? null : v.toString();
  }

  /** The server message {@code {"type":"frame",...}} as JSON. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", "frame")
        .put("thread", thread)
        .put("epoch", epoch)
        .put("seq", seq)
        .put("id", id)
        .put("kind", kind.wire())
        .put("ts", ts);
    if (replyTo != null) {
      json.put("replyTo", replyTo);
    }
    return json.put("data", data.copy());
  }

  /** The server message as text ({@link #toJson()} encoded), encoded once. */
  public String toWire() {
    String w = wire;
    if (w == null) {
      w = encode();
      wire = w;
    }
    return w;
  }

  /** Size hint for the wire text: the envelope's names and numbers, before ids and payload. */
  private static final int ENVELOPE_CHARS = 96;

  private String encode() {
    JsonText json = JsonText.object(ENVELOPE_CHARS + thread.length() + epoch.length()
            + id.length() + (replyTo == null ? 0 : replyTo.length()) + 32 * data.size())
        .put("type", "frame")
        .put("thread", thread)
        .put("epoch", epoch)
        .put("seq", seq)
        .put("id", id)
        .put("kind", kind.wire())
        .put("ts", ts);
    if (replyTo != null) {
      json.put("replyTo", replyTo);
    }
    return json.put("data", data).encode();
  }

  /** Parses a frame written by {@link #toJson()}. */
  public static Frame fromJson(JsonObject json) {
    return new Frame(json.getString("thread"), json.getString("epoch"), json.getLong("seq"),
        json.getString("id"), FrameKind.fromWire(json.getString("kind")), json.getLong("ts"),
        json.getString("replyTo"), json.getJsonObject("data"));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Frame f)) {
      return false;
    }
    return seq == f.seq && ts == f.ts && thread.equals(f.thread) && epoch.equals(f.epoch)
        && id.equals(f.id) && kind == f.kind && Objects.equals(replyTo, f.replyTo)
        && data.equals(f.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(thread, epoch, seq, id);
  }

  @Override
  public String toString() {
    return toWire();
  }
}
