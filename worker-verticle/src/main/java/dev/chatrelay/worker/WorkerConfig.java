package dev.chatrelay.worker;

import dev.chatrelay.protocol.log.RecordText;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Settings of the worker role, read from {@code RELAY_*} variables.
 *
 * @param scriptedChunks chunks per scripted reply (fewer for short replies: at most one per character)
 * @param scriptedDelayMs pause before each scripted chunk; 0 = none
 * @param shards number of relay shards; must match the relays'
 * @param engine which assistant engine runs the jobs
 * @param openAiBaseUrl base URL of the OpenAI-compatible server, without {@code /v1/...}
 * @param openAiApiKey bearer key sent to that server; null = no Authorization header
 * @param openAiModel model name sent in each request
 * @param openAiTimeoutMs connect timeout, and the longest silence tolerated in a streamed answer
 * @param openAiSystemPrompt system message put before the user's text; null = none
 * @param jobLeaseMs the relay's job lease; the worker reports "alive" every third of it
 * @param concurrency jobs this worker runs at once; a dispatch beyond it is refused with 503
 * @param busTimeoutMs how long one append may take, retries included, before the job gives up
 * @param busRetryMs pause between retries of an append that failed in a retryable way
 * @param busAttemptMs one attempt of an append waits this long for the relay's answer
 */
