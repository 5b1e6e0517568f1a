package dev.chatrelay.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.relay.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A lease that expires while an append of the old attempt is still being journaled dispatches
 * the next attempt only after it, so {@code fromIndex} counts that frame: a model's worker
 * restarts after exactly what the journal holds.
 */
@ExtendWith(VertxExtension.class)
class LeaseExpiryOrderTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void theNextAttemptStartsAfterAnAppendInFlight(Vertx vertx) {
    RelayConfig config = RelayConfig.defaults().withJobs(60_000, 1_000, 10, 4).withSweep(20, 60_000);
    ControllableJournal journal = new ControllableJournal(
        new InMemoryJournal(config.retentionFrames(), Clock.SYSTEM), vertx);
    RelayHarness h = RelayHarness.deploy(vertx, config, journal);
    FakeWorker worker = h.worker("w1");
    worker.policy = d -> FakeWorker.Mode.STALL;
    h.send(KEY, "s1", "hi");
    await().atMost(WAIT).until(() -> worker.dispatches.size() == 1);
    h.append(KEY, "s1", 1, 0, FrameKind.TYPING, new JsonObject().put("on", true));

    journal.holdAppends();
    vertx.eventBus().request(h.shardAddress(KEY), new AppendCommand(KEY, "s1", 1, 1,
        FrameKind.CHUNK, new JsonObject().put("text", "first ").put("index", 0)).toJson());
    await().atMost(WAIT).until(() -> journal.heldAppends() == 1);
    h.advanceClock(60_001); // the lease runs out while the chunk is being journaled
    await().atMost(WAIT).until(() -> h.count("relay.job.redispatches") >= 1);
    assertEquals(1, worker.dispatches.size(), "no dispatch while the append is in flight");
    journal.releaseAppends();

    await().atMost(WAIT).until(() -> worker.dispatches.size() == 2);
    JobDispatch second = worker.dispatches.get(1);
    assertEquals(2, second.attempt());
    assertEquals(2, second.fromIndex(), "the chunk journaled meanwhile counts");
  }
}
