package dev.chatrelay.worker.engine;

import static dev.chatrelay.worker.engine.FakeSseServer.DONE_EVENT;
import static dev.chatrelay.worker.engine.FakeSseServer.contentEvent;
import static dev.chatrelay.worker.engine.FakeSseServer.cut;
import static dev.chatrelay.worker.engine.FakeSseServer.event;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OpenAiCompatibleEngineTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private Vertx vertx;
  private FakeSseServer server;
  private OpenAiCompatibleEngine engine;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    server = FakeSseServer.start(vertx);
    engine = engine(server.baseUrl() + "/", "secret-key", 5_000);
  }

  @AfterEach
  void tearDown() {
    engine.close().await();
    server.close();
  }

  @Test
  void streamsContentDeltasSplitAcrossTcpPieces() {
    String body = event(new JsonObject().put("role", "assistant"), null)
        + contentEvent("Hel")
        + contentEvent("")
        + contentEvent("lo, ")
        + ": keep-alive comment\n\n"
        + contentEvent("w\u00f6rld \uD83D\uDE00")
        + event(new JsonObject(), "stop")
        + DONE_EVENT;
    int umlaut = body.getBytes(StandardCharsets.UTF_8).length - body.substring(body.indexOf("\u00f6"))
        .getBytes(StandardCharsets.UTF_8).length + 1; // inside the two bytes of ö
    int emoji = body.getBytes(StandardCharsets.UTF_8).length - body.substring(body.indexOf("\uD83D"))
        .getBytes(StandardCharsets.UTF_8).length + 2; // inside the four bytes of the emoji
    server.behaviour = server.stream(cut(body, 10, 70, 95, umlaut, emoji), true);

    Context context = vertx.getOrCreateContext();
    RecordingSink sink = startOn(context, "hi there");
    await().atMost(DEADLINE).until(sink::ended);

    assertNull(sink.error.get());
    assertEquals(List.of("Hel", "lo, ", "w\u00f6rld \uD83D\uDE00"), sink.deltas);
    assertEquals(1, sink.completions.get());
    assertTrue(sink.contexts.stream().allMatch(c -> c == context), "calls on the starting context");

    HttpServerRequest request = server.requests.get(0);
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer secret-key", request.getHeader("Authorization"));
    assertEquals("application/json", request.getHeader("Content-Type"));
    JsonObject sent = server.bodies.get(0);
    assertEquals("test-model", sent.getString("model"));
    assertEquals(true, sent.getBoolean("stream"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "be brief"))
        .add(new JsonObject().put("role", "user").put("content", "hi there")),
        sent.getJsonArray("messages"));
  }

  @Test
  void streamEndingAfterFinishReasonWithoutDoneCompletes() {
    server.behaviour = server.stream(
        List.of(Buffer.buffer(contentEvent("ok") + event(new JsonObject(), "stop"))), true);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(1, sink.completions.get());
    assertEquals("ok", sink.text());
  }

  @Test
  void noApiKeyMeansNoAuthorizationHeader() {
    OpenAiCompatibleEngine keyless = engine(server.baseUrl(), null, 5_000);
    server.behaviour = server.stream(List.of(Buffer.buffer(DONE_EVENT)), true);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x", keyless);
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(1, sink.completions.get());
    assertNull(server.requests.get(0).getHeader("Authorization"));
    keyless.close().await();
  }

  @Test
  void errorStatusesMapToEngineErrorOrUnavailable() {
    assertFailure(FakeSseServer.status(400), EngineError.ENGINE_ERROR);
    assertFailure(FakeSseServer.status(401), EngineError.ENGINE_ERROR);
    assertFailure(FakeSseServer.status(429), EngineError.ENGINE_UNAVAILABLE);
    assertFailure(FakeSseServer.status(503), EngineError.ENGINE_UNAVAILABLE);
  }

  @Test
  void unreachableServerIsUnavailable() {
    FakeSseServer closed = FakeSseServer.start(vertx);
    String deadUrl = closed.baseUrl();
    closed.close();
    OpenAiCompatibleEngine dead = engine(deadUrl, null, 5_000);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x", dead);
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_UNAVAILABLE, sink.error.get().code());
    dead.close().await();
  }

  @Test
  void silentServerTimesOutAsUnavailable() {
    OpenAiCompatibleEngine impatient = engine(server.baseUrl(), null, 100);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x", impatient);
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_UNAVAILABLE, sink.error.get().code());
    impatient.close().await();
  }

  @Test
  void droppedConnectionIsAnEngineError() {
    server.behaviour = server.streamThenDrop(List.of(Buffer.buffer(contentEvent("partial"))));
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(List.of("partial"), sink.deltas);
    assertEquals(EngineError.ENGINE_ERROR, sink.error.get().code());
  }

  @Test
  void streamEndingBeforeTheReplyIsCompleteIsAnEngineError() {
    server.behaviour = server.stream(List.of(Buffer.buffer(contentEvent("half"))), true);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_ERROR, sink.error.get().code());
    assertEquals(0, sink.completions.get());
  }

  @Test
  void malformedEventIsAnEngineErrorAndDropsTheConnection() {
    server.behaviour = server.stream(List.of(Buffer.buffer("data: {not json\n\n")), false);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_ERROR, sink.error.get().code());
    await().atMost(DEADLINE).until(() -> server.abandonedResponses.get() == 1);
  }

  @Test
  void errorEventIsAnEngineErrorCarryingItsMessage() {
    server.behaviour = server.stream(
        List.of(Buffer.buffer("data: {\"error\":{\"message\":\"model overloaded\"}}\n\n")), false);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_ERROR, sink.error.get().code());
    assertTrue(sink.error.get().message().contains("model overloaded"), sink.error.get().message());
  }

  @Test
  void cancelClosesTheRequestAndSilencesTheSink() {
    // one delta, then the server keeps the stream open
    server.behaviour = server.stream(List.of(Buffer.buffer(contentEvent("first"))), false);
    Context context = vertx.getOrCreateContext();
    AtomicReference<EngineRun> run = new AtomicReference<>();
    RecordingSink sink = new RecordingSink();
    context.runOnContext(v -> run.set(engine.start("x", sink)));
    await().atMost(DEADLINE).until(() -> sink.deltas.size() == 1);
    context.runOnContext(v -> run.get().cancel());
    await().atMost(DEADLINE).until(() -> server.abandonedResponses.get() == 1);
    AtomicBoolean flushed = new AtomicBoolean();
    context.runOnContext(v -> flushed.set(true));
    await().atMost(DEADLINE).untilTrue(flushed);
    assertEquals(0, sink.endings.get(), "a cancelled run reports no ending");
  }

  @Test
  void cancelWhileConnectingSendsNothing() {
    Context context = vertx.getOrCreateContext();
    RecordingSink sink = new RecordingSink();
    AtomicBoolean cancelled = new AtomicBoolean();
    context.runOnContext(v -> {
      engine.start("x", sink).cancel();
      cancelled.set(true);
    });
    await().atMost(DEADLINE).untilTrue(cancelled);
    // a second request proves the server is idle apart from it
    server.behaviour = server.stream(List.of(Buffer.buffer(DONE_EVENT)), true);
    RecordingSink second = startOn(context, "y");
    await().atMost(DEADLINE).until(second::ended);
    assertEquals(List.of("y"), server.bodies.stream()
        .map(b -> b.getJsonArray("messages").getJsonObject(1).getString("content")).toList());
    assertEquals(0, sink.endings.get());
  }

  private void assertFailure(FakeSseServer.Behaviour behaviour, String code) {
    server.behaviour = behaviour;
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(code, sink.error.get().code(), "code for " + sink.error.get().message());
    assertTrue(sink.deltas.isEmpty());
  }

  private RecordingSink startOn(Context context, String text) {
    return startOn(context, text, engine);
  }

  private static RecordingSink startOn(Context context, String text, AssistantEngine engine) {
    RecordingSink sink = new RecordingSink();
    context.runOnContext(v -> engine.start(text, sink));
    return sink;
  }

  private OpenAiCompatibleEngine engine(String baseUrl, String key, long timeoutMs) {
    return new OpenAiCompatibleEngine(vertx,
        new OpenAiOptions(baseUrl, key, "test-model", timeoutMs, "be brief", 4));
  }
}
