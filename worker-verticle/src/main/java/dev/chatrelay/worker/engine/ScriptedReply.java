package dev.chatrelay.worker.engine;

import java.util.ArrayList;
import java.util.List;

/** The scripted engine's answer, pure: the reply text and how it is cut into chunks. */
public final class ScriptedReply {

  /** What every scripted reply starts with (PROTOCOL.md, Operating contract). */
  public static final String PREFIX = "echo: ";
  /** A user text starting with this makes the scripted engine fail, to demo the error path. */
  public static final String FAIL_COMMAND = "/fail";

  private ScriptedReply() {}

  public static String replyTo(String text) {
    return PREFIX + text;
  }

  public static boolean failsOn(String text) {
    return text.startsWith(FAIL_COMMAND);
  }

  /**
   * Cuts {@code reply} into {@code maxChunks} pieces of near-equal length in code points (fewer
   * when it has fewer code points), so no piece splits a surrogate pair; the pieces concatenate
   * to {@code reply}.
   */
  public static List<String> chunks(String reply, int maxChunks) {
    if (maxChunks < 1) {
      throw new IllegalArgumentException("maxChunks must be at least 1, was " + maxChunks);
    }
    int codePoints = reply.codePointCount(0, reply.length());
    int count = Math.min(maxChunks, codePoints);
    List<String> out = new ArrayList<>(count);
    int start = 0;
    for (int i = 1; i <= count; i++) {
      // chunk i ends at code point floor(codePoints * i / count): sizes differ by at most one
      int endCodePoint = (int) ((long) codePoints * i / count);
      int end = reply.offsetByCodePoints(0, endCodePoint);
      out.add(reply.substring(start, end));
      start = end;
    }
    return out;
  }
}
