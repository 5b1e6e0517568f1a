package dev.chatrelay.relay.journal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per class of Redis failure, on a redis-server of the test's own (paused, killed,
 * busy, a replica): each outage class fails as {@link JournalUnavailableException} (a timeout as
 * {@link JournalTimeoutException}) and the journal works again once Redis does; fencing and a
 * refused command keep their own types.
 */
class RedisFailureClassesTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final String prefix = TestRedis.uniquePrefix(RedisFailureClassesTest.class);

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    vertx.close().await();
  }

  private OwnRedis redis(String... extra) {
    OwnRedis redis = OwnRedis.start(extra);
    closing.add(redis);
    return redis;
  }

  private RedisJournal journal(OwnRedis redis, long commandTimeoutMs) {
    return journal(redis.url(), commandTimeoutMs);
  }

  private RedisJournal journal(String url, long commandTimeoutMs) {
    RedisJournalOptions options = RedisJournalOptions.defaults(url)
        .withKeyPrefix(prefix)
        .withRetention(100, 600, Clock.SYSTEM)
        .withReconnect(50, 200)
        .withCommandTimeout(commandTimeoutMs);
    RedisJournal journal = RedisJournal.connect(vertx, options).await();
    closing.add(() -> journal.close().await());
    return journal;
  }

  private Redis admin(OwnRedis redis) {
    Redis admin = Redis.createClient(vertx, redis.url());
    closing.add(admin::close);
    return admin;
  }

  private static ThreadKey newThread() {
    return new ThreadKey("user", "t" + THREADS.incrementAndGet());
  }

  private static FrameDraft draft(String key) {
    return new FrameDraft(key, "id-" + key, FrameKind.CHUNK, "r1", new JsonObject().put("text", key));
  }

  private static Throwable failureOf(Future<?> f) {
    return assertThrows(Throwable.class, f::await, "expected a failure");
  }

  @Test
  void aRedisThatStopsAnsweringTimesOutAndServesAgainAfter() {
    OwnRedis redis = redis();
    RedisJournal journal = journal(redis, 300);
    ThreadKey thread = newThread();
    assertEquals(1, journal.append(thread, draft("a")).await().frame().seq());
    redis.pause();
    try {
      assertInstanceOf(JournalTimeoutException.class, failureOf(journal.append(thread, draft("b"))));
    } finally {
      redis.resume();
    }
    await().atMost(WAIT).until(journal::connected);
    // The timed-out append ran once Redis woke (outcome unknown is harmless: idempotent).
    Appended again = journal.append(thread, draft("b")).await();
    assertEquals(2, again.frame().seq());
    assertEquals(3, journal.append(thread, draft("c")).await().frame().seq());
  }

  @Test
  void aConnectionSilentPastTheTimeoutIsReplacedAndCallsFailFastMeanwhile() {
    OwnRedis redis = redis();
    RedisJournal journal = journal(redis, 300);
    ThreadKey thread = newThread();
    journal.append(thread, draft("a")).await();
    long silent = journal.connectionId().await();
    redis.pause();
    try {
      assertInstanceOf(JournalTimeoutException.class, failureOf(journal.append(thread, draft("b"))));
      // The silent connection is dropped: no call waits out another timeout behind it.
      await().atMost(WAIT).until(() -> !journal.connected());
      assertInstanceOf(JournalUnavailableException.class,
          failureOf(journal.append(thread, draft("c"))));
    } finally {
      redis.resume();
    }
    await().atMost(WAIT).until(journal::connected);
    assertTrue(journal.connectionId().await() != silent, "a new connection");
    assertEquals(2, journal.append(thread, draft("b")).await().frame().seq());
  }

  @Test
  void aReconnectToARedisThatAcceptsButNeverAnswersIsGivenUpAndTriedAgain() {
    OwnRedis redis = redis();
    SwallowingProxy proxy = SwallowingProxy.start(vertx, redis.port);
    closing.add(proxy);
    RedisJournal journal = journal(proxy.url(), 300);
    ThreadKey thread = newThread();
    journal.append(thread, draft("a")).await();
    proxy.swallow(true);
    proxy.dropAll();
    // Each attempt is accepted and never answered: given up after the timeout, tried again.
    int before = proxy.connections();
    await().atMost(WAIT).until(() -> proxy.connections() >= before + 2);
    assertInstanceOf(JournalUnavailableException.class,
        failureOf(journal.append(thread, draft("b"))));
    proxy.swallow(false);
    await().atMost(WAIT).until(journal::connected);
    assertEquals(2, journal.append(thread, draft("b")).await().frame().seq());
  }

  @Test
  void aConnectionResetWithTheCommandInFlightIsAnOutageAndTheJournalReconnects() {
    OwnRedis redis = redis();
    RedisJournal journal = journal(redis, 60_000);
    ThreadKey thread = newThread();
    journal.append(thread, draft("a")).await();
    redis.pause();
    Future<Appended> inFlight = journal.append(thread, draft("b"));
    redis.kill(); // SIGKILL while stopped: the kernel resets the connection
    assertInstanceOf(JournalUnavailableException.class, failureOf(inFlight));
    assertInstanceOf(JournalUnavailableException.class,
        failureOf(journal.append(thread, draft("c"))), "refused while reconnecting");
    redis.launch(); // same port, empty: the thread starts a new epoch
    await().atMost(WAIT).until(journal::connected);
    assertEquals(1, journal.append(thread, draft("d")).await().frame().seq());
  }

  @Test
  void aBusyRedisIsAnOutageUntilItsScriptEnds() {
    OwnRedis redis = redis("--busy-reply-threshold", "20");
    RedisJournal journal = journal(redis, 60_000);
    ThreadKey thread = newThread();
    journal.append(thread, draft("a")).await();
    // A script that spins for 1.5 s: other clients get -BUSY after the threshold.
    String spin = "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
        + "while true do local n = redis.call('TIME') "
        + "if n[1] * 1000000 + n[2] - s > 1500000 then break end end return 1";
    Future<Response> spinning = admin(redis).send(Request.cmd(Command.EVAL).arg(spin).arg(0));
    AtomicInteger busy = new AtomicInteger();
    await().atMost(WAIT).until(() -> {
      try {
        journal.info(thread).await();
        return false;
      } catch (JournalUnavailableException e) {
        if ("BUSY".equals(RedisFailures.errorCode(e.getCause()))) {
          busy.incrementAndGet();
          return true;
        }
        throw e;
      }
    });
    assertEquals(1, busy.get());
    spinning.await();
    assertEquals(2, journal.append(thread, draft("b")).await().frame().seq());
  }

  @Test
  void writesToAReadOnlyReplicaAreAnOutageNotAFailureForGood() {
    OwnRedis primary = redis();
    OwnRedis replica = redis("--replicaof", "127.0.0.1", String.valueOf(primary.port));
    RedisJournal journal = journal(replica, 60_000);
    Throwable failure = failureOf(journal.append(newThread(), draft("a")));
    JournalUnavailableException outage = assertInstanceOf(JournalUnavailableException.class, failure);
    assertEquals("READONLY", RedisFailures.errorCode(outage.getCause()));
  }

  @Test
  void aFlushedScriptCacheIsRunBySourceAndAWrongTypePassesAsARefusal() {
    OwnRedis redis = redis();
    RedisJournal journal = journal(redis, 60_000);
    Redis admin = admin(redis);
    ThreadKey thread = newThread();
    journal.append(thread, draft("a")).await();
    TestRedis.send(admin, Command.SCRIPT, "FLUSH").await();
    assertEquals(2, journal.append(thread, draft("b")).await().frame().seq(), "NOSCRIPT -> EVAL");

    ThreadKey broken = newThread();
    String meta = new RedisKeys(prefix, RedisJournalOptions.defaults(redis.url()).shards())
        .thread(broken).meta();
    TestRedis.send(admin, Command.SET, meta, "not a hash").await();
    Throwable refused = failureOf(journal.append(broken, draft("x")));
    assertFalse(refused instanceof JournalUnavailableException, "a refusal is no outage: " + refused);
    assertEquals(RedisFailures.Kind.REFUSED, RedisFailures.kind(refused));
  }

  @Test
  void aWriteAfterAnotherClaimIsFenced() {
    OwnRedis redis = redis();
    RedisJournal first = journal(redis, 60_000);
    ThreadKey thread = newThread();
    int shard = Shards.shardOf(thread, RedisJournalOptions.defaults(redis.url()).shards());
    first.claimShard(shard).await();
    first.append(thread, draft("a")).await();
    RedisJournal second = RedisJournal.connect(vertx, RedisJournalOptions.defaults(redis.url())
        .withKeyPrefix(prefix).withRetention(100, 600, Clock.SYSTEM)).await();
    closing.add(() -> second.close().await());
    long token = second.claimShard(shard).await();
    JournalFencedException fenced = assertInstanceOf(JournalFencedException.class,
        failureOf(first.append(thread, draft("b"))));
    assertEquals(token, fenced.currentToken());
    assertTrue(second.append(thread, draft("b")).await().created());
  }
}
