package dev.chatrelay.worker;

import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.EngineError;
import dev.chatrelay.worker.engine.EngineRun;
import dev.chatrelay.worker.engine.EngineSink;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test engine driven by the test: each call is run on the context that started the reply. */
final class ManualEngine implements AssistantEngine {

  final List<Run> runs = new CopyOnWriteArrayList<>();

  @Override
  public EngineRun start(String text, EngineSink sink) {
    Run run = new Run(text, sink, Vertx.currentContext());
    runs.add(run);
    return run;
  }

  Run run(int i) {
    return runs.get(i);
  }

  static final class Run implements EngineRun {
    final String text;
    private final EngineSink sink;
    private final Context context;
    volatile boolean cancelled;

    Run(String text, EngineSink sink, Context context) {
      this.text = text;
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

    void fail(EngineError error) {
      context.runOnContext(v -> sink.fail(error));
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }
}
