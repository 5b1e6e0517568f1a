package dev.chatrelay.protocol;

import dev.chatrelay.protocol.wire.JsonText;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One journaled entry of a thread's stream, exactly as the {@code frame} server message carries
 * it. Immutable. The wire text is encoded once, when the frame is made, and shared by every
 * delivery; the payload is kept only in it and parsed again on the rare calls that want it as
 * JSON ({@link #data()}, {@link #toJson()}: history pages, tests). A relay keeps up to
 * {@code RELAY_RETENTION_FRAMES} frames per thread in memory, so a frame of a few objects instead
 * of a dozen (the payload's map, entries and strings) is what the garbage collector copies.
 */
public final class Frame {

  /** Size hint for the wire text: the envelope's names and numbers, before ids and payload. */
  private static final int ENVELOPE_CHARS = 96;
  /** Size hint per payload entry. */
  private static final int CHARS_PER_DATA_ENTRY = 32;

  private final String thread;
  private final String epoch;
  private final long seq;
  private final String id;
  private final FrameKind kind;
  private final long ts;
  private final String replyTo;
  private final String wire;

  /** @param data the payload; encoded here, neither kept nor changed */
  public Frame(String thread, String epoch, long seq, String id, FrameKind kind, long ts,
      String replyTo, JsonObject data) {
    this.thread = Objects.requireNonNull(thread, "thread");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.seq = seq;
    this.id = Objects.requireNonNull(id, "id");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.ts = ts;
    this.replyTo = replyTo;
    this.wire = encode(data == null ? new JsonObject() : data);
  }

  private Frame(String thread, String epoch, long seq, String id, FrameKind kind, long ts,
      String replyTo, String wire) {
    this.thread = thread;
    this.epoch = epoch;
    this.seq = seq;
    this.id = id;
    this.kind = kind;
    this.ts = ts;
    this.replyTo = replyTo;
    this.wire = wire;
  }

  /**
   * A frame whose wire text a store kept ({@link #toWire()} of the frame it journaled): no
   * encoding again. Only for stores that wrote {@code wire} themselves.
   */
  public static Frame ofWire(String thread, String epoch, long seq, String id, FrameKind kind,
      long ts, String replyTo, String wire) {
    return new Frame(Objects.requireNonNull(thread, "thread"),
        Objects.requireNonNull(epoch, "epoch"), seq, Objects.requireNonNull(id, "id"),
        Objects.requireNonNull(kind, "kind"), ts, replyTo, Objects.requireNonNull(wire, "wire"));
  }

  public String thread() { return thread; }
  public String epoch() { return epoch; }
  public long seq() { return seq; }
  public String id() { return id; }
  public FrameKind kind() { return kind; }
  public long ts() { return ts; }
  public String replyTo() { return replyTo; }

  /** The payload, parsed from the wire text: a new object on every call. */
  public JsonObject data() {
    return toJson().getJsonObject("data");
  }

  /** The payload field {@code name} as a string, or null. */
  public String dataString(String name) {
    Object v = data().getValue(name);
    return v == null ? null : v.toString();
  }

  /** The server message {@code {"type":"frame",...}} as JSON: a new object on every call. */
  public JsonObject toJson() {
    return new JsonObject(wire);
  }

  /** The server message as text. */
  public String toWire() {
    return wire;
  }

  private String encode(JsonObject data) {
    JsonText json = JsonText.object(ENVELOPE_CHARS + thread.length() + epoch.length()
            + id.length() + (replyTo == null ? 0 : replyTo.length())
            + CHARS_PER_DATA_ENTRY * data.size())
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
        && (wire.equals(f.wire) || data().equals(f.data())); // the same payload in another order
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
