package dev.chatrelay.protocol.wire;

import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.wire.ClientMessage.Ack;
import dev.chatrelay.protocol.wire.ClientMessage.Cancel;
import dev.chatrelay.protocol.wire.ClientMessage.Hello;
import dev.chatrelay.protocol.wire.ClientMessage.InvalidResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.Ping;
import dev.chatrelay.protocol.wire.ClientMessage.Pong;
import dev.chatrelay.protocol.wire.ClientMessage.Refresh;
import dev.chatrelay.protocol.wire.ClientMessage.ResumeEntry;
import dev.chatrelay.protocol.wire.ClientMessage.ResumeItem;
import dev.chatrelay.protocol.wire.ClientMessage.Send;
import dev.chatrelay.protocol.wire.ClientMessage.Subscribe;
import dev.chatrelay.protocol.wire.ClientMessage.Unsubscribe;
import dev.chatrelay.protocol.wire.DecodeResult.Command;
import dev.chatrelay.protocol.wire.DecodeResult.Rejected;
import dev.chatrelay.protocol.wire.DecodeResult.Violation;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one client message and applies every "Bad input" rule of PROTOCOL.md. A JSON
 * {@code null} counts as an absent field; unknown fields are ignored. The size of the whole
 * message (close 4513) is the transport's check, made before decoding.
 */
public final class ClientMessageDecoder {

  private static final String THREAD_RULE = "must be a string matching [A-Za-z0-9._:-]{1,128}";
  private static final String ID_RULE = "must be 1-64 printable ASCII characters";
  private static final String SEQ_RULE = "must be an integer >= 0";

  private ClientMessageDecoder() {}

  public static DecodeResult decode(String text) {
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      return new Violation("not JSON");
    }
    if (!(parsed instanceof JsonObject json)) {
      return new Violation("not a JSON object");
    }
    if (!(json.getValue("type") instanceof String type)) {
      return new Violation("no string field type");
    }
    try {
      return new Command(decode(type, json));
    } catch (Refusal r) {
      return new Rejected(type, r.code, refOf(type, json), r.getMessage());
    }
  }

  private static ClientMessage decode(String type, JsonObject json) {
    return switch (type) {
      case Hello.TYPE -> new Hello(optionalString(json, "token"), resume(json));
      case Subscribe.TYPE -> new Subscribe(thread(json), optionalEpoch(json), optionalSeq(json, "after"));
      case Unsubscribe.TYPE -> new Unsubscribe(thread(json));
      case Send.TYPE -> new Send(thread(json), clientId(json, "id"), text(json));
      case Ack.TYPE -> new Ack(thread(json), requiredSeq(json, "seq"));
      case Refresh.TYPE -> new Refresh(requiredString(json, "token"));
      case ClientMessage.Cancel.TYPE -> new Cancel(thread(json), clientId(json, "replyTo"));
      case Ping.TYPE -> new Ping();
      case Pong.TYPE -> new Pong();
      default -> throw new Refusal(ErrorCode.BAD_REQUEST, "unknown type " + abbreviate(type));
    };
  }

  /** The {@code ref} of an error answer: the send id, the cancel replyTo, otherwise the thread. */
  static String refOf(String type, JsonObject json) {
    String field = switch (type) {
      case Send.TYPE -> "id";
      case ClientMessage.Cancel.TYPE -> "replyTo";
      default -> "thread";
    };
    return json.getValue(field) instanceof String s ? s : null;
  }

  private static List<ResumeItem> resume(JsonObject json) {
    Object value = json.getValue("resume");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new Refusal(ErrorCode.BAD_REQUEST, "resume must be an array");
    }
    List<ResumeItem> items = new ArrayList<>(array.size());
    for (Object entry : array) {
      items.add(resumeItem(entry));
    }
    return items;
  }

  /** A malformed entry is kept in its place so that the answers stay in entry order. */
  private static ResumeItem resumeItem(Object entry) {
    if (!(entry instanceof JsonObject json)) {
      return new InvalidResumeEntry(null, "resume entry must be an object");
    }
    try {
      return new ResumeEntry(thread(json), optionalEpoch(json), requiredSeq(json, "after"));
    } catch (Refusal r) {
      return new InvalidResumeEntry(refOf(Hello.TYPE, json), "resume entry: " + r.getMessage());
    }
  }

  private static String thread(JsonObject json) {
    Object value = json.getValue("thread");
    if (value == null) {
      throw new Refusal(ErrorCode.BAD_REQUEST, "thread is missing");
    }
    if (!(value instanceof String thread) || !FieldRules.isValidThread(thread)) {
      throw new Refusal(ErrorCode.BAD_REQUEST, "thread " + THREAD_RULE);
    }
    return thread;
  }

  private static String clientId(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw new Refusal(ErrorCode.BAD_REQUEST, field + " is missing");
    }
    if (!(value instanceof String id) || !FieldRules.isValidClientId(id)) {
      throw new Refusal(ErrorCode.BAD_REQUEST, field + " " + ID_RULE);
    }
    return id;
  }

  private static String text(JsonObject json) {
    String text = requiredString(json, "text");
    if (text.isEmpty()) {
      throw new Refusal(ErrorCode.BAD_REQUEST, "text must not be empty");
    }
    if (FieldRules.utf8Length(text) > FieldRules.MAX_TEXT_BYTES) {
      throw new Refusal(ErrorCode.TOO_LARGE,
          "text is longer than " + FieldRules.MAX_TEXT_BYTES + " UTF-8 bytes");
    }
    return text;
  }

  private static String optionalEpoch(JsonObject json) {
    Object value = json.getValue("epoch");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String epoch) || !FieldRules.isValidEpoch(epoch)) {
      throw new Refusal(ErrorCode.BAD_REQUEST, "epoch must be a non-empty string");
    }
    return epoch;
  }

  private static long requiredSeq(JsonObject json, String field) {
    Long seq = optionalSeq(json, field);
    if (seq == null) {
      throw new Refusal(ErrorCode.BAD_REQUEST, field + " is missing");
    }
    return seq;
  }

  private static Long optionalSeq(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    Long seq = FieldRules.integral(value);
    if (seq == null || seq < 0) {
      throw new Refusal(ErrorCode.BAD_REQUEST, field + " " + SEQ_RULE);
    }
    return seq;
  }

  private static String requiredString(JsonObject json, String field) {
    String value = optionalString(json, field);
    if (value == null) {
      throw new Refusal(ErrorCode.BAD_REQUEST, field + " is missing");
    }
    return value;
  }

  private static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new Refusal(ErrorCode.BAD_REQUEST, field + " must be a string");
    }
    return (String) value;
  }

  /** Echoing a client's type back is useful; echoing a megabyte of it is not. */
  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }

  /** A field rule failed; unwinds to {@link #decode(String)} (no stack trace: it is a value). */
  private static final class Refusal extends RuntimeException {
    private final ErrorCode code;

    Refusal(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
