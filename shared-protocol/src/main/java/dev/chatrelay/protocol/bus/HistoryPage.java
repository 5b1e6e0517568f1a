package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.Frame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Relay's reply to {@link HistoryQuery}: the thread's epoch, head and frames oldest first. */
public record HistoryPage(String thread, String epoch, long head, List<Frame> frames) implements BusRecord {

  public HistoryPage {
    frames = List.copyOf(frames);
  }

  /** The body of the history API: {@code {thread, epoch, head, frames}}. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (Frame f : frames) {
      list.add(f.toJson());
    }
    return new JsonObject().put("thread", thread).put("epoch", epoch).put("head", head)
        .put("frames", list);
  }

  public static HistoryPage fromJson(JsonObject json) {
    List<Frame> frames = json.getJsonArray("frames").stream()
        .map(o -> Frame.fromJson((JsonObject) o)).toList();
    return new HistoryPage(json.getString("thread"), json.getString("epoch"),
        json.getLong("head"), frames);
  }
}
