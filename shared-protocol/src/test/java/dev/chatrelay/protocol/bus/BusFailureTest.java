package dev.chatrelay.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class BusFailureTest {

  private static ReplyException failed(int code) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, "x");
  }

  /** Only workers wait out an unreachable journal; clients are told internal and retry. */
  @Test
  void anUnavailableJournalIsInternalForClientsAndNotARetryForTheGateway() {
    assertTrue(BusFailure.unavailable(failed(BusFailure.UNAVAILABLE)));
    assertFalse(BusFailure.unavailable(failed(BusFailure.INTERNAL)));
    assertFalse(BusFailure.retryable(failed(BusFailure.UNAVAILABLE)));
    assertEquals(ErrorCode.INTERNAL, BusFailure.toErrorCode(failed(BusFailure.UNAVAILABLE)));
    assertTrue(BusFailure.retryable(failed(BusFailure.NOT_OWNER)));
  }
}
