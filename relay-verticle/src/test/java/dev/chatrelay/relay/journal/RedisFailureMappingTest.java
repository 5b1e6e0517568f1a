package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.chatrelay.relay.journal.RedisFailures.Kind;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.redis.client.impl.types.ErrorType;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/**
 * Which Redis failures count as an outage (workers retry those; see BusFailure 504), by type and
 * by error code, never by free text. Error replies are built as the client builds them from a
 * {@code -CODE text} line ({@link ErrorType#create}).
 */
class RedisFailureMappingTest {

  private static Kind reply(String line) {
    return RedisFailures.kind(ErrorType.create(line));
  }

  @Test
  void failuresWithNoReplyFromRedisAreOutages() {
    // Found by ClusterChaosIT (Redis restarted): a reset, a send on a closed connection.
    assertEquals(Kind.UNAVAILABLE, RedisFailures.kind(new SocketException("Connection reset")));
    assertEquals(Kind.UNAVAILABLE, RedisFailures.kind(new ClosedChannelException()));
    assertEquals(Kind.UNAVAILABLE, RedisFailures.kind(new IOException()));
    assertEquals(Kind.UNAVAILABLE, RedisFailures.kind(new NoStackTraceThrowable("Connection is closed")));
    assertEquals(Kind.UNAVAILABLE, RedisFailures.kind(new JournalTimeoutException("no answer")));
    // Whatever a future client version writes in its text: no reply is no reply.
    assertEquals(Kind.UNAVAILABLE, RedisFailures.kind(new IllegalStateException("some new wording")));
  }

  @Test
  void errorRepliesOfARedisThatCannotServeNowAreOutages() {
    for (String line : new String[] {"LOADING Redis is loading the dataset in memory",
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
        "READONLY You can't write against a read only replica.",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
        "TRYAGAIN Multiple keys request during rehashing of slot", "CLUSTERDOWN The cluster is down",
        "NOREPLICAS Not enough good replicas to write.",
        "OOM command not allowed when used memory > 'maxmemory'.", "CONNECTION_CLOSED"}) {
      assertEquals(Kind.UNAVAILABLE, reply(line), line);
    }
  }

  @Test
  void fencingAndMissingScriptsHaveKindsOfTheirOwn() {
    assertEquals(Kind.FENCED, reply("FENCED 12"));
    assertEquals("12", RedisFailures.argument(ErrorType.create("FENCED 12")));
    assertEquals(Kind.NO_SCRIPT, reply("NOSCRIPT No matching script. Please use EVAL."));
    // Text that merely looks like a code is not one: only a reply has a code.
    assertEquals(Kind.UNAVAILABLE, RedisFailures.kind(new RuntimeException("FENCED 12")));
  }

  @Test
  void redisRefusingTheCommandPassesAsItIs() {
    for (String line : new String[] {"ERR Error running script", "ERR Connection is closed",
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        "NOPERM this user has no permissions", ""}) {
      assertEquals(Kind.REFUSED, reply(line), line);
      ErrorType err = ErrorType.create(line);
      assertSame(err, RedisJournal.unavailable(err).cause());
    }
  }

  @Test
  void anOutageBecomesJournalUnavailable() {
    SocketException reset = new SocketException("Connection reset");
    JournalUnavailableException mapped = assertInstanceOf(JournalUnavailableException.class,
        RedisJournal.unavailable(reset).cause());
    assertSame(reset, mapped.getCause());
    assertInstanceOf(JournalUnavailableException.class,
        RedisJournal.unavailable(ErrorType.create("LOADING")).cause());
  }
}
