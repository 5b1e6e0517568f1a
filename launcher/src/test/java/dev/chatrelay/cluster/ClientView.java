package dev.chatrelay.cluster;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one client was shown, per thread and epoch, in arrival order. Every frame is checked on
 * arrival: same thread, seq exactly one above the last one of its epoch (no duplicate, no gap,
 * no reordering). A thread whose epoch changed (the journal was lost) starts a new list.
 */
final class ClientView {

  private final String client;
  private final Map<String, Map<String, List<JsonObject>>> frames = new LinkedHashMap<>();
  private final Map<String, String> epochs = new LinkedHashMap<>();
  private final List<String> violations = new ArrayList<>();

  ClientView(String client) {
    this.client = client;
  }

  /** The epoch the client holds for {@code thread} (null before any). */
  synchronized String epoch(String thread) {
    return epochs.get(thread);
  }

  /** The thread is (now) in {@code epoch}: a subscribed or reset answer said so. */
  synchronized void epoch(String thread, String epoch) {
    epochs.put(thread, epoch);
    frames.computeIfAbsent(thread, t -> new LinkedHashMap<>())
        .computeIfAbsent(epoch, e -> new ArrayList<>());
  }

  /** The last seq shown in the thread's current epoch (0 before any). */
  synchronized long lastSeq(String thread) {
    List<JsonObject> list = current(thread);
    return list == null || list.isEmpty() ? 0 : list.get(list.size() - 1).getLong("seq");
  }

  synchronized void onFrame(JsonObject frame) {
    String thread = frame.getString("thread");
    String epoch = frame.getString("epoch");
    if (!epoch.equals(epochs.get(thread))) {
      violations.add(client + ": frame of epoch " + epoch + " while holding "
          + epochs.get(thread) + ": " + frame.encode());
      return;
    }
    List<JsonObject> list = current(thread);
    long expected = list.isEmpty() ? 1 : list.get(list.size() - 1).getLong("seq") + 1;
    long seq = frame.getLong("seq");
    if (seq != expected) {
      violations.add(client + ": thread " + thread + " expected seq " + expected + " got " + seq
          + (seq < expected ? " (duplicate or reordered)" : " (gap)"));
      return;
    }
    list.add(frame);
  }

  /** Frames of the thread's current epoch. */
  synchronized List<JsonObject> frames(String thread) {
    List<JsonObject> list = current(thread);
    return list == null ? List.of() : List.copyOf(list);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized void violation(String text) {
    violations.add(client + ": " + text);
  }

  private List<JsonObject> current(String thread) {
    String epoch = epochs.get(thread);
    return epoch == null ? null : frames.get(thread).get(epoch);
  }
}
