package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;

/**
 * Result of {@link Journal#append}.
 *
 * @param frame the journaled frame: the new one, or the earlier one with the same idempotency key
 * @param created false when the key was journaled already (no seq was used)
 * @param oldest the thread's floor after the append (see {@link ThreadInfo#oldest()}); 0 when
 *     the journal does not say
 */
public record Appended(Frame frame, boolean created, long oldest) {

  /** A result that does not say where the floor is. */
  public Appended(Frame frame, boolean created) {
    this(frame, created, 0);
  }
}
