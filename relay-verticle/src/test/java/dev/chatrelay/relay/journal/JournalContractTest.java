package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Journal} must have (retention and compaction cases in {@link
 * JournalCompactionContract}). A subclass supplies the journal; each test gets a fresh one
 * (thread keys are unique per test so shared stores do not collide).
 */
public abstract class JournalContractTest extends JournalCompactionContract {

  private static final AtomicLong UNIQUE = new AtomicLong();

  private final List<Journal> opened = new ArrayList<>();

  /** A new, empty journal keeping {@code retentionFrames} frames per thread, stamping with {@code clock}. */
  protected abstract Journal newJournal(int retentionFrames, Clock clock);

  /**
   * A second journal instance over the same store as {@code first} (another relay on the same
   * Redis), with its own shard tokens: the fencing tests run one against the other.
   */
  protected abstract Journal newPeer(Journal first, int retentionFrames, Clock clock);

  /**
   * A journal that forgets a thread not written for {@code ttlSeconds} and keeps pending-job
   * records within {@code limits}.
   */
  protected abstract Journal newBoundedJournal(int retentionFrames, Clock clock, long ttlSeconds,
      PendingJobLimits limits);

  /** True when {@code j}'s store holds anything (key, entry) for the thread {@code key}. */
  protected abstract boolean stores(Journal j, ThreadKey key);

  @AfterEach
  void closeJournals() {
    for (Journal j : opened) {
      j.close().await();
    }
  }

  private Journal journal(int retention) {
    Journal j = newJournal(retention, clock);
    opened.add(j);
    return j;
  }

  /**
   * A journal keeping {@code retention} conversation frames, written with {@link #draft}: its
   * drafts there are user messages, so the oldest frames leave by count (old frame retention).
   */
  private Journal messagesJournal(int retention) {
    userMessages = true;
    Journal j = newJournal(retention, retention, clock);
    opened.add(j);
    return j;
  }

  private Journal bounded(long ttlSeconds, PendingJobLimits limits) {
    Journal j = newBoundedJournal(100, clock, ttlSeconds, limits);
    opened.add(j);
    return j;
  }

  private Journal peer(Journal first, int retention) {
    Journal j = newPeer(first, retention, clock);
    opened.add(j);
    return j;
  }

  /** The shard of {@code key} as journals with the default shard count see it. */
  private static int shardOf(ThreadKey key) {
    return Shards.shardOf(key, Shards.DEFAULT_COUNT);
  }

  /** A thread key no other test (or run against a shared store) uses. */
  protected static ThreadKey freshKey(String sub) {
    return new ThreadKey(sub + "-" + System.nanoTime() + "-" + UNIQUE.incrementAndGet(), "t1");
  }

  /** Drafts are user messages in {@link #messagesJournal} tests. */
  private boolean userMessages;

  private FrameDraft draft(String key, String text) {
    return userMessages
        ? new FrameDraft(key, "id-" + key, FrameKind.USER_MESSAGE, null, new JsonObject().put("text", text))
        : new FrameDraft(key, "id-" + key, FrameKind.CHUNK, "r1", new JsonObject().put("text", text));
  }

  private static <T> T await(Future<T> f) {
    return f.await();
  }

  @Test
  void aThreadNeverWrittenHasHeadZeroAndAnEpoch() {
    Journal j = journal(100);
    ThreadInfo info = await(j.info(freshKey("u")));
    assertEquals(0, info.head());
    assertEquals(1, info.oldest());
    assertNotNull(info.epoch());
    assertFalse(info.epoch().isEmpty());
    assertTrue(await(j.read(freshKey("u"), 0, 10)).isEmpty());
  }

