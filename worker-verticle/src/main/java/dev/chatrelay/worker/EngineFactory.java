package dev.chatrelay.worker;

import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.EngineMetrics;
import dev.chatrelay.worker.engine.OpenAiCompatibleEngine;
import dev.chatrelay.worker.engine.OpenAiOptions;
import dev.chatrelay.worker.engine.ScriptedEngine;
import io.vertx.core.Vertx;

/** Builds the engine that {@link WorkerConfig#engine()} names. */
final class EngineFactory {

  private EngineFactory() {}

  static AssistantEngine create(Vertx vertx, WorkerConfig config, EngineMetrics metrics) {
    return switch (config.engine()) {
      case SCRIPTED -> new ScriptedEngine(vertx, config.scriptedChunks(), config.scriptedDelayMs());
      case OPENAI -> new OpenAiCompatibleEngine(vertx, new OpenAiOptions(config.openAiBaseUrl(),
          config.openAiApiKey(), config.openAiModel(), config.openAiTimeoutMs(),
          config.openAiSystemPrompt(), config.model()), metrics);
    };
  }
}
