package dev.chatrelay.worker.engine;

import io.vertx.core.json.JsonObject;

/**
 * What an upstream model reported about a completed reply, when it did.
 *
 * @param finishReason why generation stopped ({@code stop}, {@code length}, ...); null = not sent
 * @param usage token counts as the upstream sent them ({@code prompt_tokens}, ...); null = not sent
 */
public record Completion(String finishReason, JsonObject usage) {

  /** Nothing reported. */
  public static final Completion NONE = new Completion(null, null);
}
