package dev.chatrelay.loadgen.client;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Engine.IO v4 / Socket.IO v5 packets the driver speaks over a plain WebSocket, default
 * namespace only: {@code 0{..}} open, {@code 40} connect (auth token inside), {@code 2}/{@code 3}
 * ping/pong, {@code 42["event",payload,...]} events whose payload is one relay.v1 message.
 */
public final class EngineIo {

  /** What one server text message is. */
  public enum Kind { OPEN, PING, CONNECTED, EVENT, CONNECT_ERROR, DISCONNECT, OTHER }

  /** The answer to a server ping. */
  public static final String PONG = "3";
  /** Request path and query of a WebSocket-only Socket.IO connection. */
  public static final String PATH = "/socket.io/?EIO=4&transport=websocket";

  private EngineIo() {
  }

  public static Kind kind(byte[] packet) {
    if (packet.length == 0) {
      return Kind.OTHER;
    }
    return switch (packet[0]) {
      case '0' -> Kind.OPEN;
      case '1' -> Kind.DISCONNECT;
      case '2' -> Kind.PING;
      case '4' -> packet.length < 2 ? Kind.OTHER : switch (packet[1]) {
        case '0' -> Kind.CONNECTED;
        case '1' -> Kind.DISCONNECT;
        case '2' -> Kind.EVENT;
        case '4' -> Kind.CONNECT_ERROR;
        default -> Kind.OTHER;
      };
      default -> Kind.OTHER;
    };
  }

  /** The Socket.IO connect to the default namespace with {@code {token}} as its auth. */
  public static String connect(String token) {
    StringBuilder b = new StringBuilder(16 + token.length()).append("40{\"token\":");
    return quote(b, token).append('}').toString();
  }

  /** An event {@code name} whose only argument is the JSON value {@code json}. */
  public static String event(String name, String json) {
    StringBuilder b = new StringBuilder(8 + name.length() + json.length()).append("42[");
    return quote(b, name).append(',').append(json).append(']').toString();
  }

  /**
   * The first argument of an event packet (an ack id before the array is skipped; later
   * arguments, such as the offset connection-state recovery appends, are dropped), or null when
   * the packet is not an event with a JSON object or array argument.
   */
  public static byte[] eventPayload(byte[] p) {
    int i = 2;
    if (kind(p) != Kind.EVENT) {
      return null;
    }
    while (i < p.length && p[i] >= '0' && p[i] <= '9') {
      i++;
    }
    if (i >= p.length || p[i++] != '[' || i >= p.length || p[i] != '"') {
      return null;
    }
    i = endOfString(p, i);
    if (i < 0 || i >= p.length || p[i++] != ',') {
      return null;
    }
    int end = endOfValue(p, i);
    return end < 0 ? null : Arrays.copyOfRange(p, i, end);
  }

  /** The start of a packet for messages, at most 120 characters. */
  public static String describe(byte[] p) {
    return new String(p, 0, Math.min(p.length, 120), StandardCharsets.UTF_8);
  }

  /** Index just past the string starting at {@code p[at] == '"'}, or -1. */
  private static int endOfString(byte[] p, int at) {
    for (int i = at + 1; i < p.length; i++) {
      if (p[i] == '\\') {
        i++;
      } else if (p[i] == '"') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Index just past the object or array starting at {@code p[at]}, or -1. */
  private static int endOfValue(byte[] p, int at) {
    if (at >= p.length || (p[at] != '{' && p[at] != '[')) {
      return -1;
    }
    int depth = 0;
    for (int i = at; i < p.length; i++) {
      byte c = p[i];
      if (c == '"') {
        i = endOfString(p, i) - 1;
        if (i < 0) {
          return -1;
        }
      } else if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  private static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    return b.append('"');
  }
}
