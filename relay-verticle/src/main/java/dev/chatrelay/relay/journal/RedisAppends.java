package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.RedisKeys.ShardKeys;
import dev.chatrelay.relay.journal.RedisKeys.ThreadKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of {@link RedisJournal}: the arguments of the append scripts ({@link RedisScripts})
 * and the frames their answers stand for. Each call is one fenced script, whole or not at all.
 */
final class RedisAppends {

  private final RedisJournalOptions options;
  private final RedisKeys keys;
  private final RedisPipeline pipe;
  private final ShardTokens tokens;
  private final RedisPendingJobs pendingJobs;
  private final String ttl;
  private final String retention;
  private final String retentionMessages;

  RedisAppends(RedisJournalOptions options, RedisKeys keys, RedisPipeline pipe, ShardTokens tokens,
      RedisPendingJobs pendingJobs) {
    this.options = options;
    this.keys = keys;
    this.pipe = pipe;
    this.tokens = tokens;
    this.pendingJobs = pendingJobs;
    this.ttl = Long.toString(options.retentionTtlSeconds());
    this.retention = Integer.toString(options.retentionFrames());
    this.retentionMessages = Integer.toString(options.retentionMessages());
  }

  /**
   * One {@link RedisScripts#APPEND_ALL} call for the whole, non-empty list; with {@code endingJob}
   * (not null) the same script forgets that job's pending record when it journals the last draft.
   */
  Future<List<Appended>> appendAll(ThreadKey key, List<FrameDraft> drafts, String epochIfNew,
      String endingJob) {
    ThreadKeys k = keys.thread(key);
    long token = tokens.of(k.shard());
    long ts = options.clock().millis();
    List<String> args = new ArrayList<>(7 + 4 * drafts.size());
    args.add(Long.toString(token));
    args.add(Long.toString(ts));
    args.add(retention);
    args.add(ttl);
    args.add(firstEpoch(epochIfNew));
    args.add(retentionMessages);
    args.add(endingJob == null ? "" : RedisKeys.pendingField(key, endingJob));
    List<String> scriptKeys = withFence(k);
    if (endingJob != null) {
      ShardKeys s = keys.shard(k.shard());
      scriptKeys.addAll(List.of(s.jobs(), s.jobOrder()));
    }
    for (FrameDraft draft : drafts) {
      args.add(draft.idempotencyKey());
      args.add(RedisFrames.body(draft));
      args.add(RedisFrames.retentionClass(draft));
      args.add(draft.replyTo() == null ? "" : draft.replyTo());
    }
    return RedisScripts.APPEND_ALL.run(pipe, scriptKeys, args)
        .recover(err -> RedisJournal.failure(err, k.shard(), token))
        .map(r -> {
          String epoch = r.get(0).toString();
          long oldest = r.get(1).toLong();
          List<Appended> out = new ArrayList<>(r.size() - 2);
          for (int i = 2; i < r.size(); i++) {
            Response one = r.get(i);
            if (one.type() == ResponseType.MULTI) {
              out.add(new Appended(RedisFrames.frame(one, key.thread(), epoch), false, oldest));
            } else {
              FrameDraft draft = drafts.get(i - 2);
              out.add(new Appended(new Frame(key.thread(), epoch, one.toLong(), draft.id(),
                  draft.kind(), ts, draft.replyTo(), draft.data()), true, oldest));
            }
          }
          return out;
        });
  }

  /** The append script, saving {@code job} (when not null) in the same step if the frame is new. */
  Future<Appended> append(ThreadKey key, FrameDraft draft, PendingJob job, String epochIfNew) {
    ThreadKeys k = keys.thread(key);
    long token = tokens.of(k.shard());
    long ts = options.clock().millis();
    List<String> args = new ArrayList<>(List.of(Long.toString(token), draft.idempotencyKey(),
        Long.toString(ts), RedisFrames.body(draft), retention, ttl, firstEpoch(epochIfNew),
        retentionMessages, RedisFrames.retentionClass(draft),
        draft.replyTo() == null ? "" : draft.replyTo()));
    List<String> scriptKeys = withFence(k);
    if (job != null) {
      ShardKeys s = keys.shard(k.shard());
      scriptKeys.addAll(List.of(s.jobs(), s.jobOrder(), s.jobCounter()));
      args.addAll(pendingJobs.appendArgs(job, ts));
    }
    return RedisScripts.APPEND.run(pipe, scriptKeys, args)
        .recover(err -> RedisJournal.failure(err, k.shard(), token))
        .map(r -> {
          String epoch = r.get(1).toString();
          long oldest = r.get(3).toLong();
          if (r.get(0).toInteger() == 0) {
            return new Appended(RedisFrames.frame(r.get(2), key.thread(), epoch), false, oldest);
          }
          Frame frame = new Frame(key.thread(), epoch, r.get(2).toLong(), draft.id(), draft.kind(),
              ts, draft.replyTo(), draft.data());
          return new Appended(frame, true, oldest);
        });
  }

  /** The thread's keys and its shard's fence, as the append scripts take them (a new list). */
  private static List<String> withFence(ThreadKeys k) {
    List<String> all = new ArrayList<>(k.all());
    all.add(k.fence());
    return all;
  }

  /** The epoch a thread without one takes: the caller's, else a fresh one. */
  private static String firstEpoch(String epochIfNew) {
    return epochIfNew != null ? epochIfNew : Epochs.next();
  }
}
