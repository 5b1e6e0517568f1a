package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.RedisKeys.ShardKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The pending reply jobs of each shard in Redis ({@code P{s<n>}:jobs}, {@code jobq}, {@code jobn};
 * see {@link RedisJournal}): saved and removed by fenced scripts, read bounded by {@link
 * PendingJobLimits}.
 */
final class RedisPendingJobs {

  /** Field of a pending-job record: when it was last saved (epoch ms, the relay's clock). */
  private static final String SAVED_AT = "savedAt";

  private final RedisJournalOptions options;
  private final RedisKeys keys;
  private final RedisPipeline pipe;
  private final ShardTokens tokens;

  RedisPendingJobs(RedisJournalOptions options, RedisKeys keys, RedisPipeline pipe,
      ShardTokens tokens) {
    this.options = options;
    this.keys = keys;
    this.pipe = pipe;
    this.tokens = tokens;
  }

  Future<Void> save(int shard, PendingJob job) {
    ShardKeys k = keys.shard(shard);
    long token = tokens.of(shard);
    return RedisScripts.SAVE_JOB.run(pipe,
            List.of(k.fence(), k.jobs(), k.jobOrder(), k.jobCounter()),
            List.of(Long.toString(token), RedisKeys.pendingField(job.key(), job.job()),
                json(job, options.clock().millis()),
                Long.toString(options.pendingJobs().ttlSeconds()),
                Integer.toString(options.pendingJobs().maxPerShard())))
        .recover(err -> RedisJournal.failure(err, shard, token))
        .mapEmpty();
  }

  Future<Void> remove(int shard, ThreadKey key, String job) {
    ShardKeys k = keys.shard(shard);
    long token = tokens.of(shard);
    return RedisScripts.REMOVE_JOB.run(pipe, List.of(k.fence(), k.jobs(), k.jobOrder()),
            List.of(Long.toString(token), RedisKeys.pendingField(key, job)))
        .recover(err -> RedisJournal.failure(err, shard, token))
        .mapEmpty();
  }

  /** The shard's pending jobs saved within the pending-job TTL, oldest save first. */
  Future<List<PendingJob>> of(int shard) {
    ShardKeys k = keys.shard(shard);
    long oldest = options.clock().millis() - options.pendingJobs().ttlSeconds() * 1000;
    return RedisScripts.PENDING_JOBS.run(pipe, List.of(k.jobs(), k.jobOrder()),
            List.of(Integer.toString(options.pendingJobs().maxPerShard())))
        .recover(RedisJournal::unavailable)
        .map(r -> {
          List<PendingJob> jobs = new ArrayList<>(r.size());
          for (Response json : r) {
            JsonObject saved = new JsonObject(json.toString());
            if (saved.getLong(SAVED_AT, oldest) >= oldest) {
              jobs.add(PendingJob.fromJson(saved));
            }
          }
          return jobs;
        });
  }

  /** The script arguments that save {@code job} with a send's append, after the append's own. */
  List<String> appendArgs(PendingJob job, long now) {
    return List.of(RedisKeys.pendingField(job.key(), job.job()), json(job, now),
        Long.toString(options.pendingJobs().ttlSeconds()),
        Integer.toString(options.pendingJobs().maxPerShard()));
  }

  /** The record of a pending job, stamped with its save time for {@link PendingJobLimits}. */
  private static String json(PendingJob job, long now) {
    return job.toJson().put(SAVED_AT, now).encode();
  }
}
