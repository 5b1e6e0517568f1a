package dev.chatrelay.it.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.Commands;
import dev.chatrelay.it.GatewayProbe;
import dev.chatrelay.it.RawWs;
import dev.chatrelay.it.TestSystem;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Clients that send without reading (issue 9: one such client grew the gateway heap by 820 MiB
 * in 8 s). PROTOCOL.md Limits: unsent output over 1 MiB stops reading the connection; staying
 * over for the slow-consumer time closes it 4008; every answered message counts toward the rate
 * (4029). The gateway's heap stays bounded and other users keep being served.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FloodSecurityIT {

  /** Heap growth allowed while one flooder is connected: a few MiB of buffers, plus GC noise. */
  private static final long HEAP_GROWTH_LIMIT = 48L << 20;
  private TestSystem system;

  @BeforeAll
  void start() {
    system = AttackSystem.start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private static RawWs helloRaw(TestSystem system, String sub) throws Exception {
    RawWs raw = RawWs.open(system.port());
    raw.sendText(Commands.hello(system.token(sub)).encode());
    return raw;
  }

  private double cutOffCloses() {
    return GatewayProbe.serverCloses(system, 4008) + GatewayProbe.serverCloses(system, 4029);
  }

  @Test
  void acksWithAHugeBadThreadFromANonReaderAreCutOffAndTheHeapStaysBounded() throws Exception {
    try (Victim victim = new Victim(system, "victim-ack-flood")) {
      victim.baseline();
      long heapBefore = GatewayProbe.usedHeapAfterGc();
      double closesBefore = cutOffCloses();
      String ack = new JsonObject().put("type", "ack").put("thread", "x y ".repeat(2_000)).put("seq", 1).encode();
      RawWs raw = helloRaw(system, "flooder-acks");
      try (Attacker attacker = new Attacker("acks", raw, () -> raw.sendText(ack))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> raw.bytesWritten() > (4L << 20) || attacker.cutOff());
        victim.assertStillServed("ack flood from a non-reading client");
        long heapDuring = GatewayProbe.usedHeapAfterGc();
        System.out.printf("heap ack-flood before_mib=%d during_mib=%d written_mib=%d%n", heapBefore >> 20,
            heapDuring >> 20, raw.bytesWritten() >> 20);
        assertTrue(heapDuring - heapBefore < HEAP_GROWTH_LIMIT, "heap grew by "
            + ((heapDuring - heapBefore) >> 20) + " MiB");
        // Reading stopped or the rate limit struck: either way it is closed (4008 or 4029).
        await().atMost(Duration.ofSeconds(30)).until(() -> cutOffCloses() > closesBefore);
      }
    }
  }

  @Test
  void aClientThatNeverReadsIsNoLongerReadThenClosed4008() throws Exception {
    try (Victim victim = new Victim(system, "victim-hoarder")) {
      victim.baseline();
      long heapBefore = GatewayProbe.usedHeapAfterGc();
      double fullBefore = GatewayProbe.counter(system, "relay_gateway_output_full_total");
      double slowBefore = GatewayProbe.serverCloses(system, 4008);
      RawWs raw = helloRaw(system, "hoarder");
      // Output it asks for and never reads: ten threads, each echoing nine 16 KB messages three
      // times over (user message, chunks, reply): about 4 MiB, far over the 1 MiB buffer.
      String text = "h".repeat(16_000);
      for (int t = 0; t < 10; t++) {
        raw.sendText(Commands.subscribe("hoard-" + t, 0).encode());
      }
      for (int i = 0; i < 9; i++) {
        for (int t = 0; t < 10; t++) {
          raw.sendText(Commands.send("hoard-" + t, "s" + i, text).encode());
        }
      }
      // Then it keeps writing (pongs padded to 16 KB: neither answered nor rate limited).
      String pong = new JsonObject().put("type", "pong").put("pad", "p".repeat(16_000)).encode();
      try (Attacker attacker = new Attacker("hoarder", raw, () -> raw.sendText(pong))) {
        await().atMost(Duration.ofSeconds(20))
            .until(() -> GatewayProbe.counter(system, "relay_gateway_output_full_total") > fullBefore);
        // No longer read: its writes stall once the socket buffers between are full.
        long[] last = {raw.bytesWritten(), System.nanoTime()};
        await().atMost(Duration.ofSeconds(AttackSystem.SLOW_CONSUMER_MS / 1000 + 10))
            .pollInterval(Duration.ofMillis(100)).until(() -> {
              long now = raw.bytesWritten();
              if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
              }
              return System.nanoTime() - last[1] > 1_000_000_000L || attacker.cutOff();
            });
        victim.assertStillServed("a client that never reads");
        long heapDuring = GatewayProbe.usedHeapAfterGc();
        System.out.printf("heap hoarder before_mib=%d during_mib=%d written_mib=%d%n", heapBefore >> 20,
            heapDuring >> 20, raw.bytesWritten() >> 20);
        assertTrue(heapDuring - heapBefore < HEAP_GROWTH_LIMIT, "heap grew by "
            + ((heapDuring - heapBefore) >> 20) + " MiB");
        await().atMost(Duration.ofSeconds(AttackSystem.SLOW_CONSUMER_MS / 1000 + 10))
            .until(() -> GatewayProbe.serverCloses(system, 4008) > slowBefore);
        // Closed means closed: the TCP connection goes too (after the close handshake's timeout).
        assertTrue(raw.readUntilClosed(20_000) >= 0, "the server closed the TCP connection");
      }
    }
  }
}
