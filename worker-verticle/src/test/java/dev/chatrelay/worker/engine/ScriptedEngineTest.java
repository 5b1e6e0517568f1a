package dev.chatrelay.worker.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ScriptedEngineTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @Test
  void streamsTheEchoInChunksOnTheCallersContext(Vertx vertx) {
    RecordingSink sink = new RecordingSink();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> new ScriptedEngine(vertx, 4, 1).start("hello world", sink));
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(ScriptedReply.chunks("echo: hello world", 4), sink.deltas);
    assertEquals(1, sink.completions.get());
    assertNull(sink.error.get());
    assertTrue(sink.contexts.stream().allMatch(c -> c == context), "all calls on the caller's context");
  }

  @Test
  void zeroDelayStillAnswersAsynchronously(Vertx vertx) {
    RecordingSink sink = new RecordingSink();
    AtomicReference<Integer> deltasDuringStart = new AtomicReference<>();
    vertx.runOnContext(v -> {
      new ScriptedEngine(vertx, 8, 0).start("hi", sink);
      deltasDuringStart.set(sink.deltas.size());
    });
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(0, deltasDuringStart.get());
    assertEquals(List.of("e", "c", "h", "o", ":", " ", "h", "i"), sink.deltas);
  }

  @Test
  void failCommandFailsWithEngineError(Vertx vertx) {
    RecordingSink sink = new RecordingSink();
    vertx.runOnContext(v -> new ScriptedEngine(vertx, 8, 1).start("/fail now", sink));
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_ERROR, sink.error.get().code());
    assertEquals(List.of(), sink.deltas);
    assertEquals(0, sink.completions.get());
  }

  @Test
  void cancelBeforeTheFirstChunkStopsTheStream(Vertx vertx) {
    RecordingSink sink = new RecordingSink();
    AtomicReference<Boolean> marker = new AtomicReference<>(false);
    vertx.runOnContext(v -> {
      new ScriptedEngine(vertx, 8, 2).start("never", sink).cancel();
      // fires after all eight 2 ms timers would have: a leaked chunk would show by then
      vertx.setTimer(50, id -> marker.set(true));
    });
    await().atMost(DEADLINE).until(marker::get);
    assertEquals(List.of(), sink.deltas);
    assertEquals(0, sink.endings.get());
  }

  @Test
  void cancelAfterSomeChunksDeliversNothingMore(Vertx vertx) {
    RecordingSink sink = new RecordingSink();
    AtomicReference<EngineRun> run = new AtomicReference<>();
    vertx.runOnContext(v -> run.set(new ScriptedEngine(vertx, 3, 0).start("abcdef", new EngineSink() {
      @Override
      public void delta(String text) {
        sink.delta(text);
        run.get().cancel(); // cancel from inside the first delta
      }

      @Override
      public void complete(Completion completion) {
        sink.complete(completion);
      }

      @Override
      public void fail(EngineError error) {
        sink.fail(error);
      }
    })));
    await().atMost(DEADLINE).until(() -> !sink.deltas.isEmpty());
    AtomicReference<Boolean> marker = new AtomicReference<>(false);
    vertx.runOnContext(v -> vertx.setTimer(20, id -> marker.set(true)));
    await().atMost(DEADLINE).until(marker::get);
    assertEquals(1, sink.deltas.size());
    assertEquals(0, sink.endings.get());
  }
}
