package dev.chatrelay.loadgen.scenario;

/** A simulated user: its JWT subject, its token and the one thread it writes to. */
public record SimUser(int index, String sub, String token, String thread) {

  /** The text sent with {@code id}, padded to {@code bytes}; the same id always gets the same text. */
  public static String textFor(String id, int bytes) {
    StringBuilder b = new StringBuilder(bytes).append("load ").append(id).append(' ');
    while (b.length() < bytes) {
      b.append((char) ('a' + b.length() % 26));
    }
    b.setLength(bytes);
    return b.toString();
  }
}
