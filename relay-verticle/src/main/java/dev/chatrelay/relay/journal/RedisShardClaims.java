package dev.chatrelay.relay.journal;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shard claims and relay liveness in Redis, for {@link RedisJournal}. A claim takes a new fencing
 * token and records the claimant as the shard's holder, unless the holder is spared
 * ({@link ClaimGuard}); liveness is one sorted set of relay node ids by expiry.
 */
final class RedisShardClaims {

  private static final Logger log = LoggerFactory.getLogger(RedisShardClaims.class);

  private final RedisPipeline pipe;
  private final RedisKeys keys;
  private final ShardTokens tokens;

  RedisShardClaims(RedisPipeline pipe, RedisKeys keys, ShardTokens tokens) {
    this.pipe = pipe;
    this.keys = keys;
    this.tokens = tokens;
  }

  Future<Long> claim(int shard, ClaimGuard guard) {
    RedisKeys.ShardKeys k = keys.shard(shard);
    List<String> args = new ArrayList<>();
    args.add(guard.claimant());
    args.addAll(guard.spared());
    return ClaimScripts.CLAIM.run(pipe, List.of(k.fence(), k.holder()), args)
        .recover(RedisJournal::unavailable)
        .compose(r -> {
          long token = r.get(0).toLong();
          if (token == 0) {
            return Future.failedFuture(new ShardHeldException(shard, r.get(1).toString()));
          }
          tokens.hold(shard, token);
          log.info("event=redis.shard_claimed shard={} token={}", shard, token);
          return Future.succeededFuture(token);
        });
  }

  Future<Long> latestToken(int shard) {
    return pipe.send(Request.cmd(Command.GET).arg(keys.shard(shard).fence()))
        .recover(RedisJournal::unavailable)
        .map(r -> r == null ? 0L : r.toLong());
  }

  Future<Set<String>> liveness(String node, boolean alive, long ttlMs) {
    return ClaimScripts.LIVENESS.run(pipe, List.of(keys.relays()),
            List.of(node, Long.toString(ttlMs), alive ? "1" : "0"))
        .recover(RedisJournal::unavailable)
        .map(r -> {
          Set<String> nodes = new TreeSet<>();
          for (Response member : r) {
            nodes.add(member.toString());
          }
          return nodes;
        });
  }
}
