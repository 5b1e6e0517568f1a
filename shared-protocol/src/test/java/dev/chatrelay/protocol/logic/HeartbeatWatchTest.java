package dev.chatrelay.protocol.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.logic.HeartbeatWatch.Action;
import org.junit.jupiter.api.Test;

class HeartbeatWatchTest {

  private final FakeClock clock = new FakeClock(0);
  private final HeartbeatWatch watch = new HeartbeatWatch(1_000, clock);

  @Test
  void pingsWhenNothingWasSentForAnInterval() {
    clock.advance(500);
    watch.received();
    watch.sent();
    clock.advance(999);
    assertEquals(Action.NONE, watch.poll());
    clock.advance(1);
    assertEquals(Action.PING, watch.poll());
    assertEquals(Action.NONE, watch.poll(), "the ping counts as sent");
  }

  @Test
  void pingsWhenNothingWasReceivedEvenWhileSending() {
    for (int i = 0; i < 9; i++) {
      clock.advance(100);
      watch.sent();
      assertEquals(Action.NONE, watch.poll());
    }
    clock.advance(100);
    watch.sent();
    assertEquals(Action.PING, watch.poll(), "1 s without a client message");
    clock.advance(100);
    watch.sent();
    assertEquals(Action.NONE, watch.poll(), "at most one ping per interval for silence in");
  }

  @Test
  void closesAClientSilentForTwoIntervals() {
    clock.advance(1_000);
    assertEquals(Action.PING, watch.poll());
    clock.advance(999);
    assertEquals(Action.NONE, watch.poll());
    clock.advance(1);
    assertEquals(Action.CLOSE, watch.poll());
  }

  @Test
  void anyClientMessageKeepsItAlive() {
    for (int i = 0; i < 10; i++) {
      clock.advance(900);
      watch.received();
      watch.sent();
      assertEquals(Action.NONE, watch.poll());
    }
  }
}
