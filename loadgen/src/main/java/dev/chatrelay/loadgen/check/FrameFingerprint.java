package dev.chatrelay.loadgen.check;

import dev.chatrelay.loadgen.client.ServerMessage;

/**
 * A 64-bit digest of every field of a frame that the contract fixes (seq, id, kind, ts, replyTo and
 * the data fields), so a received frame can be compared with its history copy without keeping it.
 */
public final class FrameFingerprint {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private FrameFingerprint() {
  }

  public static long of(ServerMessage f) {
    long h = FNV_OFFSET;
    h = mix(h, f.seq);
    h = mix(h, f.id);
    h = mix(h, f.kind);
    h = mix(h, f.ts);
    h = mix(h, f.replyTo);
    h = mix(h, f.text);
    h = mix(h, f.on == null ? -1 : f.on ? 1 : 0);
    h = mix(h, f.index);
    h = mix(h, f.cancelled ? 1 : 0);
    h = mix(h, f.dataCode);
    h = mix(h, f.dataMessage);
    return h;
  }

  private static long mix(long h, long v) {
    for (int i = 0; i < 8; i++) {
      h = (h ^ (v & 0xff)) * FNV_PRIME;
      v >>>= 8;
    }
    return h;
  }

  private static long mix(long h, String s) {
    if (s == null) {
      return (h ^ 0xff) * FNV_PRIME;
    }
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    return (h ^ 0xfe) * FNV_PRIME;
  }
}
