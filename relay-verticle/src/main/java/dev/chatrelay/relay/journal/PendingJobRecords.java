package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory journal's pending-job records per shard, in save order, within {@link
 * PendingJobLimits}: expired records are skipped and dropped from the front, and beyond the
 * maximum the oldest go. Thread-safe (each shard's records locked on their own).
 */
final class PendingJobRecords {

  /** A record and when it was last saved. */
  private record Saved(PendingJob job, long savedAt) {}

  private final Map<Integer, Map<String, Saved>> byShard = new ConcurrentHashMap<>();

  /** Saves or replaces (in place) {@code job}'s record. */
  void put(int shard, PendingJob job, long now, PendingJobLimits limits) {
    Map<String, Saved> jobs = byShard.computeIfAbsent(shard, s -> new LinkedHashMap<>());
    synchronized (jobs) {
      jobs.put(id(job.key(), job.job()), new Saved(job, now));
      for (Iterator<Saved> oldest = jobs.values().iterator(); oldest.hasNext(); ) {
        Saved first = oldest.next();
        if (jobs.size() <= limits.maxPerShard() && !expired(first, now, limits)) {
          break;
        }
        oldest.remove();
      }
    }
  }

  void remove(int shard, ThreadKey key, String job) {
    Map<String, Saved> jobs = byShard.get(shard);
    if (jobs != null) {
      synchronized (jobs) {
        jobs.remove(id(key, job));
      }
    }
  }

  /** The live records of {@code shard} in save order. */
  List<PendingJob> list(int shard, long now, PendingJobLimits limits) {
    Map<String, Saved> jobs = byShard.get(shard);
    if (jobs == null) {
      return List.of();
    }
    List<PendingJob> out = new ArrayList<>();
    synchronized (jobs) {
      for (Saved saved : jobs.values()) {
        if (!expired(saved, now, limits)) {
          out.add(saved.job());
        }
      }
    }
    return out;
  }

  private static boolean expired(Saved saved, long now, PendingJobLimits limits) {
    return saved.savedAt() < now - limits.ttlMs();
  }

  private static String id(ThreadKey key, String job) {
    return key.asString() + '\u0000' + job;
  }
}
