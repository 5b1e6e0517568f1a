package dev.chatrelay.worker.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Streams replies from an OpenAI-compatible server: one {@code POST /v1/chat/completions} with
 * {@code stream: true} per reply, read as Server-Sent Events. Cancelling a reply closes its
 * HTTP request.
 */
public final class OpenAiCompatibleEngine implements AssistantEngine {

  private final HttpClient client;
  private final OpenAiOptions options;

  public OpenAiCompatibleEngine(Vertx vertx, OpenAiOptions options) {
    this.options = options;
    this.client = vertx.createHttpClient(new HttpClientOptions(),
        new PoolOptions().setHttp1MaxSize(options.maxConnections()));
  }

  @Override
  public EngineRun start(String text, EngineSink sink) {
    OpenAiRun run = new OpenAiRun(client, requestOptions(), requestBody(text), sink);
    run.begin();
    return run;
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  private RequestOptions requestOptions() {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(options.completionsUrl())
        .setConnectTimeout(options.timeoutMs())
        .setIdleTimeout(options.timeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
    if (options.apiKey() != null) {
      request.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + options.apiKey());
    }
    return request;
  }

  /** The request body: this one text, with the optional system prompt and no history. */
  JsonObject requestBody(String text) {
    JsonArray messages = new JsonArray();
    if (options.systemPrompt() != null) {
      messages.add(new JsonObject().put("role", "system").put("content", options.systemPrompt()));
    }
    messages.add(new JsonObject().put("role", "user").put("content", text));
    return new JsonObject()
        .put("model", options.model())
        .put("stream", true)
        .put("messages", messages);
  }
}
