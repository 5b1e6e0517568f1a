package dev.chatrelay.loadgen.client;

/**
 * When a client acks: cumulatively per thread, after {@code batch} processed frames or
 * {@code delayMs} after the first unacked one, whichever comes first.
 */
public record AckPolicy(int batch, long delayMs) {

  /** Frames per ack, far below the default window of 256. */
  public static final int DEFAULT_BATCH = 16;
  /** Longest an processed frame waits for its ack (ms). */
  public static final long DEFAULT_DELAY_MS = 20;

  public AckPolicy {
    if (batch < 1 || delayMs < 1) {
      throw new IllegalArgumentException("ack batch and delay must be positive");
    }
  }

  public static AckPolicy defaults() {
    return new AckPolicy(DEFAULT_BATCH, DEFAULT_DELAY_MS);
  }
}
