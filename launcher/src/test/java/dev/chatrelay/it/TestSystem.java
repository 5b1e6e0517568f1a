package dev.chatrelay.it;

import dev.chatrelay.gateway.GatewayConfig;
import dev.chatrelay.gateway.GatewayRuntime;
import dev.chatrelay.gateway.GatewayVerticle;
import dev.chatrelay.launcher.ConfigLoader;
import dev.chatrelay.launcher.FreePorts;
import dev.chatrelay.launcher.LaunchPlan;
import dev.chatrelay.launcher.RunningSystem;
import dev.chatrelay.launcher.SystemLauncher;
import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded system started in this JVM through the same path as {@code Main} (vertx-config
 * with a given environment → {@link LaunchPlan} → {@link SystemLauncher}), on a free port, plus a
 * separate client-side Vert.x for the test's sockets and HTTP calls.
 */
public final class TestSystem implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TestSystem.class);

  /** RELAY_ADMIN_TOKEN of the test systems. */
  public static final String ADMIN_TOKEN = "integration-test-admin-token";

  private final RunningSystem system;
  private final Map<String, String> environment;
  private final int port;
  private final Vertx clients = Vertx.vertx();
  private final Tokens tokens = Tokens.standard();
  private final HistoryApi api;
  private final List<AutoCloseable> opened = new ArrayList<>();

  private TestSystem(RunningSystem system, Map<String, String> environment, int port) {
    this.system = system;
    this.environment = environment;
    this.port = port;
    this.api = new HistoryApi(clients, port);
  }

  /** The environment every test system starts from; small timings only where a test asks. */
  public static Builder configure() {
    return new Builder()
        .set("RELAY_JWT_HS256_SECRET", Tokens.SECRET)
        .set("RELAY_ADMIN_TOKEN", ADMIN_TOKEN)
        .set("RELAY_GATEWAY_INSTANCES", "2")
        .set("RELAY_SCRIPTED_DELAY_MS", "2")
        .set("RELAY_SHUTDOWN_TIMEOUT_MS", "10000")
        // Tests read history far faster than a person: only RateLimitIT tests the HTTP limit.
        .set("RELAY_HTTP_RATE_PER_S", "100000")
        .set("RELAY_HTTP_RATE_BURST", "100000")
        // Likewise for a user's sends: only LimitsIT tests the per-user send quota.
        .set("RELAY_SEND_RATE_PER_S", "100000")
        .set("RELAY_SEND_BURST", "100000");
  }

  public static TestSystem start() {
    return configure().start();
  }

  /** Environment for {@link ConfigLoader}; a null value leaves the variable unset. */
  public static final class Builder {
    private final Map<String, String> environment = new LinkedHashMap<>();

    public Builder set(String name, String value) {
      environment.put(name, value);
      return this;
    }

    public Builder unset(String name) {
      environment.remove(name);
      return this;
    }

    public TestSystem start() {
      Map<String, String> env = new LinkedHashMap<>(environment);
      env.putIfAbsent("RELAY_HTTP_PORT", String.valueOf(FreePorts.find()));
      LaunchPlan plan = LaunchPlan.from(ConfigLoader.load(env));
      RunningSystem system = SystemLauncher.start(plan).await();
      int port = plan.gateway().httpPort();
      LOG.info("test system started port={} env={}", port, env.keySet());
      return new TestSystem(system, Map.copyOf(env), port);
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  public RunningSystem running() {
    return system;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Vertx clientVertx() {
    return clients;
  }

  public Tokens tokens() {
    return tokens;
  }

  public HistoryApi api() {
    return api;
  }

  /** A valid HS256 token for {@code sub}, an hour long. */
  public String token(String sub) {
    return tokens.valid(sub);
  }

  public WsTestClient connect(WsTestClient.Options options) {
    return connect(port, options);
  }

  public WsTestClient connect() {
    return connect(WsTestClient.Options.defaults());
  }

  public WsTestClient connect(int gatewayPort, WsTestClient.Options options) {
    WsTestClient client = WsTestClient.open(clients, gatewayPort, options);
    synchronized (opened) {
      opened.add(client);
    }
    return client;
  }

  /** Connected and welcomed as {@code sub}. */
  public WsTestClient connectAs(String sub) {
    WsTestClient client = connect();
    client.hello(token(sub));
    return client;
  }

  /**
   * Deploys one more gateway, with its own runtime, on a new port of the same Vert.x: a second
   * gateway process in miniature, so drained sessions have somewhere to resume.
   */
  public int deployExtraGateway() {
    int extraPort = FreePorts.find();
    JsonObject values = system.plan().values().copy()
        .put("RELAY_HTTP_PORT", String.valueOf(extraPort));
    GatewayConfig config = GatewayConfig.from(new ConfigSource(values));
    GatewayRuntime runtime = new GatewayRuntime();
    system.vertx().deployVerticle(() -> new GatewayVerticle(config, runtime),
        new DeploymentOptions().setInstances(1)).await();
    runtime.markReady();
    LOG.info("extra gateway deployed port={}", extraPort);
    return extraPort;
  }

  @Override
  public void close() {
    synchronized (opened) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing test client failed cause={}", e.toString());
        }
      }
    }
    api.close();
    try {
      system.shutdown().await();
    } finally {
      clients.close().await();
    }
  }
}
