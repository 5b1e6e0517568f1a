package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A frame before it is journaled: the journal adds thread, epoch, seq and ts. {@code data} is
 * not copied (a journal encodes it once, when it writes the frame): whoever makes a draft hands
 * the payload over and leaves it unchanged.
 *
 * @param idempotencyKey the journal keeps at most one frame per key per thread
 * @param id the frame id clients see
 * @param replyTo the send id an assistant frame answers, null for user messages
 */
public record FrameDraft(String idempotencyKey, String id, FrameKind kind, String replyTo,
    JsonObject data) {

  public FrameDraft {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    data = data == null ? new JsonObject() : data;
  }

  /** The user message of send {@code sendId}: key {@code u/<id>}, frame id = the send id. */
  public static FrameDraft userMessage(String sendId, String text) {
    return new FrameDraft("u/" + sendId, sendId, FrameKind.USER_MESSAGE, null,
        new JsonObject().put("text", text));
  }

  /** Frame {@code index} of the reply to {@code sendId}: key {@code a/<id>/<index>}, id {@code <id>:<index>}. */
  public static FrameDraft reply(String sendId, int index, FrameKind kind, JsonObject data) {
    return new FrameDraft("a/" + sendId + "/" + index, sendId + ":" + index, kind, sendId, data);
  }
}
