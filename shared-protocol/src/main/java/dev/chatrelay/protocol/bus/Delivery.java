package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Relay to gateway (send): frames {@code firstSeq..lastSeq} of one subscription, already encoded as wire text (each string is one server message, encoded once per frame and shared by every subscription). */
public record Delivery(long conn, long sid, String thread, long firstSeq, long lastSeq, List<String> frames) implements BusRecord {

  /** Value of {@code k} that marks this message. */
  public static final String TAG = "frames";

  public Delivery {
    frames = List.copyOf(frames);
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
    return json;
  }

  public static Delivery fromJson(JsonObject json) {
    return new Delivery(
        json.getLong("conn", 0L),
        json.getLong("sid", 0L),
        json.getString("thread"),
        json.getLong("firstSeq", 0L),
        json.getLong("lastSeq", 0L),
        json.getJsonArray("frames").stream().map(String.class::cast).toList());
  }
}
