package dev.chatrelay.worker;

import dev.chatrelay.protocol.log.RecordText;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Setting;
import dev.chatrelay.protocol.config.Settings;
import dev.chatrelay.worker.engine.ModelConfig;
import dev.chatrelay.worker.engine.OpenAiOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Settings of the worker role, read from {@code RELAY_*} variables declared (name, default,
 * bounds, doc) in the registry, {@link Settings}.
 *
 * @param scriptedChunks chunks per scripted reply (fewer for short replies: at most one per character)
 * @param scriptedDelayMs pause before each scripted chunk; 0 = the whole reply at once
 * @param shards number of relay shards; must match the relays'
 * @param engine which assistant engine runs the jobs
 * @param openAiBaseUrl base URL of the OpenAI-compatible server including its version path
 *     (e.g. {@code http://127.0.0.1:11434/v1}); requests go to {@code <base>/chat/completions}
 * @param openAiApiKey bearer key sent to that server; null = no Authorization header
 * @param openAiModel model name sent in each request
 * @param openAiTimeoutMs connect timeout, and the longest silence tolerated in a streamed answer
 * @param openAiSystemPrompt system message put before the user's text; null = none
 * @param jobLeaseMs the relay's job lease; the worker reports "alive" every third of it
 * @param concurrency jobs this worker runs at once; a dispatch beyond it is refused with 503
 * @param busTimeoutMs how long one append may take, retries included, before the job gives up
 * @param busRetryMs pause between retries of an append that failed in a retryable way
 * @param busAttemptMs one attempt of an append waits this long for the relay's answer
 * @param model conversation budget, upstream retries, concurrency and deadline of the openai engine
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
    long busAttemptMs,
    ModelConfig model) {

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final int DEFAULT_SCRIPTED_CHUNKS = Settings.SCRIPTED_CHUNKS.intDefault();
  public static final long DEFAULT_SCRIPTED_DELAY_MS = Settings.SCRIPTED_DELAY_MS.longDefault();
  public static final long DEFAULT_OPENAI_TIMEOUT_MS = Settings.OPENAI_TIMEOUT_MS.longDefault();
  public static final long DEFAULT_JOB_LEASE_MS = Settings.JOB_LEASE_MS.longDefault();
  public static final int DEFAULT_CONCURRENCY = Settings.WORKER_CONCURRENCY.intDefault();
  public static final long DEFAULT_BUS_TIMEOUT_MS = Settings.BUS_TIMEOUT_MS.longDefault();
  public static final long DEFAULT_BUS_RETRY_MS = Settings.BUS_RETRY_MS.longDefault();
  public static final long DEFAULT_BUS_ATTEMPT_TIMEOUT_MS = Settings.BUS_ATTEMPT_TIMEOUT_MS.longDefault();

  /** The assistant engine that answers jobs. */
  public enum EngineKind {
    /** Deterministic echo, for the demo and load tests. */
    SCRIPTED,
    /** Streams from an OpenAI-compatible server: {@code <RELAY_OPENAI_BASE_URL>/chat/completions}. */
    OPENAI;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public WorkerConfig {
    model = model == null ? ModelConfig.defaults() : model;
    if (engine == EngineKind.OPENAI) {
      require(openAiBaseUrl, Settings.OPENAI_BASE_URL);
      require(openAiModel, Settings.OPENAI_MODEL);
    }
  }

  /** The defaults: scripted engine, values as documented on the constants. */
  public static WorkerConfig defaults() {
    return new WorkerConfig(DEFAULT_SCRIPTED_CHUNKS, DEFAULT_SCRIPTED_DELAY_MS, Settings.SHARDS.intDefault(),
        EngineKind.SCRIPTED, null, null, null, DEFAULT_OPENAI_TIMEOUT_MS, null,
        DEFAULT_JOB_LEASE_MS, DEFAULT_CONCURRENCY, DEFAULT_BUS_TIMEOUT_MS, DEFAULT_BUS_RETRY_MS,
        DEFAULT_BUS_ATTEMPT_TIMEOUT_MS, ModelConfig.defaults());
  }

  /** Reads every {@code RELAY_*} variable of the worker; an invalid value fails naming it. */
  public static WorkerConfig from(ConfigSource source) {
    return new WorkerConfig(
        source.intValue(Settings.SCRIPTED_CHUNKS),
        source.longValue(Settings.SCRIPTED_DELAY_MS),
        source.intValue(Settings.SHARDS),
        engineKind(source),
        source.checked(Settings.OPENAI_BASE_URL, WorkerConfig::isVersionedBaseUrl,
            "an http:// or https:// URL that includes the version path, e.g. http://host:11434/v1"),
        source.raw(Settings.OPENAI_API_KEY),
        source.raw(Settings.OPENAI_MODEL),
        source.longValue(Settings.OPENAI_TIMEOUT_MS),
        source.raw(Settings.OPENAI_SYSTEM_PROMPT),
        source.longValue(Settings.JOB_LEASE_MS),
        source.intValue(Settings.WORKER_CONCURRENCY),
        source.longValue(Settings.BUS_TIMEOUT_MS),
        source.longValue(Settings.BUS_RETRY_MS),
        source.longValue(Settings.BUS_ATTEMPT_TIMEOUT_MS),
        ModelConfig.from(source));
  }

  /** How often a running job tells the relay it is alive: a third of the lease. */
  public long aliveIntervalMs() {
    return Math.max(1, jobLeaseMs / 3);
  }

  public WorkerConfig withScripted(int chunks, long delayMs) {
    return new WorkerConfig(chunks, delayMs, shards, engine, openAiBaseUrl, openAiApiKey,
        openAiModel, openAiTimeoutMs, openAiSystemPrompt, jobLeaseMs, concurrency, busTimeoutMs,
        busRetryMs, busAttemptMs, model);
  }

  public WorkerConfig withJobs(long leaseMs, int maxConcurrent) {
    return new WorkerConfig(scriptedChunks, scriptedDelayMs, shards, engine, openAiBaseUrl,
        openAiApiKey, openAiModel, openAiTimeoutMs, openAiSystemPrompt, leaseMs, maxConcurrent,
        busTimeoutMs, busRetryMs, busAttemptMs, model);
  }

  public WorkerConfig withBus(long timeoutMs, long retryMs) {
    return new WorkerConfig(scriptedChunks, scriptedDelayMs, shards, engine, openAiBaseUrl,
        openAiApiKey, openAiModel, openAiTimeoutMs, openAiSystemPrompt, jobLeaseMs, concurrency,
        timeoutMs, retryMs, busAttemptMs, model);
  }

  public WorkerConfig withOpenAi(String baseUrl, String apiKey, String model, long timeoutMs,
      String systemPrompt) {
    return new WorkerConfig(scriptedChunks, scriptedDelayMs, shards, EngineKind.OPENAI, baseUrl,
        apiKey, model, timeoutMs, systemPrompt, jobLeaseMs, concurrency, busTimeoutMs, busRetryMs,
        busAttemptMs, this.model);
  }

  public WorkerConfig withModel(ModelConfig settings) {
    return new WorkerConfig(scriptedChunks, scriptedDelayMs, shards, engine, openAiBaseUrl,
        openAiApiKey, openAiModel, openAiTimeoutMs, openAiSystemPrompt, jobLeaseMs, concurrency,
        busTimeoutMs, busRetryMs, busAttemptMs, settings);
  }

  private static EngineKind engineKind(ConfigSource source) {
    String value = source.checked(Settings.ENGINE,
        v -> v.equals(EngineKind.SCRIPTED.wire()) || v.equals(EngineKind.OPENAI.wire()),
        "scripted or openai");
    return EngineKind.valueOf(value.toUpperCase(Locale.ROOT));
  }

  private static void require(String value, Setting setting) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigException(setting.name() + " is required when "
          + Settings.ENGINE.name() + "=" + EngineKind.OPENAI.wire());
    }
  }

  /**
   * An http(s) URL with a path (the version path, e.g. {@code /v1}) that is not already the
   * completions endpoint. A bare {@code http://host:port} is refused rather than guessed at:
   * servers differ in where they mount the API ({@code /v1}, {@code /api/v1}, ...), and a guess
   * would turn a configuration mistake into a 404 on every reply.
   */
  static boolean isVersionedBaseUrl(String value) {
    try {
      URI uri = new URI(value);
      String path = uri.getPath() == null ? "" : uri.getPath();
      String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null && !trimmed.isEmpty()
          && !trimmed.endsWith(OpenAiOptions.COMPLETIONS_PATH)
          && uri.getQuery() == null && uri.getFragment() == null;
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
