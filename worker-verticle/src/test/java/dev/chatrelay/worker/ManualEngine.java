package dev.chatrelay.worker;

import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.EngineError;
import dev.chatrelay.worker.engine.EngineRequest;
import dev.chatrelay.worker.engine.EngineRun;
import dev.chatrelay.worker.engine.EngineSink;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test engine driven by the test: each call is run on the context that started the reply. */
final class ManualEngine implements AssistantEngine {

  final List<Run> runs = new CopyOnWriteArrayList<>();
  private final boolean repeatable;

  /** A repeatable engine: retries replay from frame 0, no history is read. */
  ManualEngine() {
    this(true);
  }

  /** {@code repeatable = false}: behaves like a model (reads history, retries start over). */
  ManualEngine(boolean repeatable) {
    this.repeatable = repeatable;
  }

  @Override
  public boolean repeatable() {
    return repeatable;
  }

  @Override
  public boolean wantsConversation() {
    return !repeatable;
  }

  @Override
  public EngineRun start(EngineRequest request, EngineSink sink) {
    Run run = new Run(request, sink, Vertx.currentContext());
    runs.add(run);
    return run;
  }

  Run run(int i) {
    return runs.get(i);
  }

  static final class Run implements EngineRun {
    final String text;
    final EngineRequest request;
    private final EngineSink sink;
    private final Context context;
    volatile boolean cancelled;

    Run(EngineRequest request, EngineSink sink, Context context) {
      this.request = request;
      this.text = request.text();
      this.sink = sink;
      this.context = context;
    }

    Context context() {
      return context;
    }

    void delta(String piece) {
      context.runOnContext(v -> sink.delta(piece));
    }

    void complete() {
      context.runOnContext(v -> sink.complete());
    }

    void restart() {
      context.runOnContext(v -> sink.restart());
    }

    void fail(EngineError error) {
      context.runOnContext(v -> sink.fail(error));
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }
}
