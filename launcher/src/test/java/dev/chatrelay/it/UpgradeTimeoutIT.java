package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PROTOCOL.md Limits: the HTTP upgrade request must arrive complete within the upgrade timeout
 * (here 2 s instead of 10 s), else the TCP connection is closed; a slowloris client that keeps
 * sending a header line every 300 ms is closed all the same. Upgraded sockets are not cut.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeTimeoutIT {

  private static final long TIMEOUT_MS = 2_000;
  private static final long KEEPALIVE_MS = 3_000;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure().set("RELAY_UPGRADE_TIMEOUT_MS", String.valueOf(TIMEOUT_MS))
        .set("RELAY_KEEPALIVE_TIMEOUT_MS", String.valueOf(KEEPALIVE_MS)).start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", system.port()), 5_000);
    return socket;
  }

  /** Milliseconds until the server closed the socket while {@code trickle} kept writing. */
  private static long msUntilClosed(Socket socket, boolean trickle) throws IOException {
    long start = System.nanoTime();
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    out.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout(300);
    int header = 0;
    while (System.nanoTime() - start < 5 * TIMEOUT_MS * 1_000_000) {
      try {
        if (in.read() < 0) {
          return (System.nanoTime() - start) / 1_000_000;
        }
      } catch (SocketTimeoutException e) {
        if (trickle) {
          try {
            out.write(("X-Slow-" + header++ + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException closed) {
            return (System.nanoTime() - start) / 1_000_000;
          }
        }
      } catch (IOException reset) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    }
    return -1;
  }

  @Test
  void aSlowlorisUpgradeIsClosedAfterTheTimeout() throws IOException {
    try (Socket socket = connect()) {
      long ms = msUntilClosed(socket, true);
      assertTrue(ms >= TIMEOUT_MS - 200 && ms <= TIMEOUT_MS + 2_000, "closed after " + ms + " ms");
    }
  }

  @Test
  void aHalfRequestThatStopsIsClosedToo() throws IOException {
    try (Socket socket = connect()) {
      long ms = msUntilClosed(socket, false);
      assertTrue(ms >= TIMEOUT_MS - 200 && ms <= TIMEOUT_MS + 2_000, "closed after " + ms + " ms");
    }
  }

  @Test
  void anUpgradedSocketOutlivesTheTimeout() throws InterruptedException {
    try (WsTestClient client = system.connectAs("slow-ok")) {
      long until = System.nanoTime() + 2 * TIMEOUT_MS * 1_000_000;
      while (System.nanoTime() < until) { // pings spread over twice the timeout
        Conversations.assertAlive(client);
        Thread.sleep(200); // pacing the client, not waiting for a condition
      }
      Conversations.assertAlive(client);
      assertEquals(false, client.isClosed());
    }
  }

  @Test
  void afterAResponseTheNextRequestHasTheKeepAliveTimeout() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.setSoTimeout(5_000);
      byte[] head = new byte[12];
      int n = socket.getInputStream().readNBytes(head, 0, head.length);
      assertEquals("HTTP/1.1 200", new String(head, 0, n, StandardCharsets.US_ASCII));
      long ms = msUntilClosed(socket, true);
      assertTrue(ms >= KEEPALIVE_MS - 200 && ms <= KEEPALIVE_MS + 2_000, "closed after " + ms + " ms");
    }
  }
}
