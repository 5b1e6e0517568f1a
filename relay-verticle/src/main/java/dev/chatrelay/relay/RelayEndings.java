package dev.chatrelay.relay;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.relay.journal.FrameDraft;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The last frames of a reply that the relay writes itself, with the frame ids and idempotency
 * keys a worker would have used, so a late worker append of the same index is a no-op.
 */
final class RelayEndings {

  /** {@code data.code} of the error frame when no worker could run a job. */
  static final String WORKER_UNAVAILABLE = "worker_unavailable";

  private RelayEndings() {}

  /**
   * A reply cancelled while no worker runs it, from frame {@code nextIndex} on: typing on (when
   * nothing was written yet), a cancelled message, typing off. The relay keeps no chunk text, so
   * the message is empty; it only writes this ending before any worker frame exists.
   */
  static List<FrameDraft> cancelled(String sendId, int nextIndex) {
    List<FrameDraft> out = new ArrayList<>();
    int index = nextIndex;
    if (index == 0) {
      out.add(typing(sendId, index++, true));
    }
    out.add(FrameDraft.reply(sendId, index++, FrameKind.MESSAGE,
        new JsonObject().put("text", "").put("cancelled", true)));
    out.add(typing(sendId, index, false));
    return out;
  }

  /** A reply no worker could finish, from frame {@code nextIndex} on: error, typing off. */
  static List<FrameDraft> workerUnavailable(String sendId, int nextIndex) {
    List<FrameDraft> out = new ArrayList<>();
    int index = nextIndex;
    if (index == 0) {
      out.add(typing(sendId, index++, true));
    }
    out.add(FrameDraft.reply(sendId, index++, FrameKind.ERROR, new JsonObject()
        .put("code", WORKER_UNAVAILABLE)
        .put("message", "no assistant worker could answer; please try again")));
    out.add(typing(sendId, index, false));
    return out;
  }

  private static FrameDraft typing(String sendId, int index, boolean on) {
    return FrameDraft.reply(sendId, index, FrameKind.TYPING, new JsonObject().put("on", on));
  }
}
