package dev.chatrelay.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible server on a random loopback port, streaming chat completions as the
 * OpenAI API does (SSE {@code data:} chunks, {@code finish_reason}, a usage event, {@code [DONE]}).
 * Like a sampling model it never words two answers alike: request {@code n} answers
 * {@code Reply#n to <last user message>}, one word per chunk. The test queues misbehaviours
 * (statuses, cut or hanging streams) that the next requests get, in order.
 */
final class FakeOpenAi implements AutoCloseable {

  /** How one request is answered. */
  @FunctionalInterface
  interface Answer {
    void answer(FakeOpenAi server, HttpServerRequest request, String text);
  }

  /** The request bodies, in arrival order. */
  final List<JsonObject> bodies = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  /** Responses the client closed before they ended (a cancel, a worker gone). */
  final AtomicInteger abandoned = new AtomicInteger();
  /** Pause between two chunks of a streamed answer. */
  volatile long chunkDelayMs = 20;

  private final Vertx vertx;
  private final ConcurrentLinkedDeque<Answer> queued = new ConcurrentLinkedDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  private FakeOpenAi(Vertx vertx) {
    this.vertx = vertx;
  }

  static FakeOpenAi start(Vertx vertx) {
    FakeOpenAi fake = new FakeOpenAi(vertx);
    fake.server = vertx.createHttpServer().requestHandler(fake::onRequest)
        .listen(0, "127.0.0.1").await();
    return fake;
  }

  /** The base URL as a user configures it, with the version path. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** The next requests get these answers, in order; later ones the normal streamed answer. */
  void queue(Answer... answers) {
    for (Answer a : answers) {
      queued.addLast(a);
    }
  }

  int requestCount() {
    return requests.get();
  }

  @Override
  public void close() {
    server.close().await();
  }

  private void onRequest(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      int n = requests.incrementAndGet();
      JsonObject body = buffer.toJsonObject();
      bodies.add(body);
      paths.add(request.path());
      authorizations.add(String.valueOf(request.getHeader("Authorization")));
      request.response().closeHandler(v -> {
        if (!request.response().ended()) {
          abandoned.incrementAndGet();
        }
      });
      JsonArray messages = body.getJsonArray("messages");
      String last = messages.getJsonObject(messages.size() - 1).getString("content");
      String text = "Reply#" + n + " to " + last;
      Answer answer = queued.pollFirst();
      (answer == null ? stream() : answer).answer(this, request, text);
    });
  }

  // ---------------------------------------------------------------- answers

  /** The whole answer, one word per chunk, then finish_reason stop, usage and [DONE]. */
  static Answer stream() {
    return (server, request, text) -> server.streamWords(request, words(text), -1, false);
  }

  /** The first {@code chunks} words, then the connection drops (a broken stream). */
  static Answer cutAfter(int chunks) {
    return (server, request, text) -> server.streamWords(request, words(text), chunks, false);
  }

  /** The first {@code chunks} words, then nothing more until the client goes away. */
  static Answer hangAfter(int chunks) {
    return (server, request, text) -> server.streamWords(request, words(text), chunks, true);
  }

  /** {@code status} with a JSON error body that echoes the request (a key or prompt must never leak). */
  static Answer status(int status, String retryAfter) {
    return (server, request, text) -> {
      HttpServerResponse response = request.response().setStatusCode(status);
      if (retryAfter != null) {
        response.putHeader("Retry-After", retryAfter);
      }
      response.end(new JsonObject().put("error", new JsonObject()
          .put("message", "refused " + request.getHeader("Authorization") + " for " + text))
          .encode());
    };
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        out.add(text.substring(from, i));
        from = i;
      }
    }
    return out;
  }

  /**
   * Streams {@code words} ({@code upTo} of them, all when negative); then ends properly, or
   * drops the connection, or ({@code hang}) keeps it open.
   */
  private void streamWords(HttpServerRequest request, List<String> words, int upTo,
      boolean hang) {
    HttpServerResponse response = request.response().setChunked(true)
        .putHeader("content-type", "text/event-stream");
    int count = upTo < 0 ? words.size() : Math.min(upTo, words.size());
    writeFrom(request, response, words, 0, count, upTo < 0, hang);
  }

  private void writeFrom(HttpServerRequest request, HttpServerResponse response,
      List<String> words, int i, int count, boolean complete, boolean hang) {
    if (response.closed()) {
      return;
    }
    if (i < count) {
      response.write(event(new JsonObject().put("content", words.get(i)), null));
      vertx.setTimer(Math.max(1, chunkDelayMs),
          id -> writeFrom(request, response, words, i + 1, count, complete, hang));
      return;
    }
    if (complete) {
      response.write(event(new JsonObject(), "stop"));
      response.write("data: " + new JsonObject().put("choices", new JsonArray())
          .put("usage", new JsonObject().put("prompt_tokens", 7)
              .put("completion_tokens", words.size()).put("total_tokens", 7 + words.size()))
          .encode() + "\n\n");
      response.end("data: [DONE]\n\n");
    } else if (!hang) {
      request.connection().close();
    }
  }

  private static String event(JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta)
        .put("finish_reason", finishReason);
    return "data: " + new JsonObject().put("object", "chat.completion.chunk")
        .put("choices", new JsonArray().add(choice)).encode() + "\n\n";
  }
}
