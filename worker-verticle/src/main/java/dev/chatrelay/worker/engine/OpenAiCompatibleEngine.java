package dev.chatrelay.worker.engine;

import dev.chatrelay.protocol.Clock;
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
 * Streams replies from an OpenAI-compatible server: one {@code POST <base>/chat/completions} with
 * {@code stream: true} and the thread's conversation per reply, read as Server-Sent Events, with
 * retries, a concurrency limit and a deadline ({@link OpenAiRun}). A sampling model words a retry
 * differently, so the engine is not repeatable: a retried reply starts over with a restart.
 */
public final class OpenAiCompatibleEngine implements AssistantEngine {

  private final HttpClient client;
  private final OpenAiOptions options;
  private final OpenAiRun.Upstream upstream;

  public OpenAiCompatibleEngine(Vertx vertx, OpenAiOptions options, EngineMetrics metrics) {
    this(vertx, options, metrics, new UpstreamRetry(options.limits()), Clock.SYSTEM);
  }

  OpenAiCompatibleEngine(Vertx vertx, OpenAiOptions options, EngineMetrics metrics,
      UpstreamRetry retry, Clock clock) {
    this.options = options;
    this.client = vertx.createHttpClient(new HttpClientOptions(),
        new PoolOptions().setHttp1MaxSize(options.limits().concurrency()));
    this.upstream = new OpenAiRun.Upstream(vertx, client, requestOptions(), options.apiKey(),
        options.limits(), new UpstreamSlots(options.limits().concurrency()), retry, metrics,
        clock);
  }

  @Override
  public boolean wantsConversation() {
    return true;
  }

  @Override
  public EngineRun start(EngineRequest request, EngineSink sink) {
    OpenAiRun run = new OpenAiRun(upstream, requestBody(request).toBuffer(), sink);
    run.begin();
    return run;
  }

  /** Replies waiting for an upstream slot (the concurrency limit). */
  int waitingForSlot() {
    return upstream.slots().waiting();
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

  /** The request body: the optional system prompt, then the conversation oldest first. */
  JsonObject requestBody(EngineRequest request) {
    JsonArray messages = new JsonArray();
    if (options.systemPrompt() != null) {
      messages.add(new JsonObject().put("role", "system").put("content", options.systemPrompt()));
    }
    for (ChatTurn turn : request.conversation()) {
      messages.add(new JsonObject().put("role", turn.role()).put("content", turn.content()));
    }
    JsonObject body = new JsonObject()
        .put("model", options.model())
        .put("stream", true)
        .put("messages", messages);
    if (options.limits().includeUsage()) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }
}
