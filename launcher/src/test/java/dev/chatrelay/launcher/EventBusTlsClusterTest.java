package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes with certificates from scripts/make-eventbus-certs.sh form a cluster whose event bus
 * works; a rogue process joins the same Hazelcast cluster (membership is unauthenticated in the
 * open-source edition) but, without a certificate from that CA, its event-bus frames never reach
 * a node and no node's frames reach it. Rogues: one in plaintext, one with TLS under another CA.
 */
class EventBusTlsClusterTest {

  private static final String GATEWAY_ADDRESS = "tls-test.gateway";
  private static final String SHARD_ADDRESS = "tls-test.shard";
  private static final long REQUEST_TIMEOUT_MS = 1_500;

  @TempDir
  Path dir;

  private final List<VertxFactory.Created> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    for (VertxFactory.Created node : nodes) {
      node.vertx().close().await();
    }
  }

  @Test
  void processesWithoutTheCertificateCannotReceiveOrInjectFrames() throws Exception {
    Path certs = makeCerts(dir.resolve("cluster"));
    Path otherCa = makeCerts(dir.resolve("other-ca"));
    String name = "tls-test-" + UUID.randomUUID();
    int portA = FreePorts.find();
    int portB = FreePorts.find();
    int portPlain = FreePorts.find();
    int portForeign = FreePorts.find();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;

    VertxFactory.Created a = start(name, portA, members, tls(certs));
    VertxFactory.Created b = start(name, portB, members, tls(certs));
    Map<String, String> off = Map.of(EventBusTls.MODE, "off");
    VertxFactory.Created plain = start(name, portPlain, members, off);
    VertxFactory.Created foreign = start(name, portForeign, members, tls(otherCa));
    // All four are Hazelcast members: the certificate guards the event bus, not membership.
    await().atMost(Duration.ofSeconds(30)).until(() ->
        a.clusterManager().getNodes().size() == 4 && b.clusterManager().getNodes().size() == 4);

    // A "gateway" consumer on A; B, the legitimate peer, reaches it over TLS.
    AtomicInteger gatewayGotFromRogue = new AtomicInteger();
    a.vertx().eventBus().<String>consumer(GATEWAY_ADDRESS, m -> {
      if (m.body().startsWith("rogue")) {
        gatewayGotFromRogue.incrementAndGet();
      }
      m.reply("ok");
    });
    awaitReachable(b, GATEWAY_ADDRESS);

    // A "shard" consumed by B and, impersonating it, by both rogues.
    AtomicInteger shardAtB = new AtomicInteger();
    b.vertx().eventBus().<String>consumer(SHARD_ADDRESS, m -> {
      shardAtB.incrementAndGet();
      m.reply("b");
    });
    List<AtomicInteger> rogueGot = new ArrayList<>();
    for (VertxFactory.Created rogue : List.of(plain, foreign)) {
      AtomicInteger got = new AtomicInteger();
      rogueGot.add(got);
      rogue.vertx().eventBus().<String>consumer(SHARD_ADDRESS, m -> {
        got.incrementAndGet();
        m.reply("rogue");
      });
    }
    // The registrations travel through Hazelcast (unprotected): A knows three consumers.
    awaitReachable(a, SHARD_ADDRESS);

    // Inject: every request from a rogue to the gateway fails, none is delivered.
    List<Future<Boolean>> injected = new ArrayList<>();
    for (VertxFactory.Created rogue : List.of(plain, foreign)) {
      for (int i = 0; i < 5; i++) {
        injected.add(rogue.vertx().eventBus().<String>request(GATEWAY_ADDRESS, "rogue-" + i,
                new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS))
            .map(m -> true).otherwise(false));
      }
    }
    // Receive: A sends to the shard 30 times (round robin over three consumers) and publishes.
    List<Future<String>> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add(a.vertx().eventBus().<String>request(SHARD_ADDRESS, "frame-" + i,
              new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS))
          .map(Message::body).otherwiseEmpty());
    }
    Future.join(injected).await();
    Future.join(sent).await();
    for (Future<Boolean> answered : injected) {
      assertEquals(false, answered.result(), "a rogue's request was answered");
    }
    long answeredByB = 0;
    for (Future<String> reply : sent) {
      if (reply.result() != null) {
        assertEquals("b", reply.result(), "only B may answer");
        answeredByB++;
      }
    }
    int before = shardAtB.get();
    for (int i = 0; i < 10; i++) {
      a.vertx().eventBus().publish(SHARD_ADDRESS, "published-" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> shardAtB.get() == before + 10);
    // A round trip A -> B -> A after everything the rogues sent or were sent.
    awaitReachable(b, GATEWAY_ADDRESS);

    assertTrue(answeredByB >= 1, "the legitimate node kept serving");
    assertEquals(0, gatewayGotFromRogue.get(), "frames injected by a rogue reached the gateway");
    assertEquals(List.of(0, 0), rogueGot.stream().map(AtomicInteger::get).toList(),
        "frames reached a rogue (plaintext, foreign CA)");
  }

  /** CA rotation (docs/SECURITY.md): with both CAs trusted, old and new certificates talk. */
  @Test
  void duringACaRotationOldAndNewCertificatesTrustEachOther() throws Exception {
    Path oldCa = makeCerts(dir.resolve("old"));
    Path newCa = makeCerts(dir.resolve("new"));
    Path bundle = dir.resolve("both-ca.crt");
    java.nio.file.Files.writeString(bundle, java.nio.file.Files.readString(oldCa.resolve("ca.crt"))
        + java.nio.file.Files.readString(newCa.resolve("ca.crt")));
    String name = "tls-rotation-" + UUID.randomUUID();
    int portA = FreePorts.find();
    int portB = FreePorts.find();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    VertxFactory.Created a = start(name, portA, members, tls(oldCa, bundle));
    VertxFactory.Created b = start(name, portB, members, tls(newCa, bundle));
    a.vertx().eventBus().<String>consumer("rotation.a", m -> m.reply("a"));
    b.vertx().eventBus().<String>consumer("rotation.b", m -> m.reply("b"));
    awaitReachable(b, "rotation.a");
    awaitReachable(a, "rotation.b");
  }

  private static Map<String, String> tls(Path certs, Path trusted) {
    return Map.of(EventBusTls.CERT, certs.resolve("tls.crt").toString(),
        EventBusTls.KEY, certs.resolve("tls.key").toString(),
        EventBusTls.CA, trusted.toString());
  }

  private VertxFactory.Created start(String name, int port, String members,
      Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put(ClusterConfig.NAME, name);
    env.put(ClusterConfig.MEMBERS, members);
    env.put(ClusterConfig.PORT, String.valueOf(port));
    VertxFactory.Created node =
        VertxFactory.create(ClusterConfig.from(ConfigSource.of(env))).await();
    nodes.add(node);
    return node;
  }

  private static Map<String, String> tls(Path certs) {
    return Map.of(EventBusTls.CERT, certs.resolve("tls.crt").toString(),
        EventBusTls.KEY, certs.resolve("tls.key").toString(),
        EventBusTls.CA, certs.resolve("ca.crt").toString());
  }

  /** Registrations reach other members asynchronously: retry until a request is answered. */
  private static void awaitReachable(VertxFactory.Created from, String address) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
        from.vertx().eventBus().request(address, "probe",
                new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS))
            .map(m -> true).otherwise(false).await());
  }

  /** Runs the repository's script, as an operator would. */
  private static Path makeCerts(Path out) throws IOException, InterruptedException {
    Path script = Path.of("..", "scripts", "make-eventbus-certs.sh").toAbsolutePath();
    Process p = new ProcessBuilder("bash", script.toString(), out.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "make-eventbus-certs.sh failed: " + output);
    return out;
  }
}
