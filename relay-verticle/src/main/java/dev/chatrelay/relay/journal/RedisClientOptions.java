package dev.chatrelay.relay.journal;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;

/** The Vert.x Redis client options of a {@link RedisPipeline}: one connection, held for good. */
final class RedisClientOptions {

  /** Commands outside the in-flight budget: SCRIPT LOADs at connect, NOSCRIPT fallbacks. */
  private static final int SPARE_WAITING_HANDLERS = 64;

  private RedisClientOptions() {}

  static RedisOptions of(RedisJournalOptions options) {
    RedisOptions redisOptions = new RedisOptions()
        .setConnectionString(options.url())
        .setMaxPoolSize(1)
        // The one connection is held for good: the pool must never recycle or evict it.
        .setPoolRecycleTimeout(-1)
        .setPoolCleanerInterval(-1)
        .setMaxWaitingHandlers(options.maxInFlight() + SPARE_WAITING_HANDLERS);
    // A connect to a silent address gives up like a command does (the default is 60 s of SYNs).
    redisOptions.getNetClientOptions().setConnectTimeout(
        (int) Math.min(options.commandTimeoutMs(), Integer.MAX_VALUE));
    if (RedisUrl.tls(options.url())) {
      trust(redisOptions.getNetClientOptions(), options.tls());
    }
    return redisOptions;
  }

  /** rediss://: TLS from the first byte, the server checked against the CA and its name. */
  private static void trust(NetClientOptions net, RedisJournalOptions.Tls tls) {
    net.setSsl(true).setHostnameVerificationAlgorithm(tls.verifyHost() ? "HTTPS" : "");
    if (tls.caPath() != null) {
      net.setTrustOptions(new PemTrustOptions().addCertPath(tls.caPath()));
    }
  }
}
