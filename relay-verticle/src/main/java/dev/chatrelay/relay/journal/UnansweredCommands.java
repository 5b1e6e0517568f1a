package dev.chatrelay.relay.journal;

import io.vertx.core.Promise;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;

/**
 * The commands a {@link RedisPipeline} wrote and Redis has not answered yet, oldest first, so the
 * command timeout can fail those written too long ago. Confined to the pipeline's context.
 */
final class UnansweredCommands {

  /** A command on the wire, in send order (Redis answers in that order). */
  record Sent(long atNanos, Promise<Response> promise) {}

  private final ArrayDeque<Sent> sent = new ArrayDeque<>();

  /** Records a command written now; pass the result to {@link #answered}. */
  Sent written(Promise<Response> promise) {
    Sent entry = new Sent(System.nanoTime(), promise);
    sent.add(entry);
    return entry;
  }

  void answered(Sent entry) {
    if (sent.peekFirst() == entry) {
      sent.pollFirst(); // the usual case: answers come in send order
    } else {
      sent.remove(entry);
    }
  }

  /** Fails the commands written more than {@code timeoutMs} ago; how many it failed. */
  int failOlderThan(long timeoutMs) {
    long cutoff = System.nanoTime() - timeoutMs * 1_000_000L;
    int failed = 0;
    for (Sent s : sent) {
      if (s.atNanos() - cutoff > 0) {
        break; // in send order: every later one is younger
      }
      if (s.promise().tryFail(new JournalTimeoutException("redis did not answer within "
          + timeoutMs + " ms"))) {
        failed++;
      }
    }
    return failed;
  }
}
