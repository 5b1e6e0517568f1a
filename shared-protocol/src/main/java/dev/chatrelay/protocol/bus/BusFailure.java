package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes of event-bus replies ({@code message.fail(code, text)}). The gateway turns them
 * into the {@link ErrorCode} of the client's answer.
 */
public final class BusFailure {

  private BusFailure() {}

  public static final int BAD_REQUEST = 400;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  /** A worker append from a job attempt that is no longer current: the worker must stop. */
  public static final int FENCED = 409;
  /** A worker append whose index skips one not yet journaled. */
  public static final int OUT_OF_ORDER = 422;
  /** Over a relay-side limit (e.g. reply jobs queued per thread): the client may retry later. */
  public static final int RATE_LIMITED = 429;
  public static final int INTERNAL = 500;
  /** The shard is not owned here (any more): retry, the owner is moving. */
  public static final int NOT_OWNER = 503;
  /**
   * The journal (Redis) cannot be reached now. Clients get {@code internal} and retry; a worker
   * retries its append until its bus deadline, so a short Redis outage costs the reply a pause
   * instead of the job's lease.
   */
  public static final int UNAVAILABLE = 504;

  /** The client-facing error code for a failed request to a relay. */
  public static ErrorCode toErrorCode(Throwable failure) {
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return switch (re.failureCode()) {
        case BAD_REQUEST -> ErrorCode.BAD_REQUEST;
        case FORBIDDEN -> ErrorCode.FORBIDDEN;
        case NOT_FOUND -> ErrorCode.NOT_FOUND;
        case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
        default -> ErrorCode.INTERNAL;
      };
    }
    return ErrorCode.INTERNAL;
  }

  /** True when the relay could not reach its journal ({@link #UNAVAILABLE}). */
  public static boolean unavailable(Throwable failure) {
    return failure instanceof ReplyException re
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == UNAVAILABLE;
  }

  /** True for failures worth retrying: nobody consumed the address yet, or the owner moved. */
  public static boolean retryable(Throwable failure) {
    if (failure instanceof ReplyException re) {
      return re.failureType() == ReplyFailure.NO_HANDLERS
          || re.failureType() == ReplyFailure.TIMEOUT
          || (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == NOT_OWNER);
    }
    return false;
  }
}
