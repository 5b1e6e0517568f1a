package dev.chatrelay.loadgen.raw;

import java.util.ArrayList;
import java.util.List;

/** Splits a reply into chunks like the scripted engine: at most {@code n}, at most one per character. */
final class ScriptedReply {

  private ScriptedReply() {
  }

  static List<String> chunks(String reply, int n) {
    int count = Math.max(1, Math.min(n, reply.length()));
    List<String> out = new ArrayList<>(count);
    int base = reply.length() / count;
    int extra = reply.length() % count;
    int at = 0;
    for (int i = 0; i < count; i++) {
      int len = base + (i < extra ? 1 : 0);
      out.add(reply.substring(at, at + len));
      at += len;
    }
    return out;
  }
}
