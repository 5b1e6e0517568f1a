package dev.chatrelay.relay.journal;

/**
 * The journal's store cannot take the operation now: connection down or reconnecting, or too many
 * commands queued. An operation refused before it was sent wrote nothing; one in flight when the
 * connection dropped may have taken effect, which is harmless because appends are idempotent by
 * key. Callers answer {@code internal} and the client retries later.
 */
public class JournalUnavailableException extends RuntimeException {

  public JournalUnavailableException(String message) {
    super(message);
  }

  public JournalUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
