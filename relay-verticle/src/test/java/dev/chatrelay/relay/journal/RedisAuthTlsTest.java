package dev.chatrelay.relay.journal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal against a redis-server of its own that requires a password (with {@code /} and
 * {@code @} in it, percent-encoded in the URL), an ACL user, and TLS on a second port with a
 * certificate for 127.0.0.1 from a test CA. Needs {@code redis-server} (built with TLS, as
 * Debian's is) and {@code openssl} on PATH, which run-tests.sh installs.
 */
class RedisAuthTlsTest {

  /** Contains the two characters the old log redaction missed. */
  private static final String PASSWORD = "s3cr/t@pw";
  private static final String ENCODED = "s3cr%2Ft%40pw";
  private static final String ACL_USER = "relay";
  private static final String ACL_PASSWORD = "acl-pw";

  private static Path dir;
  private static Process server;
  private static int port;
  private static int tlsPort;
  private static final Vertx vertx = Vertx.vertx();
  private static final List<RedisJournal> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    Assumptions.assumeTrue(onPath("redis-server") && onPath("openssl"),
        "redis-server and openssl are needed (run-tests.sh installs them)");
    dir = Files.createTempDirectory("redis-auth-tls");
    makeServerCert(dir);
    port = freePort();
    tlsPort = freePort();
    Path acl = dir.resolve("users.acl");
    Files.writeString(acl, "user default on >" + PASSWORD + " ~* &* +@all\n"
        + "user " + ACL_USER + " on >" + ACL_PASSWORD + " ~* &* +@all\n");
    server = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "-::1", "--port",
        String.valueOf(port), "--tls-port", String.valueOf(tlsPort),
        "--tls-cert-file", dir.resolve("server.crt").toString(),
        "--tls-key-file", dir.resolve("server.key").toString(),
        "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "no",
        "--aclfile", acl.toString(), "--save", "", "--appendonly", "no")
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> listening(port) && listening(tlsPort));
  }

  @AfterAll
  static void stopServer() throws Exception {
    for (RedisJournal journal : opened) {
      journal.close().await();
    }
    vertx.close().await();
    if (server != null) {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  void aPasswordWithSlashAndAtWorksPercentEncoded() {
    RedisJournal journal = open("redis://:" + ENCODED + "@127.0.0.1:" + port,
        RedisJournalOptions.Tls.DEFAULT);
    assertRoundTrip(journal);
  }

  @Test
  void anAclUserAndPasswordWork() {
    RedisJournal journal = open("redis://" + ACL_USER + ":" + ACL_PASSWORD + "@127.0.0.1:" + port,
        RedisJournalOptions.Tls.DEFAULT);
    assertRoundTrip(journal);
  }

  @Test
  void aWrongOrMissingPasswordFailsAtConnectWithoutShowingIt() {
    for (String url : List.of("redis://:wrong%2Fpw@127.0.0.1:" + port,
        "redis://127.0.0.1:" + port)) {
      Throwable failure = assertThrows(Throwable.class, () -> open(url,
          RedisJournalOptions.Tls.DEFAULT));
      assertInstanceOf(JournalUnavailableException.class, failure);
      assertFalse(failure.getMessage().contains("wrong"), failure.getMessage());
    }
  }

  @Test
  void redissVerifiesTheServerAgainstTheConfiguredCaAndName() {
    String ca = dir.resolve("ca.crt").toString();
    assertRoundTrip(open("rediss://:" + ENCODED + "@localhost:" + tlsPort,
        new RedisJournalOptions.Tls(ca, true)));
    // The certificate names only "localhost": by IP it passes only without the host check.
    assertRoundTrip(open("rediss://:" + ENCODED + "@127.0.0.1:" + tlsPort,
        new RedisJournalOptions.Tls(ca, false)));
  }

  @Test
  void redissRefusesAServerTheTrustOrNameDoesNotCover() {
    // The JVM's trust store does not know the test CA.
    Throwable untrusted = assertThrows(Throwable.class, () -> open(
        "rediss://:" + ENCODED + "@localhost:" + tlsPort, RedisJournalOptions.Tls.DEFAULT));
    assertInstanceOf(JournalUnavailableException.class, untrusted);
    // Trusted CA, but the certificate does not name 127.0.0.1.
    Throwable wrongName = assertThrows(Throwable.class, () -> open(
        "rediss://:" + ENCODED + "@127.0.0.1:" + tlsPort,
        new RedisJournalOptions.Tls(dir.resolve("ca.crt").toString(), true)));
    assertInstanceOf(JournalUnavailableException.class, wrongName);
  }

  @Test
  void aPlainClientCannotTalkToTheTlsPort() {
    Throwable failure = assertThrows(Throwable.class, () -> open(
        "redis://:" + ENCODED + "@127.0.0.1:" + tlsPort, RedisJournalOptions.Tls.DEFAULT));
    assertInstanceOf(JournalUnavailableException.class, failure);
  }

  private static RedisJournal open(String url, RedisJournalOptions.Tls tls) {
    RedisJournalOptions options = RedisJournalOptions.defaults(url)
        .withUrl(url, tls)
        .withKeyPrefix(TestRedis.uniquePrefix(RedisAuthTlsTest.class))
        .withReconnect(50, 100);
    RedisJournal journal = RedisJournal.connect(vertx, options)
        .await();
    opened.add(journal);
    return journal;
  }

  private static void assertRoundTrip(RedisJournal journal) {
    ThreadKey key = new ThreadKey("user-" + UUID.randomUUID(), "t");
    Appended appended = journal.append(key, FrameDraft.userMessage("m1", "hello")).await();
    assertTrue(appended.created());
    assertEquals(1, journal.read(key, 0, 10).await().size());
  }

  /** A CA and a server certificate naming "localhost" only (not 127.0.0.1). */
  private static void makeServerCert(Path out) throws Exception {
    run(out, "openssl", "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=redis test CA");
    run(out, "openssl", "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost");
    Files.writeString(out.resolve("server.ext"), "subjectAltName=DNS:localhost\n");
    run(out, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + output);
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean listening(int p) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", p), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
