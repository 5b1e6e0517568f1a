package dev.chatrelay.worker;

import dev.chatrelay.protocol.config.ConfigSource;

/** STUB for compiling the launcher; replaced by the worker helper's class at merge. */
public record WorkerConfig() {

  public static WorkerConfig from(ConfigSource source) {
    return new WorkerConfig();
  }

  public static WorkerConfig defaults() {
    return new WorkerConfig();
  }
}
