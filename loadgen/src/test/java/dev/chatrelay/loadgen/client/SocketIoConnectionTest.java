package dev.chatrelay.loadgen.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.loadgen.check.ThreadView;
import dev.chatrelay.loadgen.check.Violations;
import dev.chatrelay.loadgen.report.RunStats;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One driver connection with --protocol socketio against a scripted Engine.IO server. */
class SocketIoConnectionTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> upgrades = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** open → connect(auth) → connected; subscribe → subscribed, one reply with offsets, a ping, a send. */
  private int startScriptedServer() {
    HttpServer server = vertx.createHttpServer();
    server.webSocketHandler(ws -> {
      upgrades.add(ws.uri() + " subprotocol=" + ws.headers().get("Sec-WebSocket-Protocol"));
      ws.writeTextMessage("0{\"sid\":\"e1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
      ws.textMessageHandler(text -> {
        received.add(text);
        if (text.startsWith("40")) {
          ws.writeTextMessage("40{\"sid\":\"s1\"}");
        } else if (text.startsWith("42[\"subscribe\"")) {
          ws.writeTextMessage("42[\"subscribed\",{\"type\":\"subscribed\",\"thread\":\"t\",\"epoch\":\"e\",\"head\":0}]");
          for (int seq = 1; seq <= DriverConnectionTest.FRAMES; seq++) {
            ws.writeTextMessage("42[\"frame\"," + DriverConnectionTest.frame(seq) + ",\"1700000000000-" + seq + "\"]");
          }
          ws.writeTextMessage("2");
        }
      });
    });
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  @Test
  void speaksEngineIoChecksFramesAndSendsNoAcks() {
    int port = startScriptedServer();
    Violations violations = new Violations();
    RunStats stats = new RunStats();
    Connector connector = new Connector(vertx, URI.create("ws://127.0.0.1:" + port + EngineIo.PATH),
        WireProtocol.SOCKETIO, 1, 1, AckPolicy.defaults(), stats, violations);
    ThreadView view = new ThreadView("c", "t", 100, violations);
    DriverConnection conn = new DriverConnection(connector, "c", "tok", List.of(view), false);

    conn.open().await();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("3") && view.lastSeq() == DriverConnectionTest.FRAMES);
    conn.run(() -> conn.send(view, "b", "hi"));
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 4);

    assertEquals(0, violations.count(), violations.first().toString());
    assertEquals(List.of(EngineIo.PATH + " subprotocol=null"), upgrades);
    assertEquals("40{\"token\":\"tok\"}", received.get(0));
    assertEquals("42[\"subscribe\",{\"type\":\"subscribe\",\"thread\":\"t\",\"after\":0}]", received.get(1));
    assertEquals("3", received.get(2));
    assertEquals("42[\"send\",{\"type\":\"send\",\"thread\":\"t\",\"id\":\"b\",\"text\":\"hi\"}]", received.get(3));
    assertTrue(received.stream().noneMatch(t -> t.contains("\"ack\"")), "no acks over Socket.IO: " + received);
    assertEquals(DriverConnectionTest.FRAMES, stats.totalFrames());
    conn.close().await();
  }
}
