package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.Commands;
import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.Replies;
import dev.chatrelay.it.Tokens;
import dev.chatrelay.it.WsTestClient;
import dev.chatrelay.launcher.RunningSystem;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.cluster.ShardOwners;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant for real, black-box over the WebSocket in cluster mode: relay, workers and
 * gateway as cluster nodes (Hazelcast on loopback, Redis journal) with {@code RELAY_ENGINE=openai}
 * against {@link FakeOpenAi}, which misbehaves as providers do (429 with Retry-After, 5xx, slow
 * tokens, cut streams, bad keys) and never words two answers alike. For every reply the chunks
 * after its last restart concatenate to its message, and each thread's stream on the socket is
 * exactly the journal's (no frame lost or duplicated).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelClusterTest {

  private static final Logger LOG = LoggerFactory.getLogger(ModelClusterTest.class);
  private static final Tokens TOKENS = Tokens.standard();
  private static final Duration CLUSTER_WAIT = Duration.ofSeconds(60);
  private static final Duration REPLY_WAIT = Duration.ofSeconds(30);
  private static final String API_KEY = "sk-test-secret-key";
  private static final AtomicInteger USERS = new AtomicInteger();

  private static Vertx clientVertx;
  private static FakeOpenAi model;
  private static InJvmCluster cluster;
  private static RunningSystem gateway;
  private static RunningSystem workerA;
  private static RunningSystem relayA;

  @BeforeAll
  static void startCluster() {
    clientVertx = Vertx.vertx();
    model = FakeOpenAi.start(clientVertx);
    cluster = new InJvmCluster(5, Map.ofEntries(
        Map.entry("RELAY_ENGINE", "openai"),
        Map.entry("RELAY_OPENAI_BASE_URL", model.baseUrl()),
        Map.entry("RELAY_OPENAI_MODEL", "fake-model"),
        Map.entry("RELAY_OPENAI_API_KEY", API_KEY),
        Map.entry("RELAY_OPENAI_TIMEOUT_MS", "3000"),
        Map.entry("RELAY_OPENAI_RETRY_BASE_MS", "20"),
        Map.entry("RELAY_OPENAI_RETRY_MAX_MS", "100")));
    gateway = cluster.start("gateway", 0);
    relayA = cluster.start("relay", 1);
    workerA = cluster.start("worker", 2);
    await().atMost(CLUSTER_WAIT).until(() -> gateway.gatewayRuntime().isReady());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (model != null) {
      model.close();
    }
    clientVertx.close().await();
  }

  @Test
  @Order(1)
  void twoTurnsCarryTheConversationAndTheUsage() {
    try (Conversation c = new Conversation()) {
      ModelReply first = c.say("my name is Zed");
      int requests = model.requestCount();
      ModelReply second = c.say("what is my name?");
      assertEquals(requests + 1, model.requestCount());
      JsonObject body = model.bodies.get(requests);
      assertEquals(new JsonArray()
          .add(turn("user", "my name is Zed"))
          .add(turn("assistant", first.message().getString("text")))
          .add(turn("user", "what is my name?")), body.getJsonArray("messages"));
      assertEquals("/v1/chat/completions", model.paths.get(requests));
      assertEquals("Bearer " + API_KEY, model.authorizations.get(requests));
      assertEquals("stop", second.message().getString("finishReason"));
      assertEquals(7, second.message().getJsonObject("usage").getInteger("prompt_tokens"));
      assertEquals(0, first.restarts() + second.restarts());
    }
  }

  @Test
  @Order(2)
  void a429IsRetriedAfterItsRetryAfterAndA5xxWithBackoff() {
    try (Conversation c = new Conversation()) {
      model.queue(FakeOpenAi.status(429, "1"));
      long sent = System.currentTimeMillis();
      ModelReply limited = c.say("busy?");
      assertTrue(System.currentTimeMillis() - sent >= 1_000, "Retry-After: 1 was honoured");
      assertNotNull(limited.message(), "no error: the 429 was retried");
      model.queue(FakeOpenAi.status(503, null), FakeOpenAi.status(500, null));
      ModelReply down = c.say("down?");
      assertNotNull(down.message(), "no error: the 5xx were retried");
      assertEquals(0, limited.restarts() + down.restarts(), "nothing streamed before: no restart");
    }
  }

  @Test
  @Order(3)
  void slowTokensStreamWithoutARetry() {
    try (Conversation c = new Conversation()) {
      model.chunkDelayMs = 400; // far below the 3 s idle timeout
      int requests = model.requestCount();
      ModelReply slow = c.say("take your time");
      assertEquals(requests + 1, model.requestCount());
      assertEquals(0, slow.restarts());
    } finally {
      model.chunkDelayMs = 20;
    }
  }

  @Test
  @Order(4)
  void aCutStreamStartsOverWithARestart() {
    try (Conversation c = new Conversation()) {
      model.queue(FakeOpenAi.cutAfter(2));
      ModelReply cut = c.say("tell me more");
      assertEquals(1, cut.restarts());
      assertEquals(2, cut.voided().size(), "the first wording's chunks reached the client");
      assertTrue(String.join("", cut.voided()).startsWith("Reply#"), cut.voided().toString());
      assertFalse(cut.shown().contains(String.join("", cut.voided())), "shown without the first wording");
    }
  }

  @Test
  @Order(5)
  void refusalsEndWithTheirCodeAndNeverEchoTheKeyOrThePrompt() {
    try (Conversation c = new Conversation()) {
      model.queue(FakeOpenAi.status(401, null));
      ModelReply auth = c.say("my secret plan");
      assertEquals("engine_auth", auth.error().getString("code"));
      model.queue(FakeOpenAi.status(404, null));
      ModelReply bad = c.say("my secret plan again");
      assertEquals("engine_bad_request", bad.error().getString("code"));
      for (ModelReply r : List.of(auth, bad)) {
        String text = r.error().encode();
        assertFalse(text.contains(API_KEY) || text.contains("secret plan"), text);
      }
      ModelReply after = c.say("and now?");
      assertEquals(new JsonArray().add(turn("user", "my secret plan"))
          .add(turn("user", "my secret plan again")).add(turn("user", "and now?")),
          model.bodies.get(model.bodies.size() - 1).getJsonArray("messages"),
          "failed replies are not in the conversation");
      assertNotNull(after.message());
    }
  }

  @Test
  @Order(6)
  void cancelEndsTheReplyWithItsTextAndClosesTheUpstreamRequest() {
    try (Conversation c = new Conversation()) {
      model.queue(FakeOpenAi.hangAfter(2));
      int abandoned = model.abandoned.get();
      String id = c.send("never mind");
      c.frames.addAll(c.ws.until(m -> Replies.isFrame(m) && "chunk".equals(Replies.kind(m))
          && m.getJsonObject("data").getInteger("index") == 1, REPLY_WAIT).stream()
          .filter(Replies::isFrame).toList());
      c.ws.send(Commands.cancel(c.thread, id));
      ModelReply cancelled = c.awaitReply(id);
      assertEquals(true, cancelled.message().getBoolean("cancelled"));
      assertTrue(cancelled.shown().startsWith("Reply#"), cancelled.shown());
      await().atMost(REPLY_WAIT).until(() -> model.abandoned.get() == abandoned + 1);
    }
  }

  @Test
  @Order(7)
  void aWorkerKilledMidStreamGivesARestartedCoherentReply() {
    try (Conversation c = new Conversation()) {
      model.queue(FakeOpenAi.hangAfter(3));
      String id = c.send("long story");
      List<JsonObject> seen = c.ws.until(m -> Replies.isFrame(m)
          && "chunk".equals(Replies.kind(m)) && m.getJsonObject("data").getInteger("index") == 2,
          REPLY_WAIT);
      c.frames.addAll(seen.stream().filter(Replies::isFrame).toList());
      RunningSystem workerB = cluster.start("worker", 3);
      assertNotNull(workerB);
      long crashedAt = System.currentTimeMillis();
      cluster.crash(workerA); // its stream hangs upstream; the relay sees the node leave
      c.frames.addAll(c.ws.until(m -> Replies.isFrame(m) && "restart".equals(Replies.kind(m)),
          REPLY_WAIT).stream().filter(Replies::isFrame).toList());
      long restartedAt = System.currentTimeMillis();
      ModelReply reply = c.awaitReply(id);
      LOG.info("worker killed mid-stream: restart on the socket {} ms after the crash, reply "
          + "complete after {} ms", restartedAt - crashedAt,
          System.currentTimeMillis() - crashedAt);
      assertEquals(1, reply.restarts());
      assertEquals(3, reply.voided().size());
      assertTrue(reply.message().getString("text").startsWith("Reply#"), reply.message().encode());
      assertFalse(reply.shown().contains(String.join("", reply.voided())));
    }
  }

  @Test
  @Order(8)
  void aRelayCrashedMidStreamGivesARestartedCoherentReply() {
    RunningSystem relayB = cluster.start("relay", 4);
    await().atMost(CLUSTER_WAIT)
        .until(() -> InJvmCluster.ownedExactlyBy(gateway, List.of(relayA, relayB)));
    String sub = "model-user-" + USERS.incrementAndGet();
    String thread = threadOwnedBy(sub, InJvmCluster.nodeId(relayA), List.of(relayA, relayB));
    try (Conversation c = new Conversation(sub, thread)) {
      model.queue(FakeOpenAi.hangAfter(3));
      String id = c.send("tell me a story");
      c.frames.addAll(c.ws.until(m -> Replies.isFrame(m) && "chunk".equals(Replies.kind(m))
          && m.getJsonObject("data").getInteger("index") == 2, REPLY_WAIT).stream()
          .filter(Replies::isFrame).toList());
      cluster.crash(relayA); // relay B takes the shard and runs the pending job again
      ModelReply reply = c.awaitReply(id);
      assertEquals(1, reply.restarts(), "the new attempt starts over after the journaled chunks");
      assertEquals(3, reply.voided().size());
      assertFalse(reply.shown().contains(String.join("", reply.voided())));
    }
  }

  /** A thread of {@code sub} whose shard {@code owner} owns among {@code relays}. */
  private static String threadOwnedBy(String sub, String owner, List<RunningSystem> relays) {
    List<String> ids = relays.stream().map(InJvmCluster::nodeId).toList();
    for (int i = 0; ; i++) {
      String thread = "chat-" + i;
      int shard = Shards.shardOf(new ThreadKey(sub, thread), InJvmCluster.SHARDS);
      if (owner.equals(ShardOwners.ownerOf(shard, ids))) {
        return thread;
      }
    }
  }

  private static JsonObject turn(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  /** One user's thread over one WebSocket; on close its stream must equal the journal. */
  private static final class Conversation implements AutoCloseable {
    final String sub;
    final String thread;
    final WsTestClient ws;
    final List<JsonObject> frames = new ArrayList<>();
    final List<String> sends = new ArrayList<>();

    Conversation() {
      this("model-user-" + USERS.incrementAndGet(), "chat");
    }

    Conversation(String sub, String thread) {
      this.sub = sub;
      this.thread = thread;
      ws = WsTestClient.open(clientVertx, gateway.plan().gateway().httpPort(),
          WsTestClient.Options.defaults());
      ws.hello(TOKENS.valid(sub));
      ws.send(Commands.subscribe(thread, 0));
      ws.next("subscribed");
    }

    String send(String text) {
      String id = "m" + (sends.size() + 1);
      sends.add(id);
      ws.send(Commands.send(thread, id, text));
      return id;
    }

    ModelReply say(String text) {
      return awaitReply(send(text));
    }

    ModelReply awaitReply(String id) {
      List<JsonObject> messages = ws.until(m -> Replies.isEndOf(m, id), REPLY_WAIT);
      frames.addAll(messages.stream().filter(Replies::isFrame).toList());
      return ModelReply.of(frames, id);
    }

    @Override
    public void close() {
      try (HistoryApi api = new HistoryApi(clientVertx, gateway.plan().gateway().httpPort())) {
        Replies.assertContiguous(frames, 1);
        JsonArray journal = api.get(HistoryApi.framesPath(thread, 0L, 1000), TOKENS.valid(sub))
            .json().getJsonArray("frames");
        assertEquals(journal.size(), frames.size(), "every journaled frame once on the socket");
        for (int i = 0; i < frames.size(); i++) {
          assertEquals(journal.getJsonObject(i).getString("id"), frames.get(i).getString("id"));
        }
        Replies.assertRepliesInSendOrder(frames, sends);
        for (String id : sends) {
          ModelReply.of(frames, id);
        }
      } finally {
        ws.close();
      }
    }
  }
}
