package dev.chatrelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A deployed gateway (one or more instances) with a fake relay, and clients to talk to it. */
public final class GatewayHarness implements AutoCloseable {

  public static final String ALLOWED_ORIGIN = "http://allowed.example";
  public static final int SHARDS = 4;

  public final Vertx vertx;
  public final GatewayConfig config;
  public final GatewayRuntime runtime;
  public final FakeRelay relay;
  public final Clock clock;
  public final List<GatewayVerticle> instances = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();

  /** Test defaults: quick sweeps, slow heartbeats (tests that need them set them). */
  public static Map<String, Object> baseConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(GatewayConfig.HTTP_PORT, "0"); // own random port; multi-instance tests use -1 (shared)
    c.put(GatewayConfig.JWT_HS256_SECRET, TestTokens.SECRET);
    c.put(GatewayConfig.ALLOWED_ORIGINS, ALLOWED_ORIGIN);
    c.put(GatewayConfig.SHARDS, Integer.toString(SHARDS));
    c.put(GatewayConfig.HEARTBEAT_MS, "600000");
    c.put(GatewayConfig.HELLO_TIMEOUT_MS, "5000");
    c.put(GatewayConfig.SWEEP_MS, "20");
    c.put(GatewayConfig.BUS_TIMEOUT_MS, "2000");
    c.put(GatewayConfig.BUS_RETRY_MS, "10");
    return c;
  }

  public GatewayHarness(Vertx vertx, Map<String, Object> overrides) {
    this(vertx, overrides, Clock.SYSTEM, 1);
  }

  public GatewayHarness(Vertx vertx, Map<String, Object> overrides, Clock clock, int instanceCount) {
    this(vertx, overrides, clock, instanceCount, new GatewayRuntime());
  }

  /** With a given runtime, e.g. a clustered one with a test membership. */
  public GatewayHarness(Vertx vertx, Map<String, Object> overrides, Clock clock, int instanceCount,
      GatewayRuntime runtime) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.clock = clock;
    Map<String, Object> values = baseConfig();
    values.putAll(overrides);
    this.config = GatewayConfig.from(ConfigSource.of(values));
    this.relay = new FakeRelay(vertx, config.shards()).start();
    for (int i = 0; i < instanceCount; i++) {
      GatewayVerticle verticle = new GatewayVerticle(config, runtime, clock);
      vertx.deployVerticle(verticle).await();
      instances.add(verticle);
    }
  }

  public int port() {
    return instances.get(0).actualPort();
  }

  public WebSocketConnectOptions options() {
    return WsClient.options(port());
  }

  public WsClient connect(WebSocketConnectOptions options) {
    WsClient client = WsClient.connect(vertx, options);
    clients.add(client);
    return client;
  }

  public WsClient connect() {
    return connect(options());
  }

  /** Connects, says hello as {@code sub} and reads the welcome. */
  public WsClient open(String sub) {
    WsClient client = connect();
    client.send(hello(token(sub)));
    JsonObject welcome = client.next("welcome");
    assertEquals(config.heartbeatMs(), welcome.getLong("heartbeat"));
    return client;
  }

  public String token(String sub) {
    return TestTokens.hs256(sub, clock.millis());
  }

  public static JsonObject hello(String token) {
    JsonObject hello = new JsonObject().put("type", "hello");
    return token == null ? hello : hello.put("token", token);
  }

  public static JsonObject hello(String token, JsonArray resume) {
    return hello(token).put("resume", resume);
  }

  @Override
  public void close() {
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // already closed by the server: nothing left to release
      }
    });
  }
}
