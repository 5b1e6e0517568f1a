package dev.chatrelay.worker.engine;

import static dev.chatrelay.worker.engine.FakeSseServer.DONE_EVENT;
import static dev.chatrelay.worker.engine.FakeSseServer.contentEvent;
import static dev.chatrelay.worker.engine.FakeSseServer.cut;
import static dev.chatrelay.worker.engine.FakeSseServer.event;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.worker.engine.FakeSseServer.Behaviour;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

  private static final Duration DEADLINE = Duration.ofSeconds(15); // a bound on a busy 2-core box, not an expectation
  private static final int FAST_RETRIES = 2;

  private Vertx vertx;
  private FakeSseServer server;
  private OpenAiCompatibleEngine engine;
  private final EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry(), "openai");

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
  void refusedStatusesMapToTheirCodesWithoutRetry() {
    assertFailure(FakeSseServer.status(400), EngineError.ENGINE_BAD_REQUEST);
    assertFailure(FakeSseServer.status(401), EngineError.ENGINE_AUTH);
    assertFailure(FakeSseServer.status(403), EngineError.ENGINE_AUTH);
    assertFailure(FakeSseServer.status(404), EngineError.ENGINE_BAD_REQUEST);
    assertFailure(FakeSseServer.status(422), EngineError.ENGINE_BAD_REQUEST);
    assertEquals(5, server.requests.size(), "a refused request is not retried");
  }

  @Test
  void overloadedStatusesPastTheRetriesAreUnavailable() {
    OpenAiCompatibleEngine noRetries = engine(server.baseUrl(), null, 5_000, fast().withRetries(1_000, 1, 1, 0));
    assertFailure(FakeSseServer.status(429), EngineError.ENGINE_UNAVAILABLE, noRetries);
    assertFailure(FakeSseServer.status(503), EngineError.ENGINE_UNAVAILABLE, noRetries);
    noRetries.close().await();
  }

  @Test
  void errorMessagesNeverCarryTheKeyOrThePrompt() {
    server.behaviour = request -> request.response().setStatusCode(401).end(
        "{\"error\":{\"message\":\"Incorrect API key provided: secret-key for my secret prompt\"}}");
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "my secret prompt");
    await().atMost(DEADLINE).until(sink::ended);
    EngineError error = sink.error.get();
    assertEquals(EngineError.ENGINE_AUTH, error.code());
    assertFalse(error.toFrameData().encode().contains("secret"), error.toFrameData().encode());
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() {
    server.behaviour = server.inTurn(FakeSseServer.status(429, "1"), ok("fine"));
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals("fine", sink.text());
    assertEquals(1, sink.completions.get());
    assertEquals(2, server.requests.size());
    long waited = server.arrivals.get(1) - server.arrivals.get(0);
    assertTrue(waited >= 1_000, "Retry-After: 1 honoured, waited " + waited + " ms");
    assertEquals(1.0, retries("overloaded"));
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenStream() {
    server.behaviour = server.inTurn(FakeSseServer.status(503), FakeSseServer.status(502),
        ok("back"));
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals("back", sink.text());
    assertEquals(0, sink.restarts.get(), "nothing was streamed before: no restart");
    assertEquals(3, server.requests.size());
    assertEquals(2.0, retries("overloaded"));
  }

  @Test
  void aBrokenStreamIsRetriedAsARestart() {
    server.behaviour = server.inTurn(
        server.streamThenDrop(List.of(Buffer.buffer(contentEvent("first wording")))),
        ok("second wording"));
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(1, sink.restarts.get());
    assertEquals(List.of("second wording"), sink.current);
    assertEquals(1, sink.completions.get());
    assertEquals(1.0, retries("broken"));
  }

  @Test
  void retriesStopAtTheirCount() {
    server.behaviour = FakeSseServer.status(500);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_UNAVAILABLE, sink.error.get().code());
    assertEquals(FAST_RETRIES + 1, server.requests.size());
  }

  @Test
  void theDeadlineEndsTheReplyAndClosesTheRequest() {
    OpenAiCompatibleEngine hasty = engine(server.baseUrl(), null, 5_000, fast().withLimits(4, 200));
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x", hasty);
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_TIMEOUT, sink.error.get().code());
    await().atMost(DEADLINE).until(() -> server.abandonedResponses.get() == 1);
    hasty.close().await();
  }

  @Test
  void requestsBeyondTheConcurrencyLimitWaitForASlot() {
    OpenAiCompatibleEngine single = engine(server.baseUrl(), null, 5_000, fast().withLimits(1, 60_000));
    Context context = vertx.getOrCreateContext();
    AtomicReference<EngineRun> first = new AtomicReference<>();
    RecordingSink firstSink = new RecordingSink();
    context.runOnContext(v -> first.set(single.start("a", firstSink)));
    await().atMost(DEADLINE).until(() -> server.requests.size() == 1);
    RecordingSink second = new RecordingSink();
    server.behaviour = ok("b");
    context.runOnContext(v -> single.start("b", second));
    await().atMost(DEADLINE).until(() -> single.waitingForSlot() == 1);
    assertEquals(1, server.requests.size(), "the second request waits");
    RecordingSink third = new RecordingSink();
    AtomicReference<EngineRun> thirdRun = new AtomicReference<>();
    context.runOnContext(v -> thirdRun.set(single.start("c", third)));
    await().atMost(DEADLINE).until(() -> single.waitingForSlot() == 2);
    context.runOnContext(v -> thirdRun.get().cancel());
    await().atMost(DEADLINE).until(() -> single.waitingForSlot() == 1); // a cancel leaves the queue
    context.runOnContext(v -> first.get().cancel());
    await().atMost(DEADLINE).until(second::ended);
    assertEquals("b", second.text());
    assertEquals(2, server.requests.size());
    assertEquals(0, third.endings.get(), "a cancelled run reports nothing");
    single.close().await();
  }

  @Test
  void usageAndFinishReasonReachTheCompletion() {
    server.behaviour = server.stream(List.of(Buffer.buffer(contentEvent("ok")
        + event(new JsonObject(), "length") + FakeSseServer.usageEvent(12, 3) + DONE_EVENT)), true);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    Completion done = sink.completion.get();
    assertEquals("length", done.finishReason());
    assertEquals(15, done.usage().getInteger("total_tokens"));
    assertEquals(new JsonObject().put("include_usage", true),
        server.bodies.get(0).getJsonObject("stream_options"));
  }

  @Test
  void theConversationGoesAfterTheSystemPrompt() {
    server.behaviour = ok("Zed");
    RecordingSink sink = new RecordingSink();
    EngineRequest request = new EngineRequest("what is my name?", List.of(
        ChatTurn.user("my name is Zed"), ChatTurn.assistant("hello Zed"),
        ChatTurn.user("what is my name?")));
    vertx.getOrCreateContext().runOnContext(v -> engine.start(request, sink));
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "be brief"))
        .add(new JsonObject().put("role", "user").put("content", "my name is Zed"))
        .add(new JsonObject().put("role", "assistant").put("content", "hello Zed"))
        .add(new JsonObject().put("role", "user").put("content", "what is my name?")),
        server.bodies.get(0).getJsonArray("messages"));
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
    assertEquals(FAST_RETRIES, retries("unreachable"), 0.0);
    dead.close().await();
  }

  @Test
  void silentServerTimesOutAsUnavailable() {
    OpenAiCompatibleEngine impatient = engine(server.baseUrl(), null, 100);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x", impatient);
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_UNAVAILABLE, sink.error.get().code());
    assertEquals(FAST_RETRIES + 1, server.requests.size(), "each silent try was retried");
    impatient.close().await();
  }

  @Test
  void streamEndingBeforeTheReplyIsCompleteIsRetriedThenUnavailable() {
    server.behaviour = server.stream(List.of(Buffer.buffer(contentEvent("half"))), true);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_UNAVAILABLE, sink.error.get().code());
    assertEquals(FAST_RETRIES, sink.restarts.get());
    assertEquals(0, sink.completions.get());
  }

  @Test
  void malformedEventIsAnEngineErrorAndDropsTheConnection() {
    server.behaviour = server.stream(List.of(Buffer.buffer("data: {not json\n\n")), false);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_ERROR, sink.error.get().code());
    await().atMost(DEADLINE).until(() -> server.abandonedResponses.get() == 1);
    assertEquals(1, server.requests.size(), "a malformed stream is not retried");
  }

  @Test
  void errorEventBreaksTheStreamWithoutEchoingIt() {
    server.behaviour = server.stream(
        List.of(Buffer.buffer("data: {\"error\":{\"message\":\"model overloaded\"}}\n\n")), false);
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x");
    await().atMost(DEADLINE).until(sink::ended);
    assertEquals(EngineError.ENGINE_UNAVAILABLE, sink.error.get().code());
    assertFalse(sink.error.get().message().contains("model overloaded"), sink.error.get().message());
    assertEquals(FAST_RETRIES + 1, server.requests.size());
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
    assertFailure(behaviour, code, engine);
  }

  private void assertFailure(FakeSseServer.Behaviour behaviour, String code,
      OpenAiCompatibleEngine on) {
    server.behaviour = behaviour;
    RecordingSink sink = startOn(vertx.getOrCreateContext(), "x", on);
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
    return engine(baseUrl, key, timeoutMs, fast());
  }

  private OpenAiCompatibleEngine engine(String baseUrl, String key, long timeoutMs,
      ModelConfig limits) {
    return new OpenAiCompatibleEngine(vertx,
        new OpenAiOptions(baseUrl, key, "test-model", timeoutMs, "be brief", limits), metrics);
  }

  /** Retries after 1-4 ms, so the tests run fast; no jitter decides anything they assert. */
  private static ModelConfig fast() {
    return ModelConfig.defaults().withRetries(2_000, 1, 4, FAST_RETRIES);
  }

  private double retries(String reason) {
    io.micrometer.core.instrument.Counter counter = metrics.registry().find("worker.engine.retries")
        .tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A complete stream of one delta. */
  private Behaviour ok(String text) {
    return server.stream(List.of(Buffer.buffer(contentEvent(text) + DONE_EVENT)), true);
  }
}
