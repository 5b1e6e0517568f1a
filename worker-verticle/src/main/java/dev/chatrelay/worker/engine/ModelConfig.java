package dev.chatrelay.worker.engine;

import dev.chatrelay.protocol.config.ConfigSource;

/**
 * How the worker talks to a real model (RELAY_ENGINE=openai): the conversation budget, upstream
 * retries, concurrency and deadline. Read from {@code RELAY_OPENAI_*} variables.
 *
 * @param contextMessages most conversation turns sent, the text being answered included
 * @param contextChars most characters of conversation sent (the text being answered always goes)
 * @param concurrency upstream requests streaming at once per worker; more replies wait their turn
 * @param deadlineMs a reply not complete this long after it started ends with engine_timeout
 * @param retryBudgetMs no retry of a 429/5xx/broken stream starts later than this after the reply started
 * @param retryBaseMs first backoff pause; doubles per retry (full jitter) unless Retry-After says more
 * @param retryMaxMs longest backoff pause of its own (a longer Retry-After is honoured within the budget)
 * @param maxRetries upstream retries per reply at most
 * @param includeUsage ask for token usage ({@code stream_options.include_usage}); off for servers that reject it
 */
public record ModelConfig(int contextMessages, int contextChars, int concurrency, long deadlineMs,
    long retryBudgetMs, long retryBaseMs, long retryMaxMs, int maxRetries, boolean includeUsage) {

  /** Turns of conversation: enough for a chat's recent context, small for a request body. */
  public static final int DEFAULT_CONTEXT_MESSAGES = 40;
  /** About 8k tokens of history, inside every current model's context window. */
  public static final int DEFAULT_CONTEXT_CHARS = 32_000;
  /** Streams at once per worker; a hosted model's rate limit is reached long before a worker's. */
  public static final int DEFAULT_CONCURRENCY = 16;
  /** A reply taking longer than five minutes is not coming. */
  public static final long DEFAULT_DEADLINE_MS = 300_000;
  /** Covers a provider's typical Retry-After of a few seconds several times over. */
  public static final long DEFAULT_RETRY_BUDGET_MS = 60_000;
  /** The OpenAI SDKs start their backoff around half a second. */
  public static final long DEFAULT_RETRY_BASE_MS = 500;
  /** The OpenAI SDKs cap their own backoff at about 8 s. */
  public static final long DEFAULT_RETRY_MAX_MS = 8_000;
  /** Retries per reply: a provider that failed six times in a row is down. */
  public static final int DEFAULT_MAX_RETRIES = 5;

  private static final long MAX_MS = 86_400_000L;

  public ModelConfig {
    if (contextMessages < 1 || contextChars < 1 || concurrency < 1 || deadlineMs < 1
        || retryBudgetMs < 0 || retryBaseMs < 1 || retryMaxMs < retryBaseMs || maxRetries < 0) {
      throw new IllegalArgumentException("invalid model settings");
    }
  }

  public static ModelConfig defaults() {
    return new ModelConfig(DEFAULT_CONTEXT_MESSAGES, DEFAULT_CONTEXT_CHARS, DEFAULT_CONCURRENCY,
        DEFAULT_DEADLINE_MS, DEFAULT_RETRY_BUDGET_MS, DEFAULT_RETRY_BASE_MS, DEFAULT_RETRY_MAX_MS,
        DEFAULT_MAX_RETRIES, true);
  }

  /** Reads every {@code RELAY_OPENAI_*} knob of this record; an invalid value fails naming it. */
  public static ModelConfig from(ConfigSource source) {
    long base = source.longValue("RELAY_OPENAI_RETRY_BASE_MS", DEFAULT_RETRY_BASE_MS, 1, MAX_MS);
    return new ModelConfig(
        source.intValue("RELAY_OPENAI_CONTEXT_MESSAGES", DEFAULT_CONTEXT_MESSAGES, 1, 10_000),
        source.intValue("RELAY_OPENAI_CONTEXT_CHARS", DEFAULT_CONTEXT_CHARS, 1, 100_000_000),
        source.intValue("RELAY_OPENAI_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 100_000),
        source.longValue("RELAY_OPENAI_DEADLINE_MS", DEFAULT_DEADLINE_MS, 1, MAX_MS),
        source.longValue("RELAY_OPENAI_RETRY_BUDGET_MS", DEFAULT_RETRY_BUDGET_MS, 0, MAX_MS),
        base,
        source.longValue("RELAY_OPENAI_RETRY_MAX_MS", Math.max(base, DEFAULT_RETRY_MAX_MS), base,
            MAX_MS),
        source.intValue("RELAY_OPENAI_MAX_RETRIES", DEFAULT_MAX_RETRIES, 0, 1_000),
        source.bool("RELAY_OPENAI_INCLUDE_USAGE", true));
  }

  public ModelConfig withRetries(long budgetMs, long baseMs, long maxMs, int retries) {
    return new ModelConfig(contextMessages, contextChars, concurrency, deadlineMs, budgetMs,
        baseMs, maxMs, retries, includeUsage);
  }

  public ModelConfig withLimits(int maxConcurrent, long deadline) {
    return new ModelConfig(contextMessages, contextChars, maxConcurrent, deadline, retryBudgetMs,
        retryBaseMs, retryMaxMs, maxRetries, includeUsage);
  }

  public ModelConfig withContext(int messages, int chars) {
    return new ModelConfig(messages, chars, concurrency, deadlineMs, retryBudgetMs, retryBaseMs,
        retryMaxMs, maxRetries, includeUsage);
  }
}
