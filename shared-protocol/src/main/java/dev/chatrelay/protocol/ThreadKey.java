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

  public static boolean isValidThreadId(String thread) {
    return thread != null && THREAD_ID.matcher(thread).matches();
  }

  /** A stable string form, unique per pair because {@code sub} may hold any character but NUL. */
  public String asString() {
    return sub + '\u0000' + thread;
  }
}
