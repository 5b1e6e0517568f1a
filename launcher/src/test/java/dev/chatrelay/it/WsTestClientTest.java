package dev.chatrelay.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket client of the harness against a scripted fake server. */
class WsTestClientTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<ServerWebSocket> serverSide = new AtomicReference<>();
  private final AtomicReference<String> origin = new AtomicReference<>();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<Short> serverSawClose = new AtomicReference<>();
  private HttpServer server;

  @BeforeEach
  void startFakeServer() {
    server = vertx.createHttpServer(new HttpServerOptions().addWebSocketSubProtocol("relay.v1"))
        .webSocketHandshakeHandler(handshake -> {
          origin.set(handshake.headers().get("Origin"));
          authorization.set(handshake.headers().get("Authorization"));
          if (handshake.path().equals("/refuse")) {
            handshake.reject(403);
          } else {
            handshake.accept();
          }
        })
        .webSocketHandler(ws -> {
          serverSide.set(ws);
          ws.closeHandler(v -> serverSawClose.set(ws.closeStatusCode()));
          ws.textMessageHandler(text -> {
            received.add(text);
            JsonObject m = new JsonObject(text);
            switch (m.getString("type")) {
              case "hello" -> ws.writeTextMessage(new JsonObject().put("type", "welcome")
                  .put("session", "s1").put("heartbeat", 25000).put("exp", 1).encode());
              case "frames" -> {
                ws.writeTextMessage("{\"type\":\"ping\"}");
                for (int seq = 1; seq <= 3; seq++) {
                  ws.writeTextMessage(new JsonObject().put("type", "frame").put("thread", "t")
                      .put("seq", seq).encode());
                }
              }
              case "kick" -> ws.close((short) 4401, "expired");
              default -> { }
            }
          });
        })
        .listen(0).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private WsTestClient open(WsTestClient.Options options) {
    return WsTestClient.open(vertx, server.actualPort(), options);
  }

  @Test
  void helloWelcomeAndSubprotocol() {
    try (WsTestClient client = open(WsTestClient.Options.defaults())) {
      assertEquals("relay.v1", client.subProtocol());
      JsonObject welcome = client.hello("tok");
      assertEquals("s1", welcome.getString("session"));
      assertEquals("{\"type\":\"hello\",\"token\":\"tok\"}", received.get(0));
      assertNull(origin.get(), "no Origin unless asked");
      assertNull(authorization.get());
    }
  }

  @Test
  void pingsAreAnsweredFramesAckedAndQueuedInOrder() {
    try (WsTestClient client = open(WsTestClient.Options.defaults())) {
      client.send(new JsonObject().put("type", "frames"));
      for (int seq = 1; seq <= 3; seq++) {
        assertEquals(seq, client.next("frame").getLong("seq"));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 5);
      assertEquals("{\"type\":\"pong\"}", received.get(1));
      assertEquals(1, client.pingsAnswered());
      assertTrue(received.get(4).contains("\"type\":\"ack\"") && received.get(4).contains("3"));
      assertNull(client.poll(Duration.ofMillis(50), true), "nothing else queued");
    }
  }

  @Test
  void withoutAutoPongAndAckPingsAreMessages() {
    try (WsTestClient client = open(WsTestClient.Options.defaults().autoPong(false)
        .autoAck(false))) {
      client.send(new JsonObject().put("type", "frames"));
      assertEquals("ping", client.next().getString("type"));
      client.next("frame");
      client.next("frame");
      client.next("frame");
      assertEquals(1, received.size(), "no pong, no acks");
    }
  }

  @Test
  void closeCodeIsRecordedAndNextFailsFast() {
    try (WsTestClient client = open(WsTestClient.Options.defaults())) {
      client.send(new JsonObject().put("type", "kick"));
      assertEquals(4401, client.awaitClose());
      assertEquals("expired", client.closeReason());
      AssertionError e =
          assertThrows(AssertionError.class, () -> client.next(Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains("4401"), e.getMessage());
    }
  }

  @Test
  void fragmentsAfterTheServersCloseAreNotAnError() {
    try (WsTestClient client = open(WsTestClient.Options.defaults())) {
      client.send(new JsonObject().put("type", "kick"));
      assertEquals(4401, client.awaitClose());
      client.sendFragmented("x".repeat(100), 10); // like a 4513 that lands mid-message
      assertEquals((short) 4401, client.closeCode());
    }
  }

  @Test
  void headersAreSentWhenAsked() {
    try (WsTestClient client = open(WsTestClient.Options.defaults().origin("http://x.example")
        .bearer("abc").subProtocols(List.of()))) {
      assertEquals("http://x.example", origin.get());
      assertEquals("Bearer abc", authorization.get());
      assertNull(client.subProtocol());
    }
  }

  @Test
  void refusedUpgradeSurfacesTheStatus() {
    Exception e = assertThrows(Exception.class,
        () -> open(WsTestClient.Options.defaults().uri("/refuse")));
    assertTrue(e instanceof UpgradeRejectedException, e.toString());
    assertEquals(403, ((UpgradeRejectedException) e).getStatus());
  }

  @Test
  void dropClosesWithoutACloseFrame() {
    WsTestClient client = open(WsTestClient.Options.defaults());
    client.hello("tok");
    client.drop();
    await().atMost(Duration.ofSeconds(5)).until(() -> serverSide.get().isClosed());
    assertEquals((short) 1006, serverSawClose.get(), "abnormal closure: no close frame was sent");
    assertTrue(client.isClosed());
  }
}
