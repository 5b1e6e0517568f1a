package dev.chatrelay.worker.engine;

import dev.chatrelay.protocol.log.RecordText;
import java.util.Objects;

/**
 * Where and how {@link OpenAiCompatibleEngine} asks for replies.
 *
 * @param baseUrl server base URL including the version path, as the OpenAI SDKs take it (e.g.
 *     {@code https://api.openai.com/v1}); requests go to {@code baseUrl + /chat/completions}
 * @param apiKey bearer key; null = no Authorization header (local servers)
 * @param model model name sent in each request
 * @param timeoutMs connect timeout, and the longest silence tolerated while streaming
 * @param systemPrompt system message put before the conversation; null = none
 * @param limits concurrency, deadline, retries and usage reporting
 */
public record OpenAiOptions(String baseUrl, String apiKey, String model, long timeoutMs,
    String systemPrompt, ModelConfig limits) {

  /** The path, below the base URL, that serves streamed chat completions. */
  public static final String COMPLETIONS_PATH = "/chat/completions";

  public OpenAiOptions {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(limits, "limits");
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be positive");
    }
  }

  /** The API key stays out of logs: only whether it is set is shown. */
  @Override
  public String toString() {
    return RecordText.withSecrets(this, "apiKey");
  }

  /** The absolute completions URL, whether or not the base ends with a slash. */
  public String completionsUrl() {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + COMPLETIONS_PATH;
  }
}
