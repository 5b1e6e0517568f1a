package dev.chatrelay.launcher;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.Settings;
import dev.chatrelay.relay.RelayConfig;
import dev.chatrelay.relay.journal.InMemoryJournal;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.journal.PendingJobLimits;
import dev.chatrelay.relay.journal.RedisJournal;
import dev.chatrelay.relay.journal.RedisJournalOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * Picks the relay's journal: in memory by default, Redis when {@code RELAY_REDIS_URL} is set.
 * The Redis settings are validated when the plan is made; the connection is made at start and
 * a Redis that cannot be reached fails the start, naming the URL (password redacted).
 */
@FunctionalInterface
public interface JournalFactory {

  String REDIS_URL = Settings.REDIS_URL.name();

  Future<Journal> create(Vertx vertx, RelayConfig relay);

  /** The factory for this configuration; invalid Redis settings fail here. */
  static JournalFactory forConfig(ConfigSource source) {
    Optional<RedisJournalOptions> redis =
        RedisJournalOptions.from(source, RelayConfig.from(source), Clock.SYSTEM);
    if (redis.isPresent()) {
      RedisJournalOptions options = redis.get();
      return (vertx, relay) -> RedisJournal.connect(vertx, options).map(j -> (Journal) j);
    }
    PendingJobLimits pendingJobs = PendingJobLimits.from(source);
    return (vertx, relay) -> Future.succeededFuture(new InMemoryJournal(relay.retentionFrames(),
        relay.retentionMessages(), Clock.SYSTEM, relay.shards(), relay.retentionTtlS(),
        pendingJobs));
  }
}
