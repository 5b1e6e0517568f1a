package dev.chatrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.reply.ReplyCheck;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One reply as a client folds it: the text after its last {@code restart}, checked against the
 * contract by {@link ReplyCheck} (chunk indexes count from 0 again after each restart; the chunks
 * after the last one concatenate to exactly the {@code message} text).
 *
 * @param shown the text a client shows: chunks after the last restart
 * @param message the {@code message} frame's data, null when the reply ended with an error
 * @param error the {@code error} frame's data, null when it ended with a message
 * @param restarts {@code restart} frames of the reply
 * @param voided the chunk texts before the last restart
 */
record ModelReply(String shown, JsonObject message, JsonObject error, int restarts,
    List<String> voided) {

  /** Folds the frames of the reply to {@code sendId} out of a thread's frames, checking its shape. */
  static ModelReply of(List<JsonObject> frames, String sendId) {
    ReplyCheck check = new ReplyCheck();
    List<String> current = new ArrayList<>();
    List<String> voided = new ArrayList<>();
    JsonObject message = null;
    JsonObject error = null;
    int restarts = 0;
    for (JsonObject f : frames) {
      if (!sendId.equals(f.getString("replyTo"))) {
        continue;
      }
      assertNull(check.accept(f), "reply shape at " + f.encode());
      JsonObject data = f.getJsonObject("data");
      switch (f.getString("kind")) {
        case "restart" -> {
          restarts++;
          voided.addAll(current);
          current.clear();
        }
        case "chunk" -> current.add(data.getString("text"));
        case "message" -> message = data;
        case "error" -> error = data;
        default -> { }
      }
    }
    assertTrue((message == null) != (error == null), "one message or one error for " + sendId);
    return new ModelReply(check.shown(), message, error, restarts, voided);
  }
}
