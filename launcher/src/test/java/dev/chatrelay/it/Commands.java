package dev.chatrelay.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Client → server messages exactly as PROTOCOL.md names them. */
public final class Commands {

  private Commands() {}

  public static JsonObject hello(String token) {
    JsonObject hello = new JsonObject().put("type", "hello");
    return token == null ? hello : hello.put("token", token);
  }

  public static JsonObject resumeEntry(String thread, String epoch, long after) {
    JsonObject entry = new JsonObject().put("thread", thread).put("after", after);
    return epoch == null ? entry : entry.put("epoch", epoch);
  }

  public static JsonArray resume(JsonObject... entries) {
    JsonArray array = new JsonArray();
    for (JsonObject entry : entries) {
      array.add(entry);
    }
    return array;
  }

  /** {@code subscribe} live only (no {@code after}). */
  public static JsonObject subscribeLive(String thread) {
    return new JsonObject().put("type", "subscribe").put("thread", thread);
  }

  public static JsonObject subscribe(String thread, long after) {
    return subscribeLive(thread).put("after", after);
  }

  public static JsonObject subscribe(String thread, String epoch, long after) {
    return subscribe(thread, after).put("epoch", epoch);
  }

  public static JsonObject unsubscribe(String thread) {
    return new JsonObject().put("type", "unsubscribe").put("thread", thread);
  }

  public static JsonObject send(String thread, String id, String text) {
    return new JsonObject().put("type", "send").put("thread", thread).put("id", id)
        .put("text", text);
  }

  public static JsonObject ack(String thread, long seq) {
    return new JsonObject().put("type", "ack").put("thread", thread).put("seq", seq);
  }

  public static JsonObject refresh(String token) {
    return new JsonObject().put("type", "refresh").put("token", token);
  }

  public static JsonObject cancel(String thread, String replyTo) {
    return new JsonObject().put("type", "cancel").put("thread", thread).put("replyTo", replyTo);
  }

  public static JsonObject ping() {
    return new JsonObject().put("type", "ping");
  }

  public static JsonObject pong() {
    return new JsonObject().put("type", "pong");
  }
}
