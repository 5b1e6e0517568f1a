package dev.chatrelay.worker.engine;

import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One streamed chat completion: sends the request, turns its events into sink calls. */
final class OpenAiRun implements EngineRun {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiRun.class);

  /** The event that ends an OpenAI stream. */
  static final String DONE = "[DONE]";
  /** How much of an error body goes to the log. */
  private static final int LOGGED_BODY_CHARS = 500;

  private final HttpClient client;
  private final RequestOptions options;
  private final JsonObject body;
  private final EngineSink sink;
  private final SseParser parser = new SseParser(this::onEvent);
  private HttpClientRequest request;
  /** No more input is processed: the reply ended, failed or was cancelled. */
  private boolean finished;
  private boolean cancelled;
  private boolean sawFinishReason;

  OpenAiRun(HttpClient client, RequestOptions options, JsonObject body, EngineSink sink) {
    this.client = client;
    this.options = options;
    this.body = body;
    this.sink = sink;
  }

  void begin() {
    client.request(options).onComplete(this::onRequest);
  }

  @Override
  public void cancel() {
    cancelled = true;
    finished = true;
    closeRequest();
  }

  private void onRequest(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      unreachable(ar.cause());
      return;
    }
    request = ar.result();
    // failures reach the response future or handler; this sees the reset of a cancelled run too
    request.exceptionHandler(t -> LOG.debug("event=engine.request_closed cause={}", t.toString()));
    if (finished) {
      closeRequest(); // cancelled while connecting
      return;
    }
    request.send(body.toBuffer()).onComplete(this::onResponse);
  }

  private void onResponse(AsyncResult<HttpClientResponse> ar) {
    if (finished) {
      return;
    }
    if (ar.failed()) {
      unreachable(ar.cause());
      return;
    }
    HttpClientResponse response = ar.result();
    if (response.statusCode() != 200) {
      refused(response);
      return;
    }
    response.exceptionHandler(t -> fail(EngineError.error("the engine's stream broke"), t));
    response.endHandler(v -> onEnd());
    response.handler(this::onBytes);
  }

  private void onBytes(Buffer piece) {
    if (finished) {
      return;
    }
    try {
      parser.feed(piece);
    } catch (IllegalStateException e) {
      fail(EngineError.error("the engine's stream is malformed"), e);
    }
  }

  private void onEvent(String data) {
    if (finished) {
      return;
    }
    if (DONE.equals(data)) {
      finish();
      sink.complete();
      return;
    }
    JsonObject event;
    try {
      event = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      fail(EngineError.error("the engine's stream is malformed"), e);
      return;
    }
    JsonObject error = event.getJsonObject("error");
    if (error != null) {
      fail(EngineError.error("the engine failed: " + error.getString("message", "no reason given")),
          null);
      return;
    }
    JsonArray choices = event.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      return; // usage or keep-alive events carry no text
    }
    JsonObject choice = choices.getJsonObject(0);
    JsonObject delta = choice.getJsonObject("delta");
    String content = delta == null ? null : delta.getString("content");
    if (choice.getValue("finish_reason") != null) {
      sawFinishReason = true;
    }
    if (content != null && !content.isEmpty()) {
      sink.delta(content);
    }
  }

  private void onEnd() {
    if (finished) {
      return;
    }
    if (sawFinishReason) {
      finish(); // some servers end the stream after finish_reason without [DONE]
      sink.complete();
    } else {
      fail(EngineError.error("the engine's stream ended before the reply was complete"), null);
    }
  }

  private void refused(HttpClientResponse response) {
    int status = response.statusCode();
    boolean overloaded = status == 429 || status >= 500;
    EngineError error = overloaded
        ? EngineError.unavailable("the engine is unavailable (HTTP " + status + ")")
        : EngineError.error("the engine refused the request (HTTP " + status + ")");
    finish();
    response.body().onComplete(body -> {
      String text = body.succeeded() ? body.result().toString() : "<unreadable>";
      LOG.warn("event=engine.refused status={} body={}", status,
          text.length() > LOGGED_BODY_CHARS ? text.substring(0, LOGGED_BODY_CHARS) : text);
      if (!cancelled) {
        sink.fail(error);
      }
    });
  }

  private void unreachable(Throwable cause) {
    if (finished) {
      return;
    }
    finish();
    LOG.warn("event=engine.unreachable host={} port={} cause={}", options.getHost(),
        options.getPort(), cause.toString());
    sink.fail(EngineError.unavailable("the engine cannot be reached"));
  }

  private void fail(EngineError error, Throwable cause) {
    if (finished) {
      return;
    }
    finish();
    closeRequest();
    LOG.warn("event=engine.stream_failed code={} message=\"{}\" cause={}", error.code(),
        error.message(), cause == null ? "-" : cause.toString());
    sink.fail(error);
  }

  private void finish() {
    finished = true;
  }

  private void closeRequest() {
    if (request != null) {
      request.reset();
    }
  }
}
