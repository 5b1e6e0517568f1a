package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.relay.journal.ThreadInfo;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the relay holds in memory for one thread it owns: journal position, recent frames,
 * subscriptions and reply jobs. Event-loop confined.
 */
final class ThreadState {

  final ThreadKey key;
  final int shard;
  String epoch;
  long head;
  long oldest;
  final FrameCache cache;
  final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  /** Journal writes and job decisions of this thread, in arrival order. */
  final SerialQueue writes = new SerialQueue();
  final Deque<ReplyJob> queuedJobs = new ArrayDeque<>();
  ReplyJob currentJob;
  /** Sends being journaled: each may queue a job, so they count toward the queued-reply limit. */
  int sendsInFlight;
  /** Appends running under {@link ThreadAppender#holdingPumps}: subscribers are pumped after them. */
  int pumpHolds;
  /** A frame was taken in while pumps were held. */
  boolean pumpDue;
  /** False once the shard was released or the thread evicted: late results are discarded. */
  boolean active = true;
  long lastUsed;

  ThreadState(ThreadKey key, int shard, ThreadInfo info, int cacheFrames, long now) {
    this.key = key;
    this.shard = shard;
    this.epoch = info.epoch();
    this.head = info.head();
    this.oldest = info.oldest();
    this.cache = new FrameCache(cacheFrames);
    this.lastUsed = now;
  }

  /**
   * Takes a newly journaled frame with the next seq(s) into the position and the cache, and the
   * journal's floor after it ({@code journalOldest}; 0 when the journal did not say).
   */
  void advance(Frame frame, long journalOldest) {
    head = frame.seq();
    cache.add(frame);
    oldest = Math.max(oldest, journalOldest);
  }

  /** The job answering send {@code id}, running or queued, or null. */
  ReplyJob job(String id) {
    if (currentJob != null && currentJob.id.equals(id)) {
      return currentJob;
    }
    for (ReplyJob j : queuedJobs) {
      if (j.id.equals(id)) {
        return j;
      }
    }
    return null;
  }

  /** Queues the job of a pending record unless it is known here; returns it, or null. */
  ReplyJob queueResumed(PendingJob pending) {
    if (!active || job(pending.job()) != null) {
      return null;
    }
    ReplyJob resumed = ReplyJob.resumed(pending);
    queuedJobs.add(resumed);
    return resumed;
  }

  /** Reply jobs running or waiting, and sends that may add one: PROTOCOL.md Limits caps these. */
  int unfinishedReplies() {
    return (currentJob == null ? 0 : 1) + queuedJobs.size() + sendsInFlight;
  }

  /** True when nothing but the journal needs this state any more. */
  boolean idle() {
    return subscriptions.isEmpty() && currentJob == null && queuedJobs.isEmpty() && writes.idle();
  }
}
