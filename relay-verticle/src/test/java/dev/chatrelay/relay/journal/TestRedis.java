package dev.chatrelay.relay.journal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The Redis the tests use, picked once per JVM: {@code RELAY_TEST_REDIS_URL} when set (the value
 * {@code embedded} forces the embedded one), else 127.0.0.1:6379 when it answers PING, else a
 * redis-server started from the embedded-redis jar on a free port and stopped at JVM exit. Tests
 * share it with other runs, so each uses its own key prefix ({@link #uniquePrefix}) and never
 * flushes.
 */
public final class TestRedis {

  private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
  /** How long a PING to the default Redis may take before the tests start their own. */
  private static final int PING_TIMEOUT_MS = 300;
  private static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private static String url;

  private TestRedis() {}

  public static synchronized String url() {
    if (url == null) {
      url = pick();
    }
    return url;
  }

  /** A key prefix no other test class or run uses, e.g. {@code crtest:RedisJournalTest:3f2a..:}. */
  public static String uniquePrefix(Class<?> testClass) {
    return "crtest:" + testClass.getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8)
        + ":";
  }

  /** A plain client for test-side commands (inspecting keys, killing connections). */
  public static Redis admin(Vertx vertx) {
    return Redis.createClient(vertx, url());
  }

  public static Future<Response> send(Redis admin, Command command, Object... args) {
    Request r = Request.cmd(command);
    for (Object a : args) {
      r.arg(a.toString());
    }
    return admin.send(r);
  }

  /** Every key starting with {@code prefix}, by SCAN (never KEYS on a shared server). */
  public static List<String> keys(Redis admin, String prefix) {
    List<String> out = new ArrayList<>();
    String cursor = "0";
    do {
      Response page = send(admin, Command.SCAN, cursor, "MATCH", globEscape(prefix) + "*",
          "COUNT", 1000).await();
      cursor = page.get(0).toString();
      page.get(1).forEach(k -> out.add(k.toString()));
    } while (!"0".equals(cursor));
    return out;
  }

  /** Deletes every key starting with {@code prefix}: the "Redis was flushed" of one test. */
  public static void deleteKeys(Redis admin, String prefix) {
    for (String key : keys(admin, prefix)) {
      send(admin, Command.DEL, key).await();
    }
  }

  private static String globEscape(String s) {
    return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
  }

  private static String pick() {
    String configured = System.getenv("RELAY_TEST_REDIS_URL");
    if (configured != null && !configured.isBlank() && !"embedded".equals(configured)) {
      log.info("test redis from RELAY_TEST_REDIS_URL");
      return configured;
    }
    if (configured == null && answersPing("127.0.0.1", 6379)) {
      log.info("test redis at {}", DEFAULT_URL);
      return DEFAULT_URL;
    }
    return startEmbedded();
  }

  private static boolean answersPing(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), PING_TIMEOUT_MS);
      socket.setSoTimeout(PING_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = new byte[7];
      int n = in.readNBytes(answer, 0, answer.length);
      return new String(answer, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static String startEmbedded() {
    try {
      int port = freePort();
      RedisServer server = RedisServer.newRedisServer()
          .bind("127.0.0.1")
          .port(port)
          .setting("save \"\"")
          .setting("appendonly no")
          .build();
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.stop();
        } catch (IOException e) {
          log.warn("embedded redis did not stop port={}", port, e);
        }
      }, "embedded-redis-stop"));
      log.info("test redis embedded port={}", port);
      return "redis://127.0.0.1:" + port;
    } catch (IOException e) {
      throw new IllegalStateException("no Redis for the tests: none at 127.0.0.1:6379 and the "
          + "embedded redis-server did not start", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
