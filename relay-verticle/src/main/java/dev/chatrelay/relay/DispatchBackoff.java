package dev.chatrelay.relay;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs waiting out a dispatch backoff, each with the timer that ends its wait. A node joining
 * the view ends every wait at once: the pause doubles while no worker answers (a split without
 * workers) and must not outlive the worker's return. Event-loop confined.
 */
final class DispatchBackoff {

  private static final Logger log = LoggerFactory.getLogger(DispatchBackoff.class);

  private final Vertx vertx;
  /** Called when a wait ends, by its timer or early; the job may have moved on meanwhile. */
  private final BiConsumer<ThreadState, ReplyJob> onWaitEnded;
  private final Map<ReplyJob, Waiting> waiting = new HashMap<>();
  private long tokens;

  DispatchBackoff(Vertx vertx, BiConsumer<ThreadState, ReplyJob> onWaitEnded) {
    this.vertx = vertx;
    this.onWaitEnded = onWaitEnded;
  }

  /** Ends the job's wait after {@code pauseMs}, unless a later wait or {@link #endAll} came first. */
  void wait(ThreadState t, ReplyJob job, long pauseMs) {
    long token = ++tokens;
    waiting.put(job, new Waiting(t, token));
    vertx.setTimer(pauseMs, id -> end(job, token));
  }

  /** Ends every wait now. */
  void endAll(String why) {
    if (waiting.isEmpty()) {
      return;
    }
    log.info("event=job.retry_now jobs={} reason=\"{}\"", waiting.size(), why);
    for (Map.Entry<ReplyJob, Waiting> e : List.copyOf(waiting.entrySet())) {
      end(e.getKey(), e.getValue().token);
    }
  }

  /** Ends the job's wait if it is still the one of {@code token} (not an earlier timer's). */
  private void end(ReplyJob job, long token) {
    Waiting w = waiting.get(job);
    if (w == null || w.token != token) {
      return;
    }
    waiting.remove(job);
    onWaitEnded.accept(w.thread, job);
  }

  /** A job waiting out a dispatch backoff; the token tells its latest timer from earlier ones. */
  private record Waiting(ThreadState thread, long token) {}
}
