package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.ThreadKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The epoch a journal answers for a thread never written, computed, never stored (reads never
 * write): the same for every read by this journal instance within one claim of the shard and
 * one window of half the retention TTL, so a reader that reloads the thread sees the
 * epoch it saw before. A relay passes the epoch it showed as the thread's first-write epoch
 * ({@link Journal#append(ThreadKey, FrameDraft, String)}), so cursors taken before the first
 * write stay valid. An old epoch is never reused: a new instance has a new random salt, a new
 * claim (also the one after the store was lost) a new random nonce ({@link ShardTokens}), and a
 * thread that expired (idle for the whole TTL) is at least two windows from its first write.
 */
final class ProvisionalEpochs {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec salt;
  private final long windowMs;

  ProvisionalEpochs(long retentionTtlMs) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    this.salt = new SecretKeySpec(bytes, "HmacSHA256");
    this.windowMs = Math.max(1, retentionTtlMs / 2);
  }

  /** 16 bytes of HMAC(salt, thread, claim nonce, window) in hex: the format of {@link Epochs#next()}. */
  String of(ThreadKey key, long claimNonce, long nowMs) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(salt);
      String seed = key.asString() + '\n' + claimNonce + '\n' + Math.floorDiv(nowMs, windowMs);
      byte[] digest = mac.doFinal(seed.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM ships HmacSHA256", e);
    }
  }
}
