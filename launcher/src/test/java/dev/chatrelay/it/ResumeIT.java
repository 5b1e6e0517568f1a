package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.assertFields;
import static dev.chatrelay.it.Conversations.awaitHead;
import static dev.chatrelay.it.Conversations.framesPerReply;
import static dev.chatrelay.it.Conversations.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resume after drops: exactly once, in order, with resets where a cursor cannot be resumed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeIT {

  private static final Logger LOG = LoggerFactory.getLogger(ResumeIT.class);

  /** Drops the chaos test must survive. */
  private static final int MIN_DROPS = 200;
  /** At most this many messages handled on a connection before it is dropped. */
  private static final int MAX_MESSAGES_PER_CONNECTION = 5;

  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_SCRIPTED_DELAY_MS", "3")
        .set("RELAY_RETENTION_FRAMES", "10000")
        .start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  /**
   * Sends message after message on one thread and drops the connection at seeded random points
   * (abruptly or with a close frame), resuming each time from the last processed seq. Every
   * frame must arrive exactly once, in order, and the whole stream must equal the history.
   */
  @Test
  void resumeAfterRandomDropsLosesDuplicatesAndReordersNothing() {
    long seed = Long.getLong("relay.seed", System.nanoTime());
    LOG.info("ResumeIT seed={} (rerun with -Drelay.seed={})", seed, seed);
    Random random = new Random(seed);
    String token = system.token("resume-chaos");
    String thread = "chaos";

    List<JsonObject> received = new ArrayList<>();
    List<String> sendIds = new ArrayList<>();
    Map<String, Long> acceptedSeqs = new HashMap<>();
    String epoch = null;
    long last = 0;
    String inFlight = null; // the send whose reply has not ended yet
    int drops = 0;

    while (drops < MIN_DROPS || inFlight != null) {
      boolean finalRound = drops >= MIN_DROPS;
      WsTestClient client = system.connect();
      JsonObject entry = Commands.resumeEntry(thread, epoch, last);
      client.hello(token, Commands.resume(entry));
      JsonObject subscribed = client.next("subscribed");
      if (epoch == null) {
        epoch = subscribed.getString("epoch");
      }
      assertEquals(epoch, subscribed.getString("epoch"), "the epoch never changes: seed " + seed);
      assertTrue(subscribed.getLong("head") >= last, subscribed.encode());

      if (inFlight == null && !finalRound) {
        inFlight = "s" + sendIds.size();
        sendIds.add(inFlight);
      }
      if (inFlight != null && !acceptedSeqs.containsKey(inFlight)) {
        // Not known to be accepted: (re)send; the same id must answer the same seq.
        client.send(Commands.send(thread, inFlight, "message " + inFlight));
      }

      int budget = finalRound ? Integer.MAX_VALUE : random.nextInt(MAX_MESSAGES_PER_CONNECTION + 1);
      while (budget-- > 0 && inFlight != null) {
        JsonObject m = client.next(Conversations.REPLY_WAIT);
        switch (m.getString("type")) {
          case "accepted" -> {
            Long known = acceptedSeqs.putIfAbsent(m.getString("id"), m.getLong("seq"));
            assertTrue(known == null || known.equals(m.getLong("seq")),
                "a re-sent id answered another seq: " + m.encode() + " seed " + seed);
          }
          case "frame" -> {
            assertEquals(last + 1, m.getLong("seq"),
                "lost, duplicated or reordered frame " + m.encode() + " seed " + seed);
            last = m.getLong("seq");
            received.add(m);
            if (Replies.isEndOf(m, inFlight)) {
              inFlight = null;
            }
          }
          default -> throw new AssertionError("unexpected " + m.encode() + " seed " + seed);
        }
      }
      if (finalRound) {
        client.close();
      } else {
        if (random.nextBoolean()) {
          client.drop();
        } else {
          client.close(random.nextBoolean() ? 1000 : 1001);
        }
        drops++;
      }
    }

    LOG.info("ResumeIT drops={} sends={} frames={} seed={}", drops, sendIds.size(),
        received.size(), seed);
    List<JsonObject> history = system.api().allFrames(token, thread);
    assertEquals(history, received, "stream equals history, seed " + seed);
    assertEquals(sendIds.size() * framesPerReply("message s0"), received.size(),
        "one reply per send, none repeated, seed " + seed);
    for (String id : sendIds) {
      Replies.assertReply(Replies.of(received, id), thread, id, "message " + id,
          Replies.chunks("message " + id, Replies.DEFAULT_CHUNKS));
      if (acceptedSeqs.containsKey(id)) { // an accepted may be lost in a drop; never wrong
        assertEquals(acceptedSeqs.get(id), Replies.of(received, id).get(0).getLong("seq"));
      }
    }
  }

  @Test
  void helloResumeAnswersEachEntryInOrderThenTheMissedFrames() {
    String token = system.token("resume-multi");
    system.api().postMessage(token, "ra", "a1", "alpha");
    system.api().postMessage(token, "rb", "b1", "beta");
    long headA = framesPerReply("alpha");
    long headB = framesPerReply("beta");
    String epochA = awaitHead(system.api(), token, "ra", headA).getString("epoch");
    String epochB = awaitHead(system.api(), token, "rb", headB).getString("epoch");
    try (WsTestClient client = system.connect()) {
      client.hello(token, Commands.resume(
          Commands.resumeEntry("ra", epochA, 3),
          Commands.resumeEntry("rb", epochB, 0)));
      JsonObject first = client.next("subscribed");
      JsonObject second = client.next("subscribed");
      assertFields(new JsonObject().put("type", "subscribed").put("thread", "ra")
          .put("epoch", epochA).put("head", headA), first);
      assertFields(new JsonObject().put("type", "subscribed").put("thread", "rb")
          .put("epoch", epochB).put("head", headB), second);
      Map<String, List<JsonObject>> frames = new HashMap<>();
      client.until(m -> {
        frames.computeIfAbsent(m.getString("thread"), t -> new ArrayList<>()).add(m);
        return frames.getOrDefault("ra", List.of()).size() == headA - 3
            && frames.getOrDefault("rb", List.of()).size() == headB;
      }, Duration.ofSeconds(10));
      Replies.assertContiguous(frames.get("ra"), 4);
      Replies.assertContiguous(frames.get("rb"), 1);
      assertEquals(system.api().allFrames(token, "rb"), frames.get("rb"));
    }
  }

  @Test
  void staleEpochIsResetNotSilentlyResumed() {
    String token = system.token("resume-epoch");
    system.api().postMessage(token, "ep", "e1", "epoch test");
    long head = framesPerReply("epoch test");
    String epoch = awaitHead(system.api(), token, "ep", head).getString("epoch");
    try (WsTestClient client = system.connect()) {
      client.hello(token, Commands.resume(Commands.resumeEntry("ep", "stale-" + epoch, 2)));
      assertFields(new JsonObject().put("type", "reset").put("thread", "ep").put("epoch", epoch)
          .put("head", head).put("reason", "epoch"), client.next("reset"));
      client.send(Commands.subscribe("ep", "also-stale", 0));
      JsonObject reset = client.next("reset");
      assertEquals("epoch", reset.getString("reason"));
      assertEquals(epoch, reset.getString("epoch"));
      // Reset means not subscribed: a new message's frames are not delivered here.
      client.send(Commands.send("ep", "e2", "after reset"));
      client.next("accepted");
      awaitHead(system.api(), token, "ep", 2 * head);
      Conversations.assertAlive(client);
      assertTrue(client.drainQueued().stream().noneMatch(Replies::isFrame));
      // The documented recovery: subscribe again with the new epoch.
      JsonObject subscribed = subscribe(client, "ep", head);
      assertEquals(epoch, subscribed.getString("epoch"));
      Replies.assertContiguous(client.until(m -> m.getLong("seq", 0L) == 2 * head,
          Duration.ofSeconds(10)), head + 1);
    }
  }

  @Test
  void cursorAheadOfHeadIsReset() {
    String token = system.token("resume-ahead");
    system.api().postMessage(token, "ah", "h1", "ahead test");
    long head = framesPerReply("ahead test");
    String epoch = awaitHead(system.api(), token, "ah", head).getString("epoch");
    try (WsTestClient client = system.connect()) {
      client.hello(token, Commands.resume(Commands.resumeEntry("ah", epoch, head + 5)));
      assertFields(new JsonObject().put("type", "reset").put("thread", "ah").put("epoch", epoch)
          .put("head", head).put("reason", "ahead"), client.next("reset"));
      client.send(Commands.subscribe("ah", epoch, head + 1));
      assertEquals("ahead", client.next("reset").getString("reason"));
      JsonObject atHead = subscribe(client, "ah", head);
      assertEquals(head, atHead.getLong("head"));
      assertNull(client.poll(Duration.ofMillis(100), true), "nothing to replay at head");
    }
  }

  @Test
  void malformedResumeEntryIsRefusedAndTheOthersProceed() {
    String token = system.token("resume-bad");
    try (WsTestClient client = system.connect()) {
      JsonArray resume = new JsonArray()
          .add(Commands.resumeEntry("good-1", null, 0))
          .add(Commands.resumeEntry("bad id!", null, 0))
          .add(new JsonObject().put("thread", "neg").put("after", -1))
          .add(new JsonObject().put("thread", "typed").put("after", "x"))
          .add(Commands.resumeEntry("good-2", null, 0));
      client.hello(token, resume);
      List<JsonObject> answers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        answers.add(client.next());
      }
      List<String> subscribed = answers.stream()
          .filter(m -> "subscribed".equals(m.getString("type")))
          .map(m -> m.getString("thread")).toList();
      assertEquals(List.of("good-1", "good-2"), subscribed, answers.toString());
      List<String> refused = answers.stream()
          .filter(m -> "error".equals(m.getString("type")))
          .peek(m -> assertEquals("bad_request", m.getString("code"), m.encode()))
          .map(m -> m.getString("ref")).toList();
      assertEquals(List.of("bad id!", "neg", "typed"), refused, answers.toString());
      Conversations.assertAlive(client);
    }
  }
}
