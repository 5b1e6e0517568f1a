package dev.chatrelay.relay;

import dev.chatrelay.protocol.reply.ReplyFrame;
import dev.chatrelay.protocol.reply.ReplyShape;
import dev.chatrelay.relay.journal.FrameDraft;
import java.util.List;

/**
 * The last frames of a reply that the relay writes itself (shaped by {@link ReplyShape}), with
 * the frame ids and idempotency keys a worker would have used, so a late worker append of the
 * same index is a no-op.
 */
final class RelayEndings {

  /** {@code data.code} of the error frame when no worker could run a job. */
  static final String WORKER_UNAVAILABLE = ReplyShape.WORKER_UNAVAILABLE;

  private RelayEndings() {}

  /**
   * A reply cancelled while no worker runs it, from frame {@code nextIndex} on: typing on (when
   * nothing was written yet), a cancelled message, typing off. The relay keeps no chunk text, so
   * the message is empty; it only writes this ending before any worker frame exists.
   */
  static List<FrameDraft> cancelled(String sendId, int nextIndex) {
    return drafts(sendId, ReplyShape.cancelledEnding(nextIndex));
  }

  /** A reply no worker could finish, from frame {@code nextIndex} on: error, typing off. */
  static List<FrameDraft> workerUnavailable(String sendId, int nextIndex) {
    return drafts(sendId, ReplyShape.workerUnavailable(nextIndex));
  }

  private static List<FrameDraft> drafts(String sendId, List<ReplyFrame> frames) {
    return frames.stream()
        .map(f -> FrameDraft.reply(sendId, f.index(), f.kind(), f.data()))
        .toList();
  }
}