  @Test
  void readsOfAThreadNeverWrittenStoreNothingAndAnswerOneEpoch() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    ThreadInfo first = await(j.info(key));
    assertTrue(await(j.read(key, 0, 10)).isEmpty());
    assertEquals(first, await(j.info(key)), "a reload answers the same provisional epoch");
    assertEquals(new ThreadInfo(first.epoch(), 0, 1), first);
    assertFalse(stores(j, key), "a read created state");
    assertNotEquals(first.epoch(), await(j.info(freshKey("u"))).epoch());
  }

  @Test
  void everyClaimOfTheShardGivesNewProvisionalEpochs() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    await(j.claimShard(shardOf(key)));
    String first = await(j.info(key)).epoch();
    assertEquals(first, await(j.info(key)).epoch());
    await(j.claimShard(shardOf(key)));
    assertNotEquals(first, await(j.info(key)).epoch());
  }

  @Test
  void aCursorTakenBeforeTheFirstWriteStaysValid() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    // A subscriber is shown (epoch, head 0) before anything is written...
    String shown = await(j.info(key)).epoch();
    now.addAndGet(5_000);
    // ...and the first write (passing the epoch shown) journals under it, as do later ones.
    assertEquals(shown, await(j.append(key, draft("k1", "a"), shown)).frame().epoch());
    assertEquals(shown, await(j.append(key, draft("k2", "b"), Epochs.next())).frame().epoch());
    List<Frame> resumed = await(j.read(key, 0, 10));
    assertEquals(List.of(1L, 2L), seqsOf(resumed));
    assertTrue(resumed.stream().allMatch(f -> shown.equals(f.epoch())));
    assertEquals(new ThreadInfo(shown, 2, 1), await(j.info(key)));
  }

  @Test
  void aFirstWriteWithoutAnEpochGetsAFreshOne() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    String shown = await(j.info(key)).epoch();
    String stored = await(j.append(key, draft("k1", "a"))).frame().epoch();
    assertNotEquals(shown, stored, "only a caller that showed the epoch may pass it on");
    assertEquals(stored, await(j.info(key)).epoch());
  }

  @Test
  void aFirstWriteTakesTheEpochPassedAndLaterOnesKeepIt() {
    Journal j = journal(100);
    ThreadKey send = freshKey("u");
    ThreadKey batch = freshKey("u");
    PendingJob job = new PendingJob(send, "s1", "hi", 1);
    assertEquals("epoch-a", await(j.appendSend(send, FrameDraft.userMessage("s1", "hi"), job,
        "epoch-a")).frame().epoch());
    assertEquals("epoch-b", await(j.appendAll(batch, List.of(draft("k1", "a")), "epoch-b"))
        .get(0).frame().epoch());
    assertEquals("epoch-b", await(j.append(batch, draft("k2", "b"), "epoch-c")).frame().epoch());
    assertEquals("epoch-a", await(j.info(send)).epoch());
  }

  @Test
  void aThreadNotWrittenForTheTtlIsForgottenAndComesBackWithANewEpoch() {
    Journal j = bounded(1, PendingJobLimits.DEFAULT);
    ThreadKey key = freshKey("u");
    String old = await(j.append(key, draft("k1", "a"))).frame().epoch();
    assertTrue(stores(j, key));
    now.addAndGet(2_001);
    // Redis expires by its own clock, the in-memory journal by the journal's: wait for both.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> await(j.info(key)).head() == 0 && !stores(j, key));
    assertTrue(await(j.read(key, 0, 10)).isEmpty());
    String reborn = await(j.info(key)).epoch();
    assertNotEquals(old, reborn, "an epoch must never come back after its thread was forgotten");
    Appended again = await(j.append(key, draft("k1", "a"), reborn));
    assertTrue(again.created(), "the idempotency keys went with the thread");
    assertEquals(1, again.frame().seq());
    assertEquals(reborn, again.frame().epoch());
  }

  @Test
  void pendingJobsAreBoundedPerShardAndExpire() {
    Journal j = bounded(600, new PendingJobLimits(60, 3));
    ThreadKey key = freshKey("u");
    int shard = (int) (UNIQUE.incrementAndGet() % 1000) + 3000;
    List<PendingJob> saved = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      PendingJob job = new PendingJob(key, "s" + i, "m" + i, 1);
      saved.add(job);
      await(j.savePendingJob(shard, job));
      now.addAndGet(1_000);
    }
    assertEquals(saved.subList(2, 5), await(j.pendingJobs(shard)), "the oldest beyond 3 went");
    // s3 saved again (a new attempt) lives on; s4 and s5 pass the TTL.
    PendingJob retried = new PendingJob(key, "s3", "m3", 2);
    now.addAndGet(30_000);
    await(j.savePendingJob(shard, retried));
    now.addAndGet(31_000);
    assertEquals(List.of(retried), await(j.pendingJobs(shard)));
    now.addAndGet(60_001);
    assertTrue(await(j.pendingJobs(shard)).isEmpty());
    PendingJob fresh = new PendingJob(key, "s6", "m6", 1);
    await(j.savePendingJob(shard, fresh));
    assertEquals(List.of(fresh), await(j.pendingJobs(shard)));
  }

  @Test
  void seqStartsAtOneAndGrowsByOne() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    String epoch = await(j.info(key)).epoch();
    for (int i = 1; i <= 5; i++) {
      now.addAndGet(7);
      Appended a = await(j.append(key, draft("k" + i, "t" + i), epoch));
      assertTrue(a.created());
      Frame f = a.frame();
      assertEquals(i, f.seq());
      assertEquals(now.get(), f.ts());
      assertEquals(epoch, f.epoch());
      assertEquals(key.thread(), f.thread());
      assertEquals("id-k" + i, f.id());
      assertEquals("r1", f.replyTo());
      assertEquals(FrameKind.CHUNK, f.kind());
      assertEquals("t" + i, f.dataString("text"));
    }
    ThreadInfo info = await(j.info(key));
    assertEquals(5, info.head());
    assertEquals(1, info.oldest());
    assertEquals(epoch, info.epoch());
  }

  @Test
  void appendIsIdempotentByKeyFirstContentWinsAndNoSeqIsUsed() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    Appended first = await(j.append(key, draft("same", "first")));
    now.addAndGet(1000);
    Appended again = await(j.append(key, draft("same", "second")));
    assertTrue(first.created());
    assertFalse(again.created());
    assertEquals(first.frame(), again.frame());
    assertEquals("first", again.frame().dataString("text"));
    assertEquals(1, await(j.info(key)).head());
    assertEquals(2, await(j.append(key, draft("other", "x"))).frame().seq());
  }

  @Test
  void appendAllJournalsABatchInOrderLikeSingleAppends() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    String epoch = await(j.info(key)).epoch();
    assertEquals(1, await(j.append(key, draft("k0", "t0"), epoch)).frame().seq());
    now.addAndGet(5);
    List<Appended> all = await(j.appendAll(key,
        List.of(draft("k1", "t1"), draft("k2", "t2"), draft("k3", "t3"))));
    assertEquals(3, all.size());
    for (int i = 0; i < 3; i++) {
      Appended a = all.get(i);
      assertTrue(a.created());
      assertEquals(i + 2, a.frame().seq());
      assertEquals(now.get(), a.frame().ts());
      assertEquals(epoch, a.frame().epoch());
      assertEquals("id-k" + (i + 1), a.frame().id());
      assertEquals("t" + (i + 1), a.frame().dataString("text"));
    }
    assertEquals(4, await(j.info(key)).head());
    assertEquals(await(j.read(key, 1, 10)), all.stream().map(Appended::frame).toList());
    assertTrue(await(j.appendAll(key, List.of())).isEmpty());
    assertEquals(5, await(j.append(key, draft("k4", "t4"))).frame().seq());
  }

  @Test
  void appendAllStopsAfterTheFirstKnownKeyAndUsesNoSeqForIt() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    Appended first = await(j.append(key, draft("k2", "first")));
    now.addAndGet(1000);
    List<Appended> all = await(j.appendAll(key,
        List.of(draft("k1", "a"), draft("k2", "second"), draft("k3", "never"))));
    assertEquals(2, all.size());
    assertTrue(all.get(0).created());
    assertEquals(2, all.get(0).frame().seq());
    assertFalse(all.get(1).created());
    assertEquals(first.frame(), all.get(1).frame());
    assertEquals(2, await(j.info(key)).head(), "the draft after the known key is not written");
    // The rest goes in another call; a key repeated within one batch is known at its repeat.
    List<Appended> rest = await(j.appendAll(key,
        List.of(draft("k3", "c"), draft("k3", "again"), draft("k4", "never"))));
    assertEquals(2, rest.size());
    assertTrue(rest.get(0).created());
    assertEquals(3, rest.get(0).frame().seq());
    assertFalse(rest.get(1).created());
    assertEquals(rest.get(0).frame(), rest.get(1).frame());
    assertEquals(3, await(j.info(key)).head());
    List<Appended> known = await(j.appendAll(key, List.of(draft("k1", "x"))));
    assertEquals(1, known.size());
    assertFalse(known.get(0).created());
    assertEquals(2, known.get(0).frame().seq());
    assertEquals(3, await(j.info(key)).head());
  }

  @Test
  void appendAllAppliesRetentionAfterEveryFrame() {
    Journal j = messagesJournal(3);
    ThreadKey key = freshKey("u");
    await(j.append(key, draft("k1", "t1")));
    await(j.append(key, draft("k2", "t2")));
    // k1 leaves when k4 is written, so the k1 after it is a new frame; k5 pushes k2 out.
    List<Appended> all = await(j.appendAll(key, List.of(draft("k3", "t3"), draft("k4", "t4"),
        draft("k1", "again"), draft("k5", "t5"))));
    assertEquals(List.of(3L, 4L, 5L, 6L), all.stream().map(a -> a.frame().seq()).toList());
    assertTrue(all.stream().allMatch(Appended::created));
    ThreadInfo info = await(j.info(key));
    assertEquals(6, info.head());
    assertEquals(4, info.oldest());
    assertEquals(seqs(4, 6), seqsOf(await(j.read(key, 0, 100))));
    assertTrue(await(j.append(key, draft("k3", "again"))).created(), "trimmed key forgotten");
    assertFalse(await(j.append(key, draft("k5", "again"))).created(), "retained key kept");
    // A batch longer than the retention keeps only its last frames.
    List<Appended> longer = await(j.appendAll(key, List.of(draft("l1", "x"), draft("l2", "x"),
        draft("l3", "x"), draft("l4", "x"), draft("l5", "x"))));
    assertEquals(5, longer.size());
    assertEquals(12, await(j.info(key)).head());
    assertEquals(seqs(10, 12), seqsOf(await(j.read(key, 0, 100))));
    assertTrue(await(j.append(key, draft("l2", "again"))).created());
    assertFalse(await(j.append(key, draft("l5", "again"))).created());
  }

  @Test
  void readAnswersRangesOldestFirstWithinLimit() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    for (int i = 1; i <= 10; i++) {
      await(j.append(key, draft("k" + i, "t" + i)));
    }
    assertEquals(seqs(1, 10), seqsOf(await(j.read(key, 0, 100))));
    assertEquals(seqs(4, 7), seqsOf(await(j.read(key, 3, 4))));
    assertEquals(seqs(9, 10), seqsOf(await(j.read(key, 8, 100))));
    assertTrue(await(j.read(key, 10, 5)).isEmpty());
    assertTrue(await(j.read(key, 12, 5)).isEmpty());
    assertEquals("t4", await(j.read(key, 3, 1)).get(0).dataString("text"));
  }

  @Test
  void retentionKeepsTheLastFramesAndForgetsTheirIdempotencyKeys() {
    Journal j = messagesJournal(5);
    ThreadKey key = freshKey("u");
    for (int i = 1; i <= 8; i++) {
      await(j.append(key, draft("k" + i, "t" + i)));
    }
    ThreadInfo info = await(j.info(key));
    assertEquals(8, info.head());
    assertEquals(4, info.oldest());
    assertFalse(info.retainsAfter(2));
    assertTrue(info.retainsAfter(3));
    assertEquals(seqs(4, 8), seqsOf(await(j.read(key, 0, 100))));
    assertEquals(seqs(4, 5), seqsOf(await(j.read(key, 1, 2))));
    // A retained key is still a no-op; a trimmed key is journaled anew.
    Appended retained = await(j.append(key, draft("k6", "again")));
    assertFalse(retained.created());
    assertEquals(6, retained.frame().seq());
    Appended trimmed = await(j.append(key, draft("k1", "again")));
    assertTrue(trimmed.created());
    assertEquals(9, trimmed.frame().seq());
    assertEquals(5, await(j.info(key)).oldest());
  }

  @Test
  void epochIsStableAndPerThread() {
    Journal j = journal(100);
    ThreadKey a = freshKey("u");
    ThreadKey b = new ThreadKey(a.sub(), "t2");
    String epoch = await(j.info(a)).epoch();
    await(j.append(a, draft("k1", "x"), epoch));
    assertEquals(epoch, await(j.info(a)).epoch());
    assertEquals(epoch, await(j.read(a, 0, 1)).get(0).epoch());
    assertNotEquals(epoch, await(j.info(b)).epoch());
  }

  @Test
  void threadsAndUsersAreIndependent() {
    Journal j = journal(100);
    ThreadKey alice = freshKey("alice");
    ThreadKey aliceOther = new ThreadKey(alice.sub(), "t2");
    ThreadKey bob = new ThreadKey(alice.sub() + "-bob", alice.thread());
    await(j.append(alice, draft("k1", "alice-1")));
    await(j.append(alice, draft("k2", "alice-2")));
    Appended bobFirst = await(j.append(bob, draft("k1", "bob-1")));
    Appended otherFirst = await(j.append(aliceOther, draft("k1", "other-1")));
    assertTrue(bobFirst.created());
    assertEquals(1, bobFirst.frame().seq());
    assertEquals("bob-1", bobFirst.frame().dataString("text"));
    assertTrue(otherFirst.created());
    assertEquals(1, otherFirst.frame().seq());
    assertEquals(2, await(j.info(alice)).head());
    assertEquals(1, await(j.info(bob)).head());
    assertEquals(List.of("alice-1", "alice-2"),
        await(j.read(alice, 0, 10)).stream().map(f -> f.dataString("text")).toList());
  }

  @Test
  void pendingJobsAreKeptPerShardInSaveOrder() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    int shard = (int) (UNIQUE.incrementAndGet() % 1000) + 1000;
    PendingJob first = new PendingJob(key, "s1", "hello", 0);
    PendingJob second = new PendingJob(new ThreadKey(key.sub(), "t2"), "s2", "again", 0);
    PendingJob elsewhere = new PendingJob(key, "s3", "other shard", 0);
    await(j.savePendingJob(shard, first));
    await(j.savePendingJob(shard, second));
    await(j.savePendingJob(shard + 1, elsewhere));
    assertEquals(List.of(first, second), await(j.pendingJobs(shard)));
    // Saving again (a new attempt) replaces the job in place.
    PendingJob firstRetried = new PendingJob(key, "s1", "hello", 3);
    await(j.savePendingJob(shard, firstRetried));
    assertEquals(List.of(firstRetried, second), await(j.pendingJobs(shard)));
    assertEquals(List.of(elsewhere), await(j.pendingJobs(shard + 1)));
    await(j.removePendingJob(shard, key, "s1"));
    await(j.removePendingJob(shard, key, "unknown"));
    assertEquals(List.of(second), await(j.pendingJobs(shard)));
    await(j.removePendingJob(shard, second.key(), "s2"));
    await(j.removePendingJob(shard + 1, key, "s3"));
    assertTrue(await(j.pendingJobs(shard)).isEmpty());
    assertTrue(await(j.pendingJobs(shard + 1)).isEmpty());
  }

  @Test
  void concurrentAppendsKeepSeqsUniqueAndContiguous() throws Exception {
    Journal j = journal(10_000);
    ThreadKey key = freshKey("u");
    int perCaller = 200;
    List<List<Future<Appended>>> results = List.of(new ArrayList<>(), new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    List<java.lang.Thread> callers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      int caller = c;
      java.lang.Thread t = new java.lang.Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          java.lang.Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perCaller; i++) {
          results.get(caller).add(j.append(key, draft("c" + caller + "-" + i, "x")));
        }
      });
      t.start();
      callers.add(t);
    }
    go.countDown();
    for (java.lang.Thread t : callers) {
      t.join(30_000);
    }
    Set<Long> all = new TreeSet<>();
    for (List<Future<Appended>> mine : results) {
      assertEquals(perCaller, mine.size());
      long last = 0;
      for (Future<Appended> f : mine) {
        Appended a = await(f);
        assertTrue(a.created());
        assertTrue(a.frame().seq() > last, "one caller's appends keep their order");
        last = a.frame().seq();
        all.add(a.frame().seq());
      }
    }
    assertEquals(new TreeSet<>(seqs(1, 2 * perCaller)), all);
    assertEquals(2L * perCaller, await(j.info(key)).head());
    assertEquals(seqs(1, 2 * perCaller), seqsOf(await(j.read(key, 0, 10_000))));
  }

  @Test
  void aStaleOwnerCannotAppendOnceAnotherClaimsTheShardAndUsesNoSeq() {
    Journal first = journal(100);
    Journal second = peer(first, 100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    long firstToken = await(first.claimShard(shard));
    assertEquals(1, await(first.append(key, draft("k1", "by first"))).frame().seq());
    long secondToken = await(second.claimShard(shard));
    assertTrue(secondToken > firstToken, "tokens grow per claim");

    JournalFencedException fenced = assertThrows(JournalFencedException.class,
        () -> await(first.append(key, draft("k2", "stale"))));
    assertEquals(shard, fenced.shard());
    assertEquals(firstToken, fenced.heldToken());
    assertEquals(secondToken, fenced.currentToken());
    // Even a key already journaled is refused: the stale owner learns it lost the shard.
    assertThrows(JournalFencedException.class, () -> await(first.append(key, draft("k1", "x"))));

    Appended next = await(second.append(key, draft("k2", "by second")));
    assertTrue(next.created());
    assertEquals(2, next.frame().seq());
    assertEquals("by second", next.frame().dataString("text"));
    assertEquals(2, await(first.info(key)).head(), "reads are not fenced");
    assertEquals(seqs(1, 2), seqsOf(await(first.read(key, 0, 10))));
  }

  @Test
  void aFencedAppendAllWritesNothing() {
    Journal first = journal(100);
    Journal second = peer(first, 100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    await(first.claimShard(shard));
    assertEquals(2, await(first.appendAll(key, List.of(draft("k1", "a"), draft("k2", "b")))).size());
    await(second.claimShard(shard));
    JournalFencedException fenced = assertThrows(JournalFencedException.class,
        () -> await(first.appendAll(key, List.of(draft("k3", "stale"), draft("k4", "stale")))));
    assertEquals(shard, fenced.shard());
    assertEquals(2, await(first.info(key)).head());
    List<Appended> next = await(second.appendAll(key, List.of(draft("k3", "c"))));
    assertEquals(3, next.get(0).frame().seq());
    assertEquals("c", next.get(0).frame().dataString("text"));
  }

  @Test
  void aJournalThatNeverClaimedWritesOnlyUntilSomeoneClaims() {
    Journal first = journal(100);
    Journal second = peer(first, 100);
    ThreadKey key = freshKey("u");
    ThreadKey elsewhere = otherShardThan(key);
    assertEquals(1, await(first.append(key, draft("k1", "x"))).frame().seq());
    await(second.claimShard(shardOf(key)));
    assertThrows(JournalFencedException.class, () -> await(first.append(key, draft("k2", "x"))));
    assertEquals(1, await(first.append(elsewhere, draft("k1", "x"))).frame().seq(),
        "other shards stay writable");
    assertEquals(2, await(second.append(key, draft("k2", "x"))).frame().seq());
  }

  @Test
  void onlyTheLatestClaimWritesAndAReleasedShardIsFenced() {
    Journal first = journal(100);
    Journal second = peer(first, 100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    await(first.claimShard(shard));
    await(second.claimShard(shard));
    long reclaimed = await(first.claimShard(shard));
    assertEquals(1, await(first.append(key, draft("k1", "x"))).frame().seq());
    assertThrows(JournalFencedException.class, () -> await(second.append(key, draft("k2", "x"))));
    first.releaseShard(shard);
    JournalFencedException released = assertThrows(JournalFencedException.class,
        () -> await(first.append(key, draft("k2", "x"))));
    assertEquals(0, released.heldToken());
    assertEquals(reclaimed, released.currentToken());
    assertTrue(await(first.claimShard(shard)) > reclaimed);
    assertEquals(2, await(first.append(key, draft("k2", "x"))).frame().seq());
  }

  @Test
  void pendingJobWritesAreFencedLikeAppends() {
    Journal first = journal(100);
    Journal second = peer(first, 100);
    ThreadKey key = freshKey("u");
    int shard = (int) (UNIQUE.incrementAndGet() % 1000) + 2000;
    PendingJob job = new PendingJob(key, "s1", "hello", 0);
    await(first.claimShard(shard));
    await(first.savePendingJob(shard, job));
    await(second.claimShard(shard));
    assertThrows(JournalFencedException.class,
        () -> await(first.savePendingJob(shard, new PendingJob(key, "s2", "late", 0))));
    assertThrows(JournalFencedException.class,
        () -> await(first.removePendingJob(shard, key, "s1")));
    assertEquals(List.of(job), await(second.pendingJobs(shard)), "the new owner finds the job");
    await(second.removePendingJob(shard, key, "s1"));
    assertTrue(await(first.pendingJobs(shard)).isEmpty());
  }

  @Test
  void aSendJournalsItsMessageAndPendingJobTogetherOnlyOnce() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    await(j.claimShard(shard)); // other tests may have claimed this shard of the shared store
    PendingJob job = new PendingJob(key, "s1", "hello", 0);
    Appended first = await(j.appendSend(key, FrameDraft.userMessage("s1", "hello"), job));
    assertTrue(first.created());
    assertEquals(1, first.frame().seq());
    assertEquals(List.of(job), pendingOf(j, shard, key));
    await(j.removePendingJob(shard, key, "s1"));
    // A repeated send answers the first seq and does not bring a finished job back.
    Appended again = await(j.appendSend(key, FrameDraft.userMessage("s1", "other text"),
        new PendingJob(key, "s1", "other text", 0)));
    assertFalse(again.created());
    assertEquals(1, again.frame().seq());
    assertEquals("hello", again.frame().dataString("text"));
    assertTrue(pendingOf(j, shard, key).isEmpty());
  }

  @Test
  void aFencedSendWritesNeitherMessageNorJob() {
    Journal first = journal(100);
    Journal second = peer(first, 100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    await(first.claimShard(shard));
    await(second.claimShard(shard));
    assertThrows(JournalFencedException.class, () -> await(first.appendSend(key,
        FrameDraft.userMessage("s1", "late"), new PendingJob(key, "s1", "late", 0))));
    assertEquals(0, await(second.info(key)).head());
    assertTrue(pendingOf(second, shard, key).isEmpty());
  }

  @Test
  void anEndingBatchForgetsItsPendingJobInTheSameWrite() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    PendingJob job = sendWithPendingJob(j, key);
    await(j.appendAll(key, replyDrafts("s1", 0, 2)));
    assertEquals(List.of(job), pendingOf(j, shard, key));
    List<FrameDraft> ending = replyDrafts("s1", 2, 5);
    List<Appended> all = await(j.appendEnding(key, ending, null, "s1"));
    assertEquals(3, all.size());
    assertTrue(Journal.forgotPending(ending, all));
    assertEquals(6, all.get(2).frame().seq());
    assertTrue(pendingOf(j, shard, key).isEmpty(), "the reply ended: not pending any more");
  }

  @Test
  void anEndingBatchThatFindsItsEndingJournaledLeavesTheRecordToTheCaller() {
    Journal j = journal(100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    PendingJob job = sendWithPendingJob(j, key);
    await(j.appendAll(key, replyDrafts("s1", 0, 5)));
    List<FrameDraft> again = replyDrafts("s1", 3, 5);
    List<Appended> found = await(j.appendEnding(key, again, null, "s1"));
    assertEquals(1, found.size(), "stops at the first frame journaled already");
    assertFalse(Journal.forgotPending(again, found));
    assertEquals(List.of(job), pendingOf(j, shard, key));
    List<FrameDraft> last = replyDrafts("s1", 4, 5);
    assertFalse(Journal.forgotPending(last, await(j.appendEnding(key, last, null, "s1"))));
    assertEquals(List.of(job), pendingOf(j, shard, key));
  }

  /** The takeover a relay does: claim the shard, read its pending jobs (ShardHost). */
  @Test
  void aTakeoverAfterTheEndingFindsNoPendingJobAndAFencedEndingKeepsIt() {
    Journal first = journal(100);
    Journal second = peer(first, 100);
    ThreadKey key = freshKey("u");
    int shard = shardOf(key);
    await(first.claimShard(shard));
    PendingJob ended = new PendingJob(key, "s1", "hello", 1);
    PendingJob cut = new PendingJob(key, "s2", "again", 1);
    await(first.appendSend(key, FrameDraft.userMessage("s1", "hello"), ended));
    await(first.appendEnding(key, replyDrafts("s1", 0, 5), null, "s1"));
    await(first.appendSend(key, FrameDraft.userMessage("s2", "again"), cut));
    await(second.claimShard(shard));
    assertEquals(List.of(cut), pendingOf(second, shard, key), "only the reply not ended resumes");
    assertThrows(JournalFencedException.class,
        () -> await(first.appendEnding(key, replyDrafts("s2", 0, 5), null, "s2")));
    assertEquals(List.of(cut), pendingOf(second, shard, key), "a fenced ending forgets nothing");
    assertEquals(7, await(second.info(key)).head(), "and writes nothing");
  }

  /** Claims {@code key}'s shard on {@code j} and journals send "s1" with its pending job. */
  private PendingJob sendWithPendingJob(Journal j, ThreadKey key) {
    await(j.claimShard(shardOf(key)));
    PendingJob job = new PendingJob(key, "s1", "hello", 1);
    await(j.appendSend(key, FrameDraft.userMessage("s1", "hello"), job));
    return job;
  }

  /**
   * Frames {@code from} (inclusive) to {@code to} (exclusive) of job {@code job}'s reply of five:
   * typing on, two chunks, the message, typing off (the ending, index 4).
   */
  private static List<FrameDraft> replyDrafts(String job, int from, int to) {
    List<FrameDraft> whole = List.of(
        FrameDraft.reply(job, 0, FrameKind.TYPING, new JsonObject().put("on", true)),
        FrameDraft.reply(job, 1, FrameKind.CHUNK, new JsonObject().put("text", "a").put("index", 0)),
        FrameDraft.reply(job, 2, FrameKind.CHUNK, new JsonObject().put("text", "b").put("index", 1)),
        FrameDraft.reply(job, 3, FrameKind.MESSAGE, new JsonObject().put("text", "ab")),
        FrameDraft.reply(job, 4, FrameKind.TYPING, new JsonObject().put("on", false)));
    return whole.subList(from, to);
  }

  /** The pending jobs of {@code key} only: other tests share the shard in a shared store. */
  private static List<PendingJob> pendingOf(Journal j, int shard, ThreadKey key) {
    return await(j.pendingJobs(shard)).stream().filter(p -> p.key().equals(key)).toList();
  }

  /** A key of the same user on another shard than {@code key}. */
  private static ThreadKey otherShardThan(ThreadKey key) {
    for (int i = 2; ; i++) {
      ThreadKey other = new ThreadKey(key.sub(), "t" + i);
      if (shardOf(other) != shardOf(key)) {
        return other;
      }
    }
  }

  private static List<Long> seqs(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }

  private static List<Long> seqsOf(List<Frame> frames) {
    return frames.stream().map(Frame::seq).toList();
  }
}
