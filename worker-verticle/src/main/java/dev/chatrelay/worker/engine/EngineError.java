package dev.chatrelay.worker.engine;

import dev.chatrelay.protocol.reply.ReplyFrame;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Why an assistant reply failed: {@code code} and {@code message} become the {@code error} frame's
 * {@code data} as they are, so the message must be fit for a user to read: fixed texts only,
 * never the API key, the prompt or an upstream body.
 */
public record EngineError(String code, String message) {

  /** The engine answered, but not with a usable reply (malformed stream, scripted /fail). */
  public static final String ENGINE_ERROR = "engine_error";
  /** The engine stayed unreachable or overloaded (connect failure, 5xx, 429, broken streams) past the retry budget. */
  public static final String ENGINE_UNAVAILABLE = "engine_unavailable";
  /** The upstream refused the credentials (HTTP 401 or 403): check the API key. */
  public static final String ENGINE_AUTH = "engine_auth";
  /** The upstream refused the request (HTTP 400, 404, 422 and other 4xx): check model and base URL. */
  public static final String ENGINE_BAD_REQUEST = "engine_bad_request";
  /** The reply did not complete within the per-request deadline. */
  public static final String ENGINE_TIMEOUT = "engine_timeout";

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

  /**
   * The error for an upstream HTTP status that is not retried: 401/403 auth, other 4xx a bad
   * request. The message names only the status.
   */
  public static EngineError refused(int status) {
    if (status == 401 || status == 403) {
      return new EngineError(ENGINE_AUTH,
          "the model server refused the credentials (HTTP " + status + ")");
    }
    if (status >= 400 && status < 500) {
      return new EngineError(ENGINE_BAD_REQUEST,
          "the model server refused the request (HTTP " + status + ")");
    }
    return new EngineError(ENGINE_ERROR, "the model server answered HTTP " + status);
  }

  /** The {@code data} of the {@code error} frame. */
  public JsonObject toFrameData() {
    return ReplyFrame.error(0, code, message).data();
  }
}
