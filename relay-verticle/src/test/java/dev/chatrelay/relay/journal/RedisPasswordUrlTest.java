package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The Kubernetes manifests give relays {@code RELAY_REDIS_URL=redis://:<password>@host:6379/0}
 * against a Redis with {@code requirepass}: the journal authenticates with the URL's password,
 * and a wrong or missing password fails the start (the relay exits instead of serving).
 */
class RedisPasswordUrlTest {

  /** Hex, as k8s/README.md creates it (`openssl rand -hex 32`): URL-safe as is. */
  private static final String PASSWORD = "3f9c2b7a41d0e8f6a5b4c3d2e1f00112233445566778899aabbccddeeff0011";
  private static RedisServer server;
  private static int port;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
        .setting("save \"\"").setting("appendonly no").setting("requirepass " + PASSWORD)
        .build();
    server.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws IOException {
    vertx.close().await();
    server.stop();
  }

  private static Future<RedisJournal> connect(String url) {
    return RedisJournal.connect(vertx, RedisJournalOptions.defaults(url)
        .withKeyPrefix(TestRedis.uniquePrefix(RedisPasswordUrlTest.class))
        .withReconnect(50, 200));
  }

  @Test
  void theUrlPasswordAuthenticatesTheJournal() {
    RedisJournal journal = connect("redis://:" + PASSWORD + "@127.0.0.1:" + port + "/0").await();
    try {
      ThreadKey thread = new ThreadKey("user", "password-url");
      Appended appended = journal.append(thread, new FrameDraft("k1", "id-1", FrameKind.CHUNK, "r1",
          new JsonObject().put("text", "hello"))).await();
      assertEquals(1, appended.frame().seq());
      assertTrue(journal.connected());
    } finally {
      journal.close().await();
    }
  }

  @Test
  void aWrongOrMissingPasswordFailsTheStart() {
    for (String url : new String[] {
        "redis://:wrong-password@127.0.0.1:" + port + "/0", "redis://127.0.0.1:" + port + "/0"}) {
      Future<RedisJournal> start = connect(url);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(start::isComplete);
      assertTrue(start.failed(), url + " must not connect");
    }
  }
}
