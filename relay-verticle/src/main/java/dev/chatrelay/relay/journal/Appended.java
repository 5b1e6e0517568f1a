package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;

/**
 * Result of {@link Journal#append}.
 *
 * @param frame the journaled frame: the new one, or the earlier one with the same idempotency key
 * @param created false when the key was journaled already (no seq was used)
 */
public record Appended(Frame frame, boolean created) {}
