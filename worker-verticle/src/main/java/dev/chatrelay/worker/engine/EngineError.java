package dev.chatrelay.worker.engine;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Why an assistant reply failed: {@code code} and {@code message} become the {@code error} frame's
 * {@code data} as they are, so the message must be fit for a user to read (no secrets).
 */
public record EngineError(String code, String message) {

  /** The engine answered, but not with a usable reply (bad request, broken stream, scripted /fail). */
  public static final String ENGINE_ERROR = "engine_error";
  /** The engine could not be reached or is overloaded (connect failure, 5xx, 429): try later. */
  public static final String ENGINE_UNAVAILABLE = "engine_unavailable";

  public EngineError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public static EngineError error(String message) {
    return new EngineError(ENGINE_ERROR, message);
  }

  public static EngineError unavailable(String message) {
    return new EngineError(ENGINE_UNAVAILABLE, message);
  }

  /** The {@code data} of the {@code error} frame. */
  public JsonObject toFrameData() {
    return new JsonObject().put("code", code).put("message", message);
  }
}
