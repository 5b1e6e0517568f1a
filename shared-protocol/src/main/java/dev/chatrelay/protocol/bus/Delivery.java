package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Relay to gateway (send): seqs {@code firstSeq..lastSeq} of one subscription, as items already
 * encoded as wire text (each string is one server message, encoded once per frame and shared by
 * every subscription). An item stands for one seq (a {@code frame}), except those named in
 * {@code runs}: flat pairs (item index, last seq) of {@code compacted} notices, each standing for
 * the seqs from the one after the previous item's through its last seq. Empty when nothing of the
 * range was compacted.
 */
public record Delivery(long conn, long sid, String thread, long firstSeq, long lastSeq,
    List<String> frames, List<Long> runs) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "frames";

  public Delivery {
    frames = List.copyOf(frames);
    runs = runs == null ? List.of() : List.copyOf(runs);
    if (runs.size() % 2 != 0) {
      throw new IllegalArgumentException("runs are (index, last seq) pairs");
    }
  }

  /** A delivery of frames only, one seq each. */
  public Delivery(long conn, long sid, String thread, long firstSeq, long lastSeq,
      List<String> frames) {
    this(conn, sid, thread, firstSeq, lastSeq, frames, List.of());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("k", TAG)
        .put("conn", conn)
        .put("sid", sid)
        .put("thread", thread)
        .put("firstSeq", firstSeq)
        .put("lastSeq", lastSeq)
        .put("frames", new JsonArray(frames));
    if (!runs.isEmpty()) {
      json.put("runs", new JsonArray(runs));
    }
    return json;
  }

  public static Delivery fromJson(JsonObject json) {
    JsonArray runs = json.getJsonArray("runs");
    return new Delivery(
        json.getLong("conn", 0L),
        json.getLong("sid", 0L),
        json.getString("thread"),
        json.getLong("firstSeq", 0L),
        json.getLong("lastSeq", 0L),
        json.getJsonArray("frames").stream().map(String.class::cast).toList(),
        runs == null ? List.of()
            : runs.stream().map(n -> ((Number) n).longValue()).toList());
  }
}
