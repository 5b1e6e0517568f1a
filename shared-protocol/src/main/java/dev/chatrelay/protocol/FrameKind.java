package dev.chatrelay.protocol;

/** The {@code kind} of a journaled frame. */
public enum FrameKind {
  USER_MESSAGE("user_message"),
  TYPING("typing"),
  CHUNK("chunk"),
  MESSAGE("message"),
  ERROR("error"),
  /** The reply starts over: its chunks before this frame are void ({@code data.attempt}). */
  RESTART("restart");

  private final String wire;

  FrameKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static FrameKind fromWire(String wire) {
    for (FrameKind k : values()) {
      if (k.wire.equals(wire)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown frame kind " + wire);
  }
}
