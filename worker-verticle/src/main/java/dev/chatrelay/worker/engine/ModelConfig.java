package dev.chatrelay.worker.engine;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.Settings;

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

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final int DEFAULT_CONTEXT_MESSAGES = Settings.OPENAI_CONTEXT_MESSAGES.intDefault();
  public static final int DEFAULT_CONTEXT_CHARS = Settings.OPENAI_CONTEXT_CHARS.intDefault();
  public static final int DEFAULT_CONCURRENCY = Settings.OPENAI_CONCURRENCY.intDefault();
  public static final long DEFAULT_DEADLINE_MS = Settings.OPENAI_DEADLINE_MS.longDefault();
  public static final long DEFAULT_RETRY_BUDGET_MS = Settings.OPENAI_RETRY_BUDGET_MS.longDefault();
  public static final long DEFAULT_RETRY_BASE_MS = Settings.OPENAI_RETRY_BASE_MS.longDefault();
  public static final long DEFAULT_RETRY_MAX_MS = Settings.OPENAI_RETRY_MAX_MS.longDefault();
  public static final int DEFAULT_MAX_RETRIES = Settings.OPENAI_MAX_RETRIES.intDefault();

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
    long base = source.longValue(Settings.OPENAI_RETRY_BASE_MS);
    long max = source.longValue(Settings.OPENAI_RETRY_MAX_MS, Math.max(base, DEFAULT_RETRY_MAX_MS));
    if (max < base) {
      throw new ConfigSource.InvalidConfigException(Settings.OPENAI_RETRY_MAX_MS.name()
          + " must be at least " + Settings.OPENAI_RETRY_BASE_MS.name());
    }
    return new ModelConfig(
        source.intValue(Settings.OPENAI_CONTEXT_MESSAGES),
        source.intValue(Settings.OPENAI_CONTEXT_CHARS),
        source.intValue(Settings.OPENAI_CONCURRENCY),
        source.longValue(Settings.OPENAI_DEADLINE_MS),
        source.longValue(Settings.OPENAI_RETRY_BUDGET_MS),
        base,
        max,
        source.intValue(Settings.OPENAI_MAX_RETRIES),
        source.bool(Settings.OPENAI_INCLUDE_USAGE));
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
