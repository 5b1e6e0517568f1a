package dev.chatrelay.worker.engine;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * When a failed upstream request is tried again: exponential backoff with jitter, or the
 * server's Retry-After when it sent one, as long as the retry starts within the reply's retry
 * budget (and its deadline) and the retry count allows. Pure logic: the caller supplies the time.
 */
final class UpstreamRetry {

  /** No retry may start. */
  static final long NONE = -1;

  private final ModelConfig limits;
  /** Given a bound b, a value in [0, b]: the random part of a backoff pause. */
  private final LongUnaryOperator jitter;

  UpstreamRetry(ModelConfig limits) {
    this(limits, bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
  }

  UpstreamRetry(ModelConfig limits, LongUnaryOperator jitter) {
    this.limits = limits;
    this.jitter = jitter;
  }

  /**
   * The pause before retry number {@code retry} (1 for the first), or {@link #NONE}.
   *
   * @param retryAfterMs the server's Retry-After in ms, or -1
   * @param elapsedMs time since the reply started
   */
  long pauseMs(int retry, long retryAfterMs, long elapsedMs) {
    if (retry > limits.maxRetries()) {
      return NONE;
    }
    long pause;
    if (retryAfterMs >= 0) {
      pause = retryAfterMs; // the server knows when it can answer again
    } else {
      long backoff = Math.min(limits.retryMaxMs(), limits.retryBaseMs() << Math.min(retry - 1, 30));
      pause = backoff / 2 + jitter.applyAsLong(backoff - backoff / 2);
    }
    long limit = Math.min(limits.retryBudgetMs(), limits.deadlineMs());
    return elapsedMs + pause > limit ? NONE : pause;
  }

  /**
   * The server's wait in ms from {@code retry-after-ms} (OpenAI's, milliseconds) or
   * {@code Retry-After} (seconds, or an HTTP date); -1 when neither is present or readable.
   */
  static long retryAfterMs(String retryAfterMsHeader, String retryAfterHeader, long nowMs) {
    if (retryAfterMsHeader != null) {
      try {
        return Math.max(0, Math.round(Double.parseDouble(retryAfterMsHeader.trim())));
      } catch (NumberFormatException e) {
        // fall back to Retry-After
      }
    }
    if (retryAfterHeader == null) {
      return -1;
    }
    String value = retryAfterHeader.trim();
    try {
      return Math.max(0, Math.round(Double.parseDouble(value) * 1000));
    } catch (NumberFormatException e) {
      try {
        long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant().toEpochMilli();
        return Math.max(0, at - nowMs);
      } catch (DateTimeParseException notADate) {
        return -1;
      }
    }
  }
}
