package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.FrameKind;

/**
 * Which frames retention keeps (PROTOCOL.md, Compaction). Conversation frames ({@code
 * user_message}, {@code message}, {@code error}) are kept for the newest {@code
 * RELAY_RETENTION_MESSAGES} of them; when one leaves, every frame below it leaves too. Every
 * other kind ({@code typing}, {@code chunk}, {@code restart}, any kind added later) is a token
 * frame: kept while it is among the newest {@code RELAY_RETENTION_FRAMES} seqs, and after that
 * only while its reply has not ended (no {@code message} or {@code error} with its replyTo is
 * retained). Token frames leave oldest first: one of a reply in progress holds back the ones
 * after it. A token frame without replyTo counts as ended.
 */
final class Compaction {

  private Compaction() {}

  /** Kept by count of conversation frames, never compacted. */
  static boolean conversation(FrameKind kind) {
    return kind == FrameKind.USER_MESSAGE || ending(kind);
  }

  /** Ends the reply named by its replyTo. */
  static boolean ending(FrameKind kind) {
    return kind == FrameKind.MESSAGE || kind == FrameKind.ERROR;
  }
}
