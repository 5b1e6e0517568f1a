package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.relay.RelayConfig;

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
}
