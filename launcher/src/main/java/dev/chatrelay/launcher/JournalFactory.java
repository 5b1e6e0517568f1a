package dev.chatrelay.launcher;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.relay.RelayConfig;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.Journal;
import io.vertx.core.Vertx;

/** Picks the relay's journal: in memory by default, Redis when {@code RELAY_REDIS_URL} is set. */
@FunctionalInterface
public interface JournalFactory {

  String REDIS_URL = "RELAY_REDIS_URL";

  Journal create(Vertx vertx, RelayConfig relay);

  /** The factory for this configuration; fails at start for a journal this build lacks. */
  static JournalFactory forConfig(ConfigSource source) {
    if (source.raw(REDIS_URL) != null) {
      // The seam for the Redis journal: return a factory building it here.
      throw new InvalidConfigException(REDIS_URL + " is not supported yet: unset it to run with "
          + "the in-memory journal");
    }
    return (vertx, relay) -> new InMemoryJournal(relay.retentionFrames(), Clock.SYSTEM);
  }
}
