package dev.chatrelay.worker.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Test sink: records what an engine reports, from any thread, and which context it ran on. */
public final class RecordingSink implements EngineSink {

  public final List<String> deltas = new CopyOnWriteArrayList<>();
  public final AtomicInteger completions = new AtomicInteger();
  public final AtomicReference<EngineError> error = new AtomicReference<>();
  public final AtomicInteger endings = new AtomicInteger();
  public final List<Context> contexts = new CopyOnWriteArrayList<>();

  @Override
  public void delta(String text) {
    contexts.add(Vertx.currentContext());
    deltas.add(text);
    current.add(text);
  }

  /** Deltas since the last restart: the text the reply shows. */
  public final List<String> current = new CopyOnWriteArrayList<>();
  public final AtomicInteger restarts = new AtomicInteger();
  public final AtomicReference<Completion> completion = new AtomicReference<>();

  @Override
  public void restart() {
    restarts.incrementAndGet();
    current.clear();
  }

  @Override
  public void complete(Completion done) {
    completion.set(done);
    contexts.add(Vertx.currentContext());
    completions.incrementAndGet();
    endings.incrementAndGet();
  }

  @Override
  public void fail(EngineError failure) {
    contexts.add(Vertx.currentContext());
    error.set(failure);
    endings.incrementAndGet();
  }

  public String text() {
    return String.join("", deltas);
  }

  public boolean ended() {
    return endings.get() > 0;
  }
}
