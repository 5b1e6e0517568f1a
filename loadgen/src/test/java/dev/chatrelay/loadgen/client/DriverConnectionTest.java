package dev.chatrelay.loadgen.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.loadgen.check.ThreadView;
import dev.chatrelay.loadgen.check.Violations;
import dev.chatrelay.loadgen.report.RunStats;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One driver connection against a scripted server that records what the client says. */
class DriverConnectionTest {

  static final int CHUNKS = 36;
  static final int FRAMES = CHUNKS + 4;

  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** hello → welcome; subscribe → subscribed, one 40-frame reply, then a ping. */
  private int startScriptedServer() {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().addWebSocketSubProtocol(Connector.SUBPROTOCOL));
    server.webSocketHandler(ws -> ws.textMessageHandler(text -> {
      JsonObject m = new JsonObject(text);
      received.add(m);
      switch (m.getString("type")) {
        case "hello" -> ws.writeTextMessage("{\"type\":\"welcome\",\"session\":\"s\",\"heartbeat\":25000,\"exp\":1}");
        case "subscribe" -> {
          ws.writeTextMessage("{\"type\":\"subscribed\",\"thread\":\"t\",\"epoch\":\"e\",\"head\":0}");
          for (int seq = 1; seq <= FRAMES; seq++) {
            ws.writeTextMessage(frame(seq));
          }
          ws.writeTextMessage("{\"type\":\"ping\"}");
        }
        default -> { }
      }
    }));
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  /** Frame {@code seq} of one whole reply on thread t (seq 1 the user message). */
  static String frame(int seq) {
    String kind;
    String data;
    String replyTo = ",\"replyTo\":\"a\"";
    if (seq == 1) {
      kind = "user_message";
      data = "{\"text\":\"hi\"}";
      replyTo = "";
    } else if (seq == 2 || seq == FRAMES) {
      kind = "typing";
      data = "{\"on\":" + (seq == 2) + "}";
    } else if (seq == FRAMES - 1) {
      kind = "message";
      data = "{\"text\":\"" + "x".repeat(CHUNKS) + "\"}";
    } else {
      kind = "chunk";
      data = "{\"text\":\"x\",\"index\":" + (seq - 3) + "}";
    }
    String id = seq == 1 ? "a" : "a:" + seq;
    return "{\"type\":\"frame\",\"thread\":\"t\",\"epoch\":\"e\",\"seq\":" + seq + ",\"id\":\"" + id
        + "\",\"kind\":\"" + kind + "\",\"ts\":" + System.currentTimeMillis() + replyTo + ",\"data\":" + data + "}";
  }

  @Test
  void checksFramesAcksCumulativelyInBatchesAndAnswersPing() {
    int port = startScriptedServer();
    Violations violations = new Violations();
    RunStats stats = new RunStats();
    Connector connector = new Connector(vertx, URI.create("ws://127.0.0.1:" + port + "/ws"), 1, 1,
        AckPolicy.defaults(), stats, violations);
    ThreadView view = new ThreadView("c", "t", 100, violations);
    DriverConnection conn = new DriverConnection(connector, "c", "token", List.of(view), false);

    conn.open().await();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().anyMatch(m -> m.getString("type").equals("pong"))
        && received.stream().anyMatch(m -> m.getString("type").equals("ack") && m.getLong("seq") == FRAMES));

    assertEquals(0, violations.count(), violations.first().toString());
    assertEquals(FRAMES, view.lastSeq());
    assertTrue(view.quiescent());
    assertEquals("token", received.get(0).getString("token"));
    assertEquals(0L, received.get(1).getLong("after"));
    List<Long> acks = received.stream().filter(m -> m.getString("type").equals("ack"))
        .map(m -> m.getLong("seq")).collect(Collectors.toList());
    assertEquals(List.of(16L, 32L, (long) FRAMES), acks, "one ack per 16 frames, the rest after the delay");
    assertEquals(FRAMES, stats.totalFrames());
    conn.close().await();
  }

  @Test
  void cutClosesWithoutACloseHandshake() {
    int port = startScriptedServer();
    Violations violations = new Violations();
    RunStats stats = new RunStats();
    Connector connector = new Connector(vertx, URI.create("ws://127.0.0.1:" + port + "/ws"), 1, 1,
        AckPolicy.defaults(), stats, violations);
    DriverConnection conn = new DriverConnection(connector, "c", "token",
        List.of(new ThreadView("c", "t", 100, violations)), false);
    conn.open().await();
    assertEquals(DriverConnection.ABNORMAL_CLOSE, conn.cut().await());
    assertEquals(0, violations.count(), violations.first().toString());
  }
}
