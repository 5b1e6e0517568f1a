package dev.chatrelay.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpstreamRetryTest {

  /** Budget 10 s, backoff 100 ms doubling to 1 s, 4 retries; jitter always its upper bound. */
  private final UpstreamRetry retry = new UpstreamRetry(
      ModelConfig.defaults().withRetries(10_000, 100, 1_000, 4), bound -> bound);

  @Test
  void backoffDoublesUpToItsCap() {
    assertEquals(100, retry.pauseMs(1, -1, 0));
    assertEquals(200, retry.pauseMs(2, -1, 0));
    assertEquals(400, retry.pauseMs(3, -1, 0));
    assertEquals(800, retry.pauseMs(4, -1, 0));
    UpstreamRetry low = new UpstreamRetry(
        ModelConfig.defaults().withRetries(10_000, 100, 1_000, 9), bound -> 0);
    assertEquals(500, low.pauseMs(9, -1, 0), "half the capped backoff without jitter");
  }

  @Test
  void retryAfterWinsOverTheBackoff() {
    assertEquals(3_000, retry.pauseMs(1, 3_000, 0));
    assertEquals(0, retry.pauseMs(1, 0, 0));
  }

  @Test
  void noRetryPastTheCountTheBudgetOrTheDeadline() {
    assertEquals(UpstreamRetry.NONE, retry.pauseMs(5, -1, 0));
    assertEquals(UpstreamRetry.NONE, retry.pauseMs(1, 3_000, 8_000), "would start after 11 s");
    UpstreamRetry shortDeadline = new UpstreamRetry(ModelConfig.defaults()
        .withRetries(10_000, 100, 1_000, 4).withLimits(4, 1_000), bound -> bound);
    assertEquals(UpstreamRetry.NONE, shortDeadline.pauseMs(1, 2_000, 0));
  }

  @Test
  void readsRetryAfterInEveryForm() {
    assertEquals(1_500, UpstreamRetry.retryAfterMs("1500", "9", 0), "retry-after-ms first");
    assertEquals(2_000, UpstreamRetry.retryAfterMs(null, "2", 0));
    assertEquals(5_000, UpstreamRetry.retryAfterMs(null, "Thu, 01 Jan 1970 00:00:05 GMT", 0));
    assertEquals(0, UpstreamRetry.retryAfterMs(null, "Thu, 01 Jan 1970 00:00:05 GMT", 9_000));
    assertEquals(-1, UpstreamRetry.retryAfterMs(null, "soon", 0));
    assertEquals(-1, UpstreamRetry.retryAfterMs(null, null, 0));
  }
}
