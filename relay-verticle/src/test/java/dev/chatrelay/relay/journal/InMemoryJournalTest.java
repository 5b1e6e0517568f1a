package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;
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
  protected Journal newPeer(Journal first, int retentionFrames, Clock clock) {
    return InMemoryJournal.sharing((InMemoryJournal) first);
  }
}
