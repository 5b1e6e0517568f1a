package dev.chatrelay.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RELAY_UPGRADE_TIMEOUT_MS: an incomplete request is cut when the time is up. */
@ExtendWith(VertxExtension.class)
class UpgradeDeadlineTest {

  private GatewayHarness gw;

  @BeforeEach
  void deploy(Vertx vertx) {
    gw = new GatewayHarness(vertx, Map.of(ClientLimits.UPGRADE_TIMEOUT_MS, "300"));
  }

  @AfterEach
  void close() {
    gw.close();
  }

  @Test
  void aHalfUpgradeIsClosedAfterTheTimeout() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", gw.port()), 2_000);
      socket.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5_000);
      long start = System.nanoTime();
      InputStream in = socket.getInputStream();
      int read;
      try {
        read = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("still open after 5 s");
      } catch (IOException reset) {
        read = -1;
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(read < 0 && ms >= 200 && ms < 3_000, "closed after " + ms + " ms, read " + read);
    }
  }
}
