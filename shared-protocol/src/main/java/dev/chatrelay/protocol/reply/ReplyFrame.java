package dev.chatrelay.protocol.reply;

import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One frame of an assistant reply at its index within the reply (index 0 = typing on; the frame
 * id is {@code <send id>:<index>}), with the payload docs/PROTOCOL.md gives its kind. The only
 * place that shapes a reply frame's {@code data}.
 */
public record ReplyFrame(int index, FrameKind kind, JsonObject data) {

  public ReplyFrame {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(data, "data");
  }

  public static ReplyFrame typing(int index, boolean on) {
    return new ReplyFrame(index, FrameKind.TYPING, new JsonObject().put("on", on));
  }

  public static ReplyFrame chunk(int index, int chunkIndex, String text) {
    return new ReplyFrame(index, FrameKind.CHUNK,
        new JsonObject().put("text", text).put("index", chunkIndex));
  }

  /** The complete reply; {@code finishReason} and {@code usage} only when the model sent them. */
  public static ReplyFrame message(int index, String text, String finishReason, JsonObject usage) {
    JsonObject data = new JsonObject().put("text", text);
    if (finishReason != null) {
      data.put("finishReason", finishReason);
    }
    if (usage != null) {
      data.put("usage", usage.copy());
    }
    return new ReplyFrame(index, FrameKind.MESSAGE, data);
  }

  /** The cancelled ending: the text the chunks since the last restart show. */
  public static ReplyFrame cancelledMessage(int index, String textSoFar) {
    return new ReplyFrame(index, FrameKind.MESSAGE,
        new JsonObject().put("text", textSoFar).put("cancelled", true));
  }

  /** The reply starts over as wording {@code attempt} (the first wording is 1). */
  public static ReplyFrame restart(int index, int attempt) {
    return new ReplyFrame(index, FrameKind.RESTART, new JsonObject().put("attempt", attempt));
  }

  /** The assistant failed: {@code code} from PROTOCOL.md's table, a fixed user-readable message. */
  public static ReplyFrame error(int index, String code, String message) {
    return new ReplyFrame(index, FrameKind.ERROR,
        new JsonObject().put("code", code).put("message", message));
  }
}
