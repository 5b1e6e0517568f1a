package dev.chatrelay.relay.journal;

import java.security.SecureRandom;
import java.util.HexFormat;

/** New epochs: random, so a journal that lost its state can never reuse an old one. */
public final class Epochs {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Epochs() {}

  /** 16 random bytes in hex. */
  public static String next() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
