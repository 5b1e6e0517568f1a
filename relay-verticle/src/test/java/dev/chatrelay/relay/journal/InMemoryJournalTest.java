package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.RelayConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal contract (compaction included) against the in-memory journal. */
class InMemoryJournalTest extends JournalContractTest {

  @Override
  protected Journal newJournal(int retentionFrames, Clock clock) {
    return newJournal(retentionFrames, RelayConfig.DEFAULT_RETENTION_MESSAGES, clock);
  }

  @Override
  protected Journal newJournal(int retentionFrames, int retentionMessages, Clock clock) {
    return new InMemoryJournal(retentionFrames, retentionMessages, clock, Shards.DEFAULT_COUNT);
  }

  @Override
  protected Journal newBoundedJournal(int retentionFrames, Clock clock, long ttlSeconds,
      PendingJobLimits limits) {
    return new InMemoryJournal(retentionFrames, clock, Shards.DEFAULT_COUNT, ttlSeconds, limits);
  }

  @Override
  protected boolean stores(Journal j, ThreadKey key) {
    return ((InMemoryJournal) j).holds(key);
  }

  @Override
  protected Journal newPeer(Journal first, int retentionFrames, Clock clock) {
    return InMemoryJournal.sharing((InMemoryJournal) first);
  }

  /** Idle threads leave memory through the writes of other threads, without being read again. */
  @Test
  void writesSweepThreadsIdleBeyondTheTtlOutOfMemory() {
    InMemoryJournal j = new InMemoryJournal(10, clock, Shards.DEFAULT_COUNT, 1,
        PendingJobLimits.DEFAULT);
    List<ThreadKey> idle = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ThreadKey key = freshKey("idle");
      j.append(key, FrameDraft.userMessage("m", "x")).await();
      idle.add(key);
    }
    now.addAndGet(1_001);
    ThreadKey busy = freshKey("busy");
    for (int i = 0; i < 20; i++) { // a few threads a write: enough writes to pass over all 41
      j.append(busy, FrameDraft.userMessage("m" + i, "x")).await();
    }
    assertTrue(idle.stream().noneMatch(j::holds),
        "an idle thread is still in memory");
    assertTrue(j.holds(busy));
  }
}
