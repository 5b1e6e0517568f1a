package dev.chatrelay.relay.journal;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event loop a {@link RedisPipeline} lives on, and the way onto it from any thread, counting
 * the commands and answers that had to be handed over (the cost {@code moveTo} removes).
 */
final class PipelineLoop {

  /** Where the pipeline's state lives; changes only when the pipeline moves, before use. */
  private volatile Context context;
  private final AtomicLong hops = new AtomicLong();

  PipelineLoop(Context context) {
    this.context = context;
  }

  Context context() {
    return context;
  }

  void moveTo(Context home) {
    context = home;
  }

  /** True when {@code other} runs on this loop's thread. */
  boolean sameLoopAs(Context other) {
    return ((ContextInternal) other).nettyEventLoop() == ((ContextInternal) context).nettyEventLoop();
  }

  /** Runs {@code action} on the loop; true when it had to be handed over. */
  boolean run(Runnable action) {
    // The loop's thread, not the context: handlers run on duplicates of a context, and the
    // connection's own context differs from the one it was made from on the same thread.
    Context here = context;
    if (((ContextInternal) here).nettyEventLoop().inEventLoop()) {
      action.run();
      return false;
    }
    here.runOnContext(v -> action.run());
    return true;
  }

  /** {@link #run}, counting a hop: for the per-command paths. */
  void runCounted(Runnable action) {
    if (run(action)) {
      hops.incrementAndGet();
    }
  }

  /** Calls and answers handed over from another thread so far (tests). */
  long hops() {
    return hops.get();
  }
}
