package dev.chatrelay.protocol.wire;

import dev.chatrelay.protocol.ErrorCode;
import java.util.Objects;

/** What {@link ClientMessageDecoder#decode(String)} made of one client message. */
public sealed interface DecodeResult {

  /** A valid command. */
  record Command(ClientMessage message) implements DecodeResult {
    public Command {
      Objects.requireNonNull(message, "message");
    }
  }

  /** Not a JSON object with a string {@code type}: the connection closes with 4500. */
  record Violation(String reason) implements DecodeResult {}

  /**
   * A command the server refuses while the connection stays: answered with
   * {@code error {code, message, ref}}. {@code type} is the message's type as sent (may be unknown).
   */
  record Rejected(String type, ErrorCode code, String ref, String message) implements DecodeResult {
    public Rejected {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
