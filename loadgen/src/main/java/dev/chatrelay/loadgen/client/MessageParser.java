package dev.chatrelay.loadgen.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Streaming parse of server messages (and of frames inside a history page) into
 * {@link ServerMessage}: no JSON tree per frame, unknown fields skipped.
 */
public final class MessageParser {

  private static final JsonFactory FACTORY = new JsonFactory();

  private MessageParser() {
  }

  /** Parses one WebSocket text message into {@code into}. */
  public static void parse(String text, ServerMessage into) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      parseMessage(p, into);
    }
  }

  /** Parses one WebSocket text message, as its UTF-8 bytes, into {@code into}. */
  public static void parse(byte[] utf8, ServerMessage into) throws IOException {
    try (JsonParser p = FACTORY.createParser(utf8)) {
      parseMessage(p, into);
    }
  }

  private static void parseMessage(JsonParser p, ServerMessage into) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("not a JSON object");
    }
    parseObject(p, into);
  }

  /** Creates a parser for a larger document, e.g. a history page. */
  public static JsonParser open(byte[] json) throws IOException {
    return FACTORY.createParser(json);
  }

  /** Parses the object whose START_OBJECT is the current token; leaves it on END_OBJECT. */
  public static void parseObject(JsonParser p, ServerMessage m) throws IOException {
    m.clear();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "type" -> m.type = p.getValueAsString();
        case "thread" -> m.thread = p.getValueAsString();
        case "epoch" -> m.epoch = p.getValueAsString();
        case "seq" -> m.seq = p.getValueAsLong(-1);
        case "id" -> m.id = p.getValueAsString();
        case "kind" -> m.kind = p.getValueAsString();
        case "ts" -> m.ts = p.getValueAsLong(-1);
        case "replyTo" -> m.replyTo = p.getValueAsString();
        case "head" -> m.head = p.getValueAsLong(-1);
        case "from" -> m.from = p.getValueAsLong(-1);
        case "to" -> m.to = p.getValueAsLong(-1);
        case "reason" -> m.reason = p.getValueAsString();
        case "code" -> m.code = p.getValueAsString();
        case "message" -> m.message = p.getValueAsString();
        case "ref" -> m.ref = p.getValueAsString();
        case "exp" -> m.exp = p.getValueAsLong(-1);
        case "heartbeat" -> m.heartbeat = p.getValueAsLong(-1);
        case "session" -> m.session = p.getValueAsString();
        case "data" -> parseData(p, value, m);
        default -> p.skipChildren();
      }
    }
  }

  private static void parseData(JsonParser p, JsonToken value, ServerMessage m) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "text" -> m.text = p.getValueAsString();
        case "on" -> m.on = v == JsonToken.VALUE_TRUE ? Boolean.TRUE
            : v == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
        case "index" -> m.index = p.getValueAsLong(-1);
        case "attempt" -> m.attempt = p.getValueAsLong(-1);
        case "cancelled" -> m.cancelled = v == JsonToken.VALUE_TRUE;
        case "code" -> m.dataCode = p.getValueAsString();
        case "message" -> m.dataMessage = p.getValueAsString();
        default -> p.skipChildren();
      }
    }
  }
}
