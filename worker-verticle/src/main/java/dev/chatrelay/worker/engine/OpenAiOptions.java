package dev.chatrelay.worker.engine;

import dev.chatrelay.protocol.log.RecordText;
import java.util.Objects;

/**
 * Where and how {@link OpenAiCompatibleEngine} asks for replies.
 *
 * @param baseUrl server base URL; requests go to {@code baseUrl + /v1/chat/completions}
 * @param apiKey bearer key; null = no Authorization header (local servers)
 * @param model model name sent in each request
 * @param timeoutMs connect timeout, and the longest silence tolerated while streaming
 * @param systemPrompt system message put before the user's text; null = none
 * @param maxConnections HTTP connections kept to the server: one per reply streaming at once
 */
public record OpenAiOptions(String baseUrl, String apiKey, String model, long timeoutMs,
    String systemPrompt, int maxConnections) {

  /** The path every OpenAI-compatible server serves streamed chat completions on. */
  public static final String COMPLETIONS_PATH = "/v1/chat/completions";

  public OpenAiOptions {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    if (timeoutMs < 1 || maxConnections < 1) {
      throw new IllegalArgumentException("timeoutMs and maxConnections must be positive");
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
