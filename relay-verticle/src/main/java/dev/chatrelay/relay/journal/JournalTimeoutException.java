package dev.chatrelay.relay.journal;

/**
 * A command Redis did not answer within {@code RELAY_REDIS_COMMAND_TIMEOUT_MS}: Redis stopped
 * answering (paused, busy) or the link went silent. Whether it took effect is unknown, which is
 * harmless for the same reason as for any {@link JournalUnavailableException}.
 */
public final class JournalTimeoutException extends JournalUnavailableException {

  public JournalTimeoutException(String message) {
    super(message);
  }
}
