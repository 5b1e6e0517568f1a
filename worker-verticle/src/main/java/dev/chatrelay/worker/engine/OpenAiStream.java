package dev.chatrelay.worker.engine;

import dev.chatrelay.worker.engine.UpstreamFailure.Kind;
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

/**
 * One streamed chat-completion request: sends it, turns its Server-Sent Events into deltas and
 * reports exactly one outcome (complete or a classified {@link UpstreamFailure}) unless closed.
 * {@link #close()} resets the HTTP request, so the upstream stops generating.
 */
final class OpenAiStream {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiStream.class);

  /** The event that ends an OpenAI stream. */
  static final String DONE = "[DONE]";
  /** How much of an error body goes to the log (never to a frame). */
  private static final int LOGGED_BODY_CHARS = 300;

  /** What the stream produced. After {@code completed} or {@code failed}, nothing follows. */
  interface Listener {
    void delta(String text);

    void completed(Completion completion);

    void failed(UpstreamFailure failure);
  }

  private final HttpClient client;
  private final RequestOptions options;
  private final Buffer body;
  private final String apiKey;
  private final Listener listener;
  private final SseParser parser = new SseParser(this::onEvent);
  private HttpClientRequest request;
  /** No more input is processed: the stream ended, failed or was closed. */
  private boolean finished;
  private String finishReason;
  private JsonObject usage;

  OpenAiStream(HttpClient client, RequestOptions options, Buffer body, String apiKey,
      Listener listener) {
    this.client = client;
    this.options = options;
    this.body = body;
    this.apiKey = apiKey;
    this.listener = listener;
  }

  void begin() {
    client.request(options).onComplete(this::onRequest);
  }

  /** Stops the stream and closes its HTTP request; the listener hears nothing more. */
  void close() {
    finished = true;
    if (request != null) {
      request.reset();
    }
  }

  private void onRequest(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      unreachable(ar.cause());
      return;
    }
    request = ar.result();
    // failures reach the response future or handler; this sees the reset of a closed stream too
    request.exceptionHandler(t -> LOG.debug("event=engine.request_closed cause={}", t.toString()));
    if (finished) {
      request.reset(); // closed while connecting
      return;
    }
    request.send(body).onComplete(this::onResponse);
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
    response.exceptionHandler(t -> fail(UpstreamFailure.of(Kind.BROKEN), t.toString()));
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
      fail(UpstreamFailure.of(Kind.MALFORMED), e.getMessage());
    }
  }

  private void onEvent(String data) {
    if (finished) {
      return;
    }
    if (DONE.equals(data)) {
      complete();
      return;
    }
    JsonObject event;
    try {
      event = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      fail(UpstreamFailure.of(Kind.MALFORMED), "event is not a JSON object");
      return;
    }
    if (event.getValue("error") != null) {
      // a provider's mid-stream failure (e.g. server_error): the stream is broken, try again
      fail(UpstreamFailure.of(Kind.BROKEN), "error event");
      return;
    }
    if (event.getValue("usage") instanceof JsonObject u) {
      usage = u; // the include_usage event, after the last choice
    }
    JsonArray choices = event.getValue("choices") instanceof JsonArray a ? a : null;
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject)) {
      return; // usage or keep-alive events carry no text
    }
    JsonObject choice = choices.getJsonObject(0);
    JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : null;
    Object content = delta == null ? null : delta.getValue("content");
    if (choice.getValue("finish_reason") instanceof String reason) {
      finishReason = reason;
    }
    if (content instanceof String text && !text.isEmpty()) {
      listener.delta(text);
    }
  }

  private void onEnd() {
    if (finished) {
      return;
    }
    if (finishReason != null) {
      complete(); // some servers end the stream after finish_reason without [DONE]
    } else {
      fail(UpstreamFailure.of(Kind.BROKEN), "stream ended before the reply was complete");
    }
  }

  private void complete() {
    finished = true;
    listener.completed(new Completion(finishReason, usage));
  }

  private void refused(HttpClientResponse response) {
    int status = response.statusCode();
    long retryAfter = UpstreamRetry.retryAfterMs(response.getHeader("retry-after-ms"),
        response.getHeader("retry-after"), System.currentTimeMillis());
    Kind kind = UpstreamFailure.overloaded(status) ? Kind.OVERLOADED : Kind.REFUSED;
    finished = true;
    response.body().onComplete(read -> {
      String text = read.succeeded() ? read.result().toString() : "<unreadable>";
      LOG.warn("event=engine.refused status={} retryAfterMs={} body=\"{}\"", status, retryAfter,
          redact(text));
      if (request != null && !read.succeeded()) {
        request.reset();
      }
      listener.failed(new UpstreamFailure(kind, status, retryAfter));
    });
  }

  private void unreachable(Throwable cause) {
    if (finished) {
      return;
    }
    finished = true;
    LOG.warn("event=engine.unreachable host={} port={} cause={}", options.getHost(),
        options.getPort(), cause.toString());
    listener.failed(UpstreamFailure.of(Kind.UNREACHABLE));
  }

  private void fail(UpstreamFailure failure, String detail) {
    if (finished) {
      return;
    }
    close();
    LOG.warn("event=engine.stream_failed kind={} detail=\"{}\"", failure.kind().tag(), detail);
    listener.failed(failure);
  }

  /** A log-safe excerpt of an upstream body: short, one line, without the API key. */
  private String redact(String text) {
    String safe = apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, "***");
    safe = safe.replaceAll("[\\r\\n\"]", " ");
    return safe.length() > LOGGED_BODY_CHARS ? safe.substring(0, LOGGED_BODY_CHARS) : safe;
  }
}
