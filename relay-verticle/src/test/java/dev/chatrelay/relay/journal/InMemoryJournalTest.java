package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;

/** The journal contract against the in-memory journal. */
class InMemoryJournalTest extends JournalContractTest {

  @Override
  protected Journal newJournal(int retentionFrames, Clock clock) {
    return new InMemoryJournal(retentionFrames, clock);
  }

  @Override
  protected Journal newPeer(Journal first, int retentionFrames, Clock clock) {
    return InMemoryJournal.sharing((InMemoryJournal) first);
  }
}
