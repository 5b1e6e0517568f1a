package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.Commands;
import dev.chatrelay.it.Conversations;
import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.TestSystem;
import dev.chatrelay.it.Tokens;
import dev.chatrelay.it.WsTestClient;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.AppendAccepted;
import dev.chatrelay.protocol.bus.Delivery;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.JobTaken;
import dev.chatrelay.protocol.bus.SendAccepted;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every internal message can be lost (STYLE 16): the embedded system with a seeded fraction of
 * deliveries, acks, receipts, worker progress, dispatch answers, append answers, send
 * and subscribe answers lost on the bus. Every reply still completes, and every client's view
 * equals the journal: each frame once, in order. The seed is printed (and in every failure
 * message); {@code -Dloss.seed=<n>} runs a seed again.
 */
class BusLossTest {

  private static final Logger LOG = LoggerFactory.getLogger(BusLossTest.class);
  private static final int CLIENTS = 6;
  private static final int THREADS = 3;
  private static final int ROUNDS = 8;
  /** Far above what resends and retries need (~1 s a round), far below a stall's lease-long waits. */
  private static final Duration ALL_ROUNDS = Duration.ofSeconds(90);

  private TestSystem system;
  private Chatter chatter;
  private LossyBus lossy;

  @AfterEach
  void close() {
    if (lossy != null) {
      lossy.close();
    }
    if (chatter != null) {
      chatter.close();
    }
    if (system != null) {
      system.close();
    }
  }

  private static long seed() {
    String given = System.getProperty("loss.seed");
    return given != null ? Long.parseLong(given) : System.nanoTime();
  }

  @Test
  void lostInternalMessagesNeverStallAReplyNorChangeWhatAClientSees() throws Exception {
    long seed = seed();
    LOG.info("bus loss seed={} (run again with -Dloss.seed={})", seed, seed);
    // Replies of ~0.7 s (8 chunks, 80 ms apart) outlast the workers' alive interval (a third of
    // the lease), so progress flows and is lost: a worker says no done after its ending append.
    system = TestSystem.configure()
        .set("RELAY_SCRIPTED_DELAY_MS", "80")
        .set("RELAY_DELIVERY_RESEND_MS", "200")
        .set("RELAY_DELIVERY_RESEND_MAX_MS", "800")
        .set("RELAY_BUS_ATTEMPT_TIMEOUT_MS", "500")
        .set("RELAY_JOB_DISPATCH_TIMEOUT_MS", "1000")
        .set("RELAY_JOB_RETRY_BACKOFF_MS", "100")
        .set("RELAY_JOB_LEASE_MS", "1500")
        .start();
    lossy = new LossyBus(system.running().vertx().eventBus(), seed, Map.of(
        Delivery.class, 0.15,
        AckCommand.class, 0.15,
        DeliveryReceipt.class, 0.2,
        JobProgress.class, 0.3,
        JobTaken.class, 0.2,
        AppendAccepted.class, 0.05,
        SendAccepted.class, 0.05,
        SubscribeAnswer.class, 0.1));
    Tokens tokens = system.tokens();
    List<ChatClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      List<String> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        threads.add("t" + t);
      }
      String sub = "loss" + c;
      clients.add(new ChatClient(system.clientVertx(), sub, tokens.valid(sub),
          List.of(system.port()), 0, threads, new Pauses()));
    }
    chatter = new Chatter(clients);
    chatter.start();
    String context = "seed=" + seed;
    await().atMost(ALL_ROUNDS).until(() -> !chatter.violations().isEmpty()
        || chatter.minRounds() >= ROUNDS);
    assertEquals(List.of(), chatter.violations(), context);
    chatter.stopAndSettle();
    Map<String, Integer> lost = lossy.lost();
    lossy.close(); // the checks below read history: nothing more to lose
    try (HistoryApi api = new HistoryApi(system.clientVertx(), system.port())) {
      int frames = chatter.verify(api, tokens::valid);
      LOG.info("bus loss seed={} rounds={} frames={} lost={} passed={} reconnects={} closes={}",
          seed, chatter.rounds(), frames, lost, lossy.passed(), chatter.reconnects(),
          chatter.closes());
    }
    assertTrue(lost.getOrDefault("Delivery", 0) > 0 && lost.getOrDefault("JobProgress", 0) > 0,
        "the test lost deliveries and progress: " + lost + " " + context);
  }

  @Test
  void aLostUnsubscribeIsSaidAgainWhenTheRelayStillDelivers() {
    system = TestSystem.start();
    lossy = new LossyBus(system.running().vertx().eventBus(), 0, Map.of());
    lossy.loseNext(UnsubscribeCommand.class, 1);
    String token = system.token("stray");
    try (WsTestClient left = system.connect(); WsTestClient writer = system.connect()) {
      left.hello(token);
      Conversations.subscribe(left, "x", 0);
      left.send(Commands.unsubscribe("x"));
      left.next("unsubscribed");
      assertEquals(Map.of("UnsubscribeCommand", 1), lossy.lost(), "the relay still has it");

      writer.hello(token);
      Conversations.subscribe(writer, "x", 0);
      Conversations.send(writer, "x", "m1", "hello");
      // The relay delivered m1 to the left connection too; its gateway said unsubscribe again.
      await().atMost(Duration.ofSeconds(10))
          .until(() -> lossy.passed().getOrDefault("UnsubscribeCommand", 0) >= 1);
      int said = lossy.passed().get("UnsubscribeCommand");
      Conversations.send(writer, "x", "m2", "again");
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
          .until(() -> lossy.passed().get("UnsubscribeCommand") == said);
      assertTrue(left.drainQueued().stream().noneMatch(m -> "frame".equals(m.getString("type"))),
          "an unsubscribed thread shows nothing");
    }
  }
}
