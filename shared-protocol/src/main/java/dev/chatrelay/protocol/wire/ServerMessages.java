package dev.chatrelay.protocol.wire;

import dev.chatrelay.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * Encoders of the server → client messages of PROTOCOL.md, returning wire text. Frames are
 * encoded by {@link dev.chatrelay.protocol.Frame#toWire()} and travel pre-encoded.
 */
public final class ServerMessages {

  /** {@code ping} and {@code pong} never change: encoded once. */
  public static final String PING = new JsonObject().put("type", "ping").encode();
  public static final String PONG = new JsonObject().put("type", "pong").encode();

  /** PROTOCOL.md Limits: the longest {@code ref} of an {@code error} (thread ids are at most 128). */
  public static final int MAX_REF_CHARS = 128;

  private ServerMessages() {}

  public static String welcome(String session, long heartbeatMs, long expSeconds) {
    return message("welcome").put("session", session).put("heartbeat", heartbeatMs)
        .put("exp", expSeconds).encode();
  }

  public static String subscribed(String thread, String epoch, long head) {
    return message("subscribed").put("thread", thread).put("epoch", epoch).put("head", head)
        .encode();
  }

  /** {@code reason}: {@code epoch}, {@code retention} or {@code ahead}. */
  public static String reset(String thread, String epoch, long head, String reason) {
    return message("reset").put("thread", thread).put("epoch", epoch).put("head", head)
        .put("reason", reason).encode();
  }

  /**
   * Seqs {@code from..to} were ended replies' token frames, dropped by compaction: the client
   * counts them as processed (PROTOCOL.md, Compaction).
   */
  public static String compacted(String thread, String epoch, long from, long to) {
    return message("compacted").put("thread", thread).put("epoch", epoch).put("from", from)
        .put("to", to).encode();
  }

  public static String accepted(String id, String thread, long seq) {
    return message("accepted").put("id", id).put("thread", thread).put("seq", seq).encode();
  }

  public static String unsubscribed(String thread) {
    return message("unsubscribed").put("thread", thread).encode();
  }

  public static String refreshed(long expSeconds) {
    return message("refreshed").put("exp", expSeconds).encode();
  }

  public static String tokenExpiring(long expSeconds) {
    return message("token_expiring").put("exp", expSeconds).encode();
  }

  /**
   * {@code ref} is omitted when null and cut to {@link #MAX_REF_CHARS} (PROTOCOL.md Limits): an
   * invalid field of any size is never echoed whole.
   */
  public static String error(ErrorCode code, String message, String ref) {
    JsonObject json = message("error").put("code", code.wire()).put("message", message);
    if (ref != null) {
      json.put("ref", cutRef(ref));
    }
    return json.encode();
  }

  /** {@code ref} as an error carries it: at most {@link #MAX_REF_CHARS} chars, no split surrogate pair. */
  public static String cutRef(String ref) {
    if (ref.length() <= MAX_REF_CHARS) {
      return ref;
    }
    int end = Character.isHighSurrogate(ref.charAt(MAX_REF_CHARS - 1)) ? MAX_REF_CHARS - 1 : MAX_REF_CHARS;
    return ref.substring(0, end);
  }

  public static String ping() {
    return PING;
  }

  public static String pong() {
    return PONG;
  }

  private static JsonObject message(String type) {
    return new JsonObject().put("type", type);
  }
}
