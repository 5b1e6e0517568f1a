package dev.chatrelay.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ServerMessagesTest {

  private static JsonObject json(String wire) {
    return new JsonObject(wire);
  }

  @Test
  void encodesEveryServerMessageWithItsFields() {
    assertEquals(new JsonObject().put("type", "welcome").put("session", "s1").put("heartbeat", 25000)
        .put("exp", 1700000000L), json(ServerMessages.welcome("s1", 25000, 1700000000L)));
    assertEquals(new JsonObject().put("type", "subscribed").put("thread", "t").put("epoch", "e")
        .put("head", 7), json(ServerMessages.subscribed("t", "e", 7)));
    assertEquals(new JsonObject().put("type", "reset").put("thread", "t").put("epoch", "e")
        .put("head", 7).put("reason", "retention"), json(ServerMessages.reset("t", "e", 7, "retention")));
    assertEquals(new JsonObject().put("type", "accepted").put("id", "m\"1").put("thread", "t")
        .put("seq", 3), json(ServerMessages.accepted("m\"1", "t", 3)));
    assertEquals(new JsonObject().put("type", "unsubscribed").put("thread", "t"),
        json(ServerMessages.unsubscribed("t")));
    assertEquals(new JsonObject().put("type", "refreshed").put("exp", 5), json(ServerMessages.refreshed(5)));
    assertEquals(new JsonObject().put("type", "token_expiring").put("exp", 5),
        json(ServerMessages.tokenExpiring(5)));
    assertEquals(new JsonObject().put("type", "ping"), json(ServerMessages.ping()));
    assertEquals(new JsonObject().put("type", "pong"), json(ServerMessages.pong()));
  }

  @Test
  void errorCarriesCodeMessageAndOptionalRef() {
    assertEquals(new JsonObject().put("type", "error").put("code", "too_large").put("message", "big")
        .put("ref", "m1"), json(ServerMessages.error(ErrorCode.TOO_LARGE, "big", "m1")));
    JsonObject noRef = json(ServerMessages.error(ErrorCode.RATE_LIMITED, "slow down", null));
    assertEquals("rate_limited", noRef.getString("code"));
    assertEquals(false, noRef.containsKey("ref"));
  }

  @Test
  void refIsCutTo128CharsAndNeverSplitsASurrogatePair() {
    String huge = "x".repeat(60_000);
    assertEquals("x".repeat(ServerMessages.MAX_REF_CHARS),
        json(ServerMessages.error(ErrorCode.BAD_REQUEST, "bad", huge)).getString("ref"));
    String pairAtTheCut = "y".repeat(ServerMessages.MAX_REF_CHARS - 1) + "\uD83D\uDE00zz";
    assertEquals("y".repeat(ServerMessages.MAX_REF_CHARS - 1), ServerMessages.cutRef(pairAtTheCut));
    String exact = "t".repeat(ServerMessages.MAX_REF_CHARS);
    assertEquals(exact, ServerMessages.cutRef(exact));
  }

  @Test
  void limitExceededIsAnErrorCodeOnTheWire() {
    assertEquals("limit_exceeded", json(ServerMessages.error(ErrorCode.LIMIT_EXCEEDED, "m", "t")).getString("code"));
  }
}
