package dev.chatrelay.relay.journal;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.Set;

/**
 * Tells Redis failures apart by what they are, never by free text: a failure that is no Redis
 * reply (an I/O error, a closed connection, no answer in time) means Redis could not be reached;
 * a Redis error reply is classified by its error code, the first word of the reply as Redis
 * defines it ({@code -LOADING ...}), which is stable across versions where the text after it is
 * not.
 */
final class RedisFailures {

  /** What a failure means for the journal's callers. */
  enum Kind {
    /** The shard's fence refused the write: this relay no longer owns it. */
    FENCED,
    /** Redis does not know the script (restarted, cache flushed): run it by its source. */
    NO_SCRIPT,
    /** Redis cannot be reached or cannot serve now; retrying later may work. */
    UNAVAILABLE,
    /** Redis refused the command for good (a bug or a misconfiguration): retrying is useless. */
    REFUSED
  }

  /** Code of our scripts' fencing error ({@code FENCED <latest token>}). */
  static final String FENCED = "FENCED";
  static final String NO_SCRIPT = "NOSCRIPT";
  /**
   * Error codes of a Redis that cannot serve now: loading its data, running a long script,
   * a replica or a failing-over cluster, out of memory until keys expire, and the client's own
   * code for a connection that ended with the command in flight.
   */
  static final Set<String> TRANSIENT = Set.of("LOADING", "BUSY", "READONLY", "MASTERDOWN",
      "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "OOM", "CONNECTION_CLOSED");

  private RedisFailures() {}

  static Kind kind(Throwable err) {
    if (err instanceof JournalUnavailableException) {
      return Kind.UNAVAILABLE;
    }
    String code = errorCode(err);
    if (code == null) {
      return Kind.UNAVAILABLE; // no reply from Redis at all: the link or the connection failed
    }
    if (code.equals(FENCED)) {
      return Kind.FENCED;
    }
    if (code.equals(NO_SCRIPT)) {
      return Kind.NO_SCRIPT;
    }
    return TRANSIENT.contains(code) ? Kind.UNAVAILABLE : Kind.REFUSED;
  }

  /** True for a Redis error reply (the client hands them over as failures that are replies). */
  static boolean isErrorReply(Throwable err) {
    return err instanceof Response r && r.type() == ResponseType.ERROR;
  }

  /** The error code of a Redis error reply ({@code LOADING}, {@code FENCED}...), else null. */
  static String errorCode(Throwable err) {
    if (!isErrorReply(err)) {
      return null;
    }
    String line = err.getMessage();
    if (line == null || line.isEmpty()) {
      return "";
    }
    int space = line.indexOf(' ');
    return space < 0 ? line : line.substring(0, space);
  }

  /** The word after the code of an error reply ({@code FENCED 12} gives {@code 12}). */
  static String argument(Throwable err) {
    String line = err.getMessage();
    int space = line == null ? -1 : line.indexOf(' ');
    return space < 0 ? "" : line.substring(space + 1).trim();
  }

  /** A failure with no reply from Redis, as the journal's outage. */
  static JournalUnavailableException unreachable(Throwable err) {
    if (err instanceof JournalUnavailableException u) {
      return u;
    }
    return new JournalUnavailableException("redis did not answer: " + err, err);
  }
}