public record WorkerConfig(
    int scriptedChunks,
    long scriptedDelayMs,
    int shards,
    EngineKind engine,
    String openAiBaseUrl,
    String openAiApiKey,
    String openAiModel,
    long openAiTimeoutMs,
    String openAiSystemPrompt,
    long jobLeaseMs,
    int concurrency,
    long busTimeoutMs,
    long busRetryMs,
    long busAttemptMs) {

  /** Chunks per scripted reply (PROTOCOL.md, Operating contract). */
  public static final int DEFAULT_SCRIPTED_CHUNKS = 8;
  /** Pause before each scripted chunk: slow enough for a person to watch the stream. */
  public static final long DEFAULT_SCRIPTED_DELAY_MS = 50;
  /** A silent OpenAI-compatible server is given up on after this long. */
  public static final long DEFAULT_OPENAI_TIMEOUT_MS = 60_000;
  /** The relay's default job lease (relay and worker must agree). */
  public static final long DEFAULT_JOB_LEASE_MS = 10_000;
  /** Jobs are cheap (a timer or one HTTP stream each), so one worker can hold many. */
  public static final int DEFAULT_CONCURRENCY = 1_000;
  /** Covers a shard moving to another relay, well inside the job lease. */
  public static final long DEFAULT_BUS_TIMEOUT_MS = 5_000;
  /** Retry pause while a shard has no owner for a moment. */
  public static final long DEFAULT_BUS_RETRY_MS = 100;
  /** An append written to a relay that just died is never answered: cut short and sent again. */
  public static final long DEFAULT_BUS_ATTEMPT_TIMEOUT_MS = 2_000;

  /** Longest configurable duration: one day, far beyond any sensible value. */
  private static final long MAX_MS = 86_400_000L;

  /** The assistant engine that answers jobs. */
  public enum EngineKind {
    /** Deterministic echo, for the demo and load tests. */
    SCRIPTED,
    /** Streams from an OpenAI-compatible {@code /v1/chat/completions} endpoint. */
    OPENAI;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public WorkerConfig {
    if (engine == EngineKind.OPENAI) {
      require(openAiBaseUrl, "RELAY_OPENAI_BASE_URL");
      require(openAiModel, "RELAY_OPENAI_MODEL");
    }
  }

  /** The defaults: scripted engine, values as documented on the constants. */
  public static WorkerConfig defaults() {
    return new WorkerConfig(DEFAULT_SCRIPTED_CHUNKS, DEFAULT_SCRIPTED_DELAY_MS, Shards.DEFAULT_COUNT,
        EngineKind.SCRIPTED, null, null, null, DEFAULT_OPENAI_TIMEOUT_MS, null,
        DEFAULT_JOB_LEASE_MS, DEFAULT_CONCURRENCY, DEFAULT_BUS_TIMEOUT_MS, DEFAULT_BUS_RETRY_MS,
        DEFAULT_BUS_ATTEMPT_TIMEOUT_MS);
  }

  /** Reads every {@code RELAY_*} variable of the worker; an invalid value fails naming it. */
  public static WorkerConfig from(ConfigSource source) {
    return new WorkerConfig(
        source.intValue("RELAY_SCRIPTED_CHUNKS", DEFAULT_SCRIPTED_CHUNKS, 1, 100_000),
        source.longValue("RELAY_SCRIPTED_DELAY_MS", DEFAULT_SCRIPTED_DELAY_MS, 0, MAX_MS),
        source.intValue("RELAY_SHARDS", Shards.DEFAULT_COUNT, 1, 1 << 16),
        engineKind(source),
        source.checked("RELAY_OPENAI_BASE_URL", null, WorkerConfig::isHttpUrl,
            "an http:// or https:// URL"),
        source.raw("RELAY_OPENAI_API_KEY"),
        source.raw("RELAY_OPENAI_MODEL"),
        source.longValue("RELAY_OPENAI_TIMEOUT_MS", DEFAULT_OPENAI_TIMEOUT_MS, 1, MAX_MS),
        source.raw("RELAY_OPENAI_SYSTEM_PROMPT"),
        source.longValue("RELAY_JOB_LEASE_MS", DEFAULT_JOB_LEASE_MS, 3, MAX_MS),
        source.intValue("RELAY_WORKER_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 1_000_000),
        source.longValue("RELAY_BUS_TIMEOUT_MS", DEFAULT_BUS_TIMEOUT_MS, 1, MAX_MS),
        source.longValue("RELAY_BUS_RETRY_MS", DEFAULT_BUS_RETRY_MS, 1, MAX_MS),
        source.longValue("RELAY_BUS_ATTEMPT_TIMEOUT_MS", DEFAULT_BUS_ATTEMPT_TIMEOUT_MS, 1, MAX_MS));
  }

  /** How often a running job tells the relay it is alive: a third of the lease. */
  public long aliveIntervalMs() {
    return Math.max(1, jobLeaseMs / 3);
  }

  public WorkerConfig withScripted(int chunks, long delayMs) {
    return new WorkerConfig(chunks, delayMs, shards, engine, openAiBaseUrl, openAiApiKey,
        openAiModel, openAiTimeoutMs, openAiSystemPrompt, jobLeaseMs, concurrency, busTimeoutMs,
        busRetryMs, busAttemptMs);
  }

  public WorkerConfig withJobs(long leaseMs, int maxConcurrent) {
    return new WorkerConfig(scriptedChunks, scriptedDelayMs, shards, engine, openAiBaseUrl,
        openAiApiKey, openAiModel, openAiTimeoutMs, openAiSystemPrompt, leaseMs, maxConcurrent,
        busTimeoutMs, busRetryMs, busAttemptMs);
  }

  public WorkerConfig withBus(long timeoutMs, long retryMs) {
    return new WorkerConfig(scriptedChunks, scriptedDelayMs, shards, engine, openAiBaseUrl,
        openAiApiKey, openAiModel, openAiTimeoutMs, openAiSystemPrompt, jobLeaseMs, concurrency,
        timeoutMs, retryMs, busAttemptMs);
  }

  public WorkerConfig withOpenAi(String baseUrl, String apiKey, String model, long timeoutMs,
      String systemPrompt) {
    return new WorkerConfig(scriptedChunks, scriptedDelayMs, shards, EngineKind.OPENAI, baseUrl,
        apiKey, model, timeoutMs, systemPrompt, jobLeaseMs, concurrency, busTimeoutMs, busRetryMs,
        busAttemptMs);
  }

  private static EngineKind engineKind(ConfigSource source) {
    String value = source.checked("RELAY_ENGINE", EngineKind.SCRIPTED.wire(),
        v -> v.equals(EngineKind.SCRIPTED.wire()) || v.equals(EngineKind.OPENAI.wire()),
        "scripted or openai");
    return EngineKind.valueOf(value.toUpperCase(Locale.ROOT));
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigException(name + " is required when RELAY_ENGINE=openai");
    }
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The OpenAI key stays out of logs: only whether it is set is shown. */
  @Override
  public String toString() {
    return RecordText.withSecrets(this, "openAiApiKey");
  }
}
