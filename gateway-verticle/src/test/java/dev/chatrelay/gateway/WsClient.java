package dev.chatrelay.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test client: collects server messages in order and the close code. */
public final class WsClient {

  /** How long a test waits for one expected message or close. */
  public static final Duration WAIT = Duration.ofSeconds(5);

  public final WebSocket ws;
  private final WebSocketClient client;
  private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
  /** Everything received so far, in order. */
  public final List<JsonObject> all = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      JsonObject json = new JsonObject(text);
      all.add(json);
      inbox.add(json);
    });
    ws.closeHandler(v -> closed = true);
  }

  /** Connects without an Origin header unless {@code options} adds one. */
  public static WsClient connect(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(withOriginRule(options)).await();
    return new WsClient(client, ws);
  }

  /** Vert.x adds an Origin of its own unless told not to, and then drops any Origin at all. */
  public static WebSocketConnectOptions withOriginRule(WebSocketConnectOptions options) {
    boolean explicit = options.getHeaders() != null && options.getHeaders().contains("Origin");
    return options.setAllowOriginHeader(explicit);
  }

  public static WebSocketConnectOptions options(int port) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
  }

  public WsClient send(JsonObject message) {
    ws.writeTextMessage(message.encode());
    return this;
  }

  public WsClient sendText(String text) {
    ws.writeTextMessage(text);
    return this;
  }

  /** The next message, failing the test after {@link #WAIT}. */
  public JsonObject next() {
    try {
      JsonObject m = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(m, "no message within " + WAIT + "; got so far: " + all);
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next message, which must have {@code type}. */
  public JsonObject next(String type) {
    JsonObject m = next();
    assertEquals(type, m.getString("type"), "unexpected message " + m);
    return m;
  }

  /** Skips messages until one of {@code type} arrives. */
  public JsonObject nextOfType(String type) {
    while (true) {
      JsonObject m = next();
      if (type.equals(m.getString("type"))) {
        return m;
      }
    }
  }

  /**
   * Proves nothing else is queued: a ping's pong comes back next (the server answers in order),
   * so any message the server wrote before it would show up first.
   */
  public void expectQuiet() {
    send(new JsonObject().put("type", "ping"));
    next("pong");
  }

  /** Sends a ping and reads up to its pong; returns early when the server closes. */
  public void expectQuietOrClosed() {
    if (closed) {
      return;
    }
    send(new JsonObject().put("type", "ping"));
    await().atMost(WAIT).until(() -> closed || all.stream().anyMatch(m -> "pong".equals(m.getString("type"))));
    inbox.clear();
    all.removeIf(m -> "pong".equals(m.getString("type")));
  }

  /** Waits for the server to close and returns its close code. */
  public int awaitClose() {
    await().atMost(WAIT).until(() -> closed);
    Short code = ws.closeStatusCode();
    assertNotNull(code, "closed without a status code");
    return code;
  }

  public boolean isClosed() {
    return closed;
  }

  public String subprotocol() {
    return ws.subProtocol();
  }

  public void close() {
    if (!closed) {
      ws.close().await();
    }
    client.close().await();
  }
}
