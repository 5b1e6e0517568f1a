package dev.chatrelay.worker;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.worker.engine.Completion;
import dev.chatrelay.worker.engine.EngineError;
import io.vertx.core.json.JsonObject;

/** One frame of an assistant reply, at its index within the reply (docs/ARCHITECTURE.md, Jobs). */
record ReplyFrame(int index, FrameKind kind, JsonObject data) {

  static ReplyFrame typing(int index, boolean on) {
    return new ReplyFrame(index, FrameKind.TYPING, new JsonObject().put("on", on));
  }

  static ReplyFrame chunk(int index, int chunkIndex, String text) {
    return new ReplyFrame(index, FrameKind.CHUNK,
        new JsonObject().put("text", text).put("index", chunkIndex));
  }

  static ReplyFrame message(int index, String text) {
    return message(index, text, Completion.NONE);
  }

  /** The complete reply, with the upstream's finish reason and token usage when it sent them. */
  static ReplyFrame message(int index, String text, Completion completion) {
    JsonObject data = new JsonObject().put("text", text);
    if (completion.finishReason() != null) {
      data.put("finishReason", completion.finishReason());
    }
    if (completion.usage() != null) {
      data.put("usage", completion.usage().copy());
    }
    return new ReplyFrame(index, FrameKind.MESSAGE, data);
  }

  /** The reply starts over as generation {@code attempt} (the first wording is 1). */
  static ReplyFrame restart(int index, int attempt) {
    return new ReplyFrame(index, FrameKind.RESTART, new JsonObject().put("attempt", attempt));
  }

  static ReplyFrame cancelledMessage(int index, String textSoFar) {
    return new ReplyFrame(index, FrameKind.MESSAGE,
        new JsonObject().put("text", textSoFar).put("cancelled", true));
  }

  static ReplyFrame error(int index, EngineError error) {
    return new ReplyFrame(index, FrameKind.ERROR, error.toFrameData());
  }
}
