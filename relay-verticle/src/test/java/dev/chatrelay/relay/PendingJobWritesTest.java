package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.journal.PendingJob;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A send journals its job's first attempt with the user message, so the first dispatch writes
 * nothing more; every later attempt is recorded before it is sent (the fencing rule).
 */
@ExtendWith(VertxExtension.class)
class PendingJobWritesTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final InMemoryJournal journal = new InMemoryJournal(1000, Clock.SYSTEM);
  private final List<PendingJob> saved = new CopyOnWriteArrayList<>();
  /** The journal, counting {@code savePendingJob} calls. */
  private final Journal counting = (Journal) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {Journal.class}, (proxy, method, args) -> {
        if (method.getName().equals("savePendingJob")) {
          saved.add((PendingJob) args[1]);
        }
        try {
          return method.invoke(journal, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });

  private RelayHarness deploy(Vertx vertx) {
    return RelayHarness.deploy(vertx,
        RelayConfig.defaults().withJobs(60_000, 1_000, 10, 4).withSweep(20, 60_000), counting);
  }

  private boolean noPendingJobs() {
    return journal.pendingJobs(Shards.shardOf(KEY, RelayConfig.defaults().shards())).await()
        .isEmpty();
  }

  @Test
  void theFirstDispatchWritesNothingOfItsOwn(Vertx vertx) {
    RelayHarness h = deploy(vertx);
    FakeWorker worker = h.worker("w1");
    h.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(this::noPendingJobs);
    assertEquals(List.of(1), worker.dispatches.stream().map(JobDispatch::attempt).toList());
    assertEquals(List.of(), saved);
  }

  @Test
  void aSecondAttemptIsRecordedBeforeItIsSent(Vertx vertx) {
    RelayHarness h = deploy(vertx);
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> d.attempt() == 1 ? FakeWorker.Mode.BUSY : FakeWorker.Mode.RUN;
    h.send(KEY, "m1", "hello");
    await().atMost(WAIT).until(this::noPendingJobs);
    assertEquals(List.of(1, 2), worker.dispatches.stream().map(JobDispatch::attempt).toList());
    assertEquals(List.of(new PendingJob(KEY, "m1", "hello", 2)), saved);
  }
}
