package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Clock;

/** STUB for compiling the launcher; replaced by the relay helper's class at merge. */
public class InMemoryJournal implements Journal {

  public InMemoryJournal(int retentionFrames, Clock clock) {}
}
