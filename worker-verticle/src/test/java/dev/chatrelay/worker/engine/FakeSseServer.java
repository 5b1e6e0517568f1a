package dev.chatrelay.worker.engine;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Test stand-in for an OpenAI-compatible server on a random loopback port. */
public final class FakeSseServer {

  /** What the server does with a request whose body has been read. */
  @FunctionalInterface
  public interface Behaviour {
    void answer(HttpServerRequest request);
  }

  public final List<HttpServerRequest> requests = new CopyOnWriteArrayList<>();
  public final List<JsonObject> bodies = new CopyOnWriteArrayList<>();
  /** When each request arrived, in ms. */
  public final List<Long> arrivals = new CopyOnWriteArrayList<>();
  /** Connections closed while a response was still open (a cancelled or reset request). */
  public final AtomicInteger abandonedResponses = new AtomicInteger();
  public volatile Behaviour behaviour = FakeSseServer::neverAnswer;

  private final Vertx vertx;
  private HttpServer server;

  private FakeSseServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public static FakeSseServer start(Vertx vertx) {
    FakeSseServer fake = new FakeSseServer(vertx);
    fake.server = vertx.createHttpServer()
        .requestHandler(fake::onRequest)
        .listen(0, "127.0.0.1")
        .await();
    return fake;
  }

  /** The base URL as a user configures it: with the version path. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public void close() {
    server.close().await();
  }

  private void onRequest(HttpServerRequest request) {
    requests.add(request);
    arrivals.add(System.currentTimeMillis());
    request.response().closeHandler(v -> {
      if (!request.response().ended()) {
        abandonedResponses.incrementAndGet();
      }
    });
    request.body().onSuccess(body -> {
      bodies.add(body.toJsonObject());
      behaviour.answer(request);
    });
  }

  // ---- behaviours

  private static void neverAnswer(HttpServerRequest request) {}

  /** Answers the n-th request (from 0) as {@code each[n]}, later ones as the last. */
  public Behaviour inTurn(Behaviour... each) {
    AtomicInteger next = new AtomicInteger();
    return request -> each[Math.min(next.getAndIncrement(), each.length - 1)].answer(request);
  }

  /** Answers {@code status} with a Retry-After header of {@code retryAfter} (seconds). */
  public static Behaviour status(int status, String retryAfter) {
    return request -> request.response().setStatusCode(status).putHeader("Retry-After", retryAfter)
        .end(new JsonObject().put("error", new JsonObject().put("message", "slow down")).encode());
  }

  /** Answers {@code status} with a short JSON error body. */
  public static Behaviour status(int status) {
    return request -> request.response().setStatusCode(status)
        .end(new JsonObject().put("error", new JsonObject().put("message", "nope")).encode());
  }

  /** Streams {@code pieces} as separate writes, 2 ms apart; ends the response if {@code end}. */
  public Behaviour stream(List<Buffer> pieces, boolean end) {
    return request -> {
      request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      writeFrom(request, pieces, 0, end);
    };
  }

  /** Streams {@code pieces}, then drops the connection without ending the response. */
  public Behaviour streamThenDrop(List<Buffer> pieces) {
    return request -> {
      request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      for (Buffer piece : pieces) {
        request.response().write(piece);
      }
      vertx.setTimer(5, id -> request.connection().close());
    };
  }

  private void writeFrom(HttpServerRequest request, List<Buffer> pieces, int i, boolean end) {
    if (i == pieces.size()) {
      if (end) {
        request.response().end();
      }
      return;
    }
    request.response().write(pieces.get(i));
    vertx.setTimer(2, id -> writeFrom(request, pieces, i + 1, end));
  }

  // ---- event helpers

  /** One streamed chat-completion event carrying {@code content}. */
  public static String contentEvent(String content) {
    return event(new JsonObject().put("content", content), null);
  }

  /** An event with the given delta and finish_reason (null = absent). */
  public static String event(JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta);
    choice.put("finish_reason", finishReason);
    return "data: " + new JsonObject().put("choices", new JsonArray().add(choice)).encode() + "\n\n";
  }

  /** The include_usage event: no choices, token counts. */
  public static String usageEvent(int prompt, int completion) {
    return "data: " + new JsonObject().put("choices", new JsonArray()).put("usage", new JsonObject()
        .put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion)).encode() + "\n\n";
  }

  public static final String DONE_EVENT = "data: [DONE]\n\n";

  /** {@code text} as UTF-8, cut at the given byte offsets. */
  public static List<Buffer> cut(String text, int... offsets) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<Buffer> pieces = new ArrayList<>();
    int from = 0;
    for (int offset : offsets) {
      pieces.add(Buffer.buffer().appendBytes(bytes, from, offset - from));
      from = offset;
    }
    pieces.add(Buffer.buffer().appendBytes(bytes, from, bytes.length - from));
    return pieces;
  }
}
