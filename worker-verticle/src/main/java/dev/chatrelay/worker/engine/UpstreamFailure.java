package dev.chatrelay.worker.engine;

/**
 * Why one upstream request did not produce a complete reply.
 *
 * @param kind what went wrong
 * @param status the HTTP status for {@link Kind#OVERLOADED} and {@link Kind#REFUSED}, else 0
 * @param retryAfterMs the server's Retry-After in ms, or -1 when it sent none
 */
record UpstreamFailure(Kind kind, int status, long retryAfterMs) {

  enum Kind {
    /** No connection or no response (connect refused, reset before the status line). */
    UNREACHABLE,
    /** 408, 409, 429 or 5xx: the server asks to come back later. */
    OVERLOADED,
    /** Any other non-200 status: the request itself is wrong. */
    REFUSED,
    /** The stream stopped before the reply was complete (cut, idle too long, error event). */
    BROKEN,
    /** The stream is not Server-Sent Events of chat-completion chunks. */
    MALFORMED;

    /** The metric tag of this kind. */
    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static UpstreamFailure of(Kind kind) {
    return new UpstreamFailure(kind, 0, -1);
  }

  /** True for failures another request may not repeat. */
  boolean retryable() {
    return kind == Kind.UNREACHABLE || kind == Kind.OVERLOADED || kind == Kind.BROKEN;
  }

  /** True for the statuses a client should retry (as the OpenAI SDKs do). */
  static boolean overloaded(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** The error frame for this failure when no retry follows; never any upstream text. */
  EngineError toError() {
    return switch (kind) {
      case UNREACHABLE -> EngineError.unavailable("the model server cannot be reached");
      case OVERLOADED -> EngineError.unavailable(
          "the model server is unavailable (HTTP " + status + ")");
      case REFUSED -> EngineError.refused(status);
      case BROKEN -> EngineError.unavailable("the model server's stream kept breaking");
      case MALFORMED -> EngineError.error("the model server's stream is malformed");
    };
  }
}
