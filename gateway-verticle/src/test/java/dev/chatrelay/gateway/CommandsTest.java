package dev.chatrelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.SendAccepted;
import dev.chatrelay.protocol.bus.SendCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** send, cancel and ping over the socket, and how relay failures and retries surface. */
@ExtendWith(VertxExtension.class)
class CommandsTest {

  private GatewayHarness gw;

  @BeforeEach
  void deploy(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of(GatewayConfig.BUS_TIMEOUT_MS, "400", GatewayConfig.BUS_RETRY_MS, "10"));
  }

  @AfterEach
  void close() {
    gw.close();
  }

  private static JsonObject send(String id) {
    return new JsonObject().put("type", "send").put("thread", "t").put("id", id).put("text", "hello");
  }

  @Test
  void sendIsJournaledForTheTokensUserAndAnsweredAccepted() {
    gw.relay.onSend = cmd -> Future.succeededFuture(new SendAccepted(17));
    WsClient c = gw.open("alice");
    c.send(send("m1"));
    assertEquals(new JsonObject().put("type", "accepted").put("id", "m1").put("thread", "t").put("seq", 17),
        c.next("accepted"));
    SendCommand cmd = gw.relay.commands(SendCommand.TAG, SendCommand::fromJson).get(0);
    assertEquals("alice", cmd.key().sub());
    assertEquals("hello", cmd.text());
  }

  @Test
  void relayFailuresMapToErrorCodesWithTheSendIdAsRef() {
    WsClient c = gw.open("alice");
    int[] codes = {BusFailure.BAD_REQUEST, BusFailure.FORBIDDEN, BusFailure.INTERNAL};
    String[] expected = {"bad_request", "forbidden", "internal"};
    for (int i = 0; i < codes.length; i++) {
      int code = codes[i];
      gw.relay.onSend = cmd -> Future.failedFuture(FakeRelay.failure(code));
      c.send(send("m" + i));
      JsonObject error = c.next("error");
      assertEquals(expected[i], error.getString("code"));
      assertEquals("m" + i, error.getString("ref"));
    }
  }

  @Test
  void notOwnerIsRetriedUntilTheRelayAnswers() {
    AtomicInteger attempts = new AtomicInteger();
    gw.relay.onSend = cmd -> attempts.incrementAndGet() < 3
        ? Future.failedFuture(FakeRelay.failure(BusFailure.NOT_OWNER))
        : Future.succeededFuture(new SendAccepted(5));
    WsClient c = gw.open("alice");
    c.send(send("m1"));
    assertEquals(5, c.next("accepted").getLong("seq"));
    assertEquals(3, attempts.get());
  }

  @Test
  void noRelayAtAllAnswersInternalAfterTheBusTimeout() {
    gw.relay.stop();
    WsClient c = gw.open("alice");
    long start = System.nanoTime();
    c.send(send("m1"));
    JsonObject error = c.next("error");
    assertEquals("internal", error.getString("code"));
    assertEquals("m1", error.getString("ref"));
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 300, "retried until close to the 400 ms timeout");
  }

  @Test
  void cancelWithNothingInProgressAnswersNotFoundWithReplyTo() {
    WsClient c = gw.open("alice");
    c.send(new JsonObject().put("type", "cancel").put("thread", "t").put("replyTo", "m1"));
    JsonObject error = c.next("error");
    assertEquals("not_found", error.getString("code"));
    assertEquals("m1", error.getString("ref"));
  }

  @Test
  void successfulCancelAnswersNothing() {
    gw.relay.onCancel = cmd -> Future.succeededFuture();
    WsClient c = gw.open("alice");
    c.send(new JsonObject().put("type", "cancel").put("thread", "t").put("replyTo", "m1"));
    c.expectQuiet();
    CancelCommand cmd = gw.relay.commands(CancelCommand.TAG, CancelCommand::fromJson).get(0);
    assertEquals("m1", cmd.replyTo());
    assertEquals("alice", cmd.key().sub());
  }

  @Test
  void pingAnswersPong() {
    WsClient c = gw.open("alice");
    c.send(new JsonObject().put("type", "ping"));
    assertEquals(new JsonObject().put("type", "pong"), c.next());
  }
}
