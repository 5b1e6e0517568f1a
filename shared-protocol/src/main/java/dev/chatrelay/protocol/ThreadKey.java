package dev.chatrelay.protocol;

import java.util.Objects;
import java.util.regex.Pattern;

/** A user-scoped thread: what a client calls thread {@code T} is the pair ({@code sub}, {@code T}). */
public record ThreadKey(String sub, String thread) {

  /** Thread ids allowed on the wire (PROTOCOL.md, Authentication). */
  public static final Pattern THREAD_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public ThreadKey {
    Objects.requireNonNull(sub, "sub");
    Objects.requireNonNull(thread, "thread");
  }

  /** Longest thread id, as {@link #THREAD_ID} says. */
  private static final int MAX_THREAD_CHARS = 128;

  /** Same as matching {@link #THREAD_ID}, without a matcher per call (every ack is checked). */
  public static boolean isValidThreadId(String thread) {
    if (thread == null || thread.isEmpty() || thread.length() > MAX_THREAD_CHARS) {
      return false;
    }
    for (int i = 0; i < thread.length(); i++) {
      char c = thread.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Mixes the two hashes: the record's {@code 31 * sub + thread} of keys numbered alike (user
   * {@code u7}, thread {@code t-7}) differs only in multiples of 32, which piles them into few
   * hash-map bins (the embedded journal's thread map turned its bins into trees).
   */
  @Override
  public int hashCode() {
    int h = sub.hashCode() * 0x85ebca6b;
    h ^= h >>> 15;
    h = (h ^ thread.hashCode()) * 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /** A stable string form, unique per pair because {@code sub} may hold any character but NUL. */
  public String asString() {
    return sub + '\u0000' + thread;
  }
}
