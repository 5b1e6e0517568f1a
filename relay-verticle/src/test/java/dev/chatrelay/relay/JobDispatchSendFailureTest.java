package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusCodecs;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobTaken;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.ThreadInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class JobDispatchSendFailureTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  /** Far above the test's wait: a dispatch that only recovered by its timeout would fail it. */
  private static final long DISPATCH_TIMEOUT_MS = 120_000;

  /**
   * A dispatch the bus throws on (Vert.x 5.0.7, towards a node just lost) is retried after the
   * retry backoff, not left to its timeout: before, the job waited the whole dispatch timeout.
   */
  @Test
  void aDispatchTheBusThrowsOnIsRetriedAtOnce(Vertx vertx) {
    BusCodecs.register(vertx.eventBus());
    AtomicBoolean thrown = new AtomicBoolean();
    Vertx flaky = ThrowingBus.around(vertx, (method, args) ->
        method.getName().equals("request") && Addresses.WORKER_JOBS.equals(args[0])
            && thrown.compareAndSet(false, true));
    List<JobDispatch> taken = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer(Addresses.WORKER_JOBS, msg -> {
      taken.add(BusBodies.as(msg.body(), JobDispatch.class, JobDispatch::fromJson));
      msg.reply(new JobTaken(Addresses.worker("w1")).toJson());
    }).completion().await();

    RelayConfig config = RelayConfig.defaults().withJobs(60_000, DISPATCH_TIMEOUT_MS, 20, 6);
    RelayRuntime rt = new RelayRuntime(flaky, config, new InMemoryJournal(100, Clock.SYSTEM),
        new RelayMetrics(new SimpleMeterRegistry()), Clock.SYSTEM);
    SubscriptionRegistry registry = new SubscriptionRegistry(rt);
    JobDispatcher dispatcher =
        new JobDispatcher(rt, new ThreadAppender(rt, registry, new FramePump(rt, registry, new DeliveryWatch(rt))));
    ThreadState t = new ThreadState(KEY, 0, new ThreadInfo("e1", 0, 1), 64, 0);
    vertx.runOnContext(v -> dispatcher.enqueue(t, new ReplyJob("m1", "hello")));

    await().atMost(Duration.ofSeconds(10)).until(() -> taken.size() == 1);
    assertEquals(2, taken.get(0).attempt(), "attempt 1 was never sent");
  }
}
