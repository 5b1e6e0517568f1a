package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** Which Redis client failures count as an outage (workers retry those; see BusFailure 504). */
class RedisFailureMappingTest {

  @Test
  void aClosedOrResetConnectionIsAnOutage() {
    // Found by ClusterChaosIT (Redis restarted): appends in flight failed with a reset.
    Future<Object> reset = RedisJournal.unavailable(new SocketException("Connection reset"));
    assertInstanceOf(JournalUnavailableException.class, reset.cause());
    Future<Object> closed = RedisJournal.unavailable(new IllegalStateException("CONNECTION_CLOSED"));
    assertInstanceOf(JournalUnavailableException.class, closed.cause());
    Future<Object> sentOnClosed = RedisJournal.unavailable(new RuntimeException("Connection is closed"));
    assertInstanceOf(JournalUnavailableException.class, sentOnClosed.cause());
  }

  @Test
  void redisOwnAnswersPassAsTheyAre() {
    RuntimeException scriptError = new RuntimeException("ERR Error running script");
    assertSame(scriptError, RedisJournal.unavailable(scriptError).cause());
    RuntimeException noMessage = new RuntimeException();
    assertSame(noMessage, RedisJournal.unavailable(noMessage).cause());
  }
}
