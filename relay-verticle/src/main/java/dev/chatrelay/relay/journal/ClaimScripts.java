package dev.chatrelay.relay.journal;

import java.util.List;

/** The Lua scripts of shard claims and relay liveness ({@link RedisShardClaims}). */
final class ClaimScripts {

  private ClaimScripts() {}

  /**
   * KEYS fence, holder; ARGV claimant, spared holders...: answers {token, claimant}, or
   * {0, holder} without writing when the holder is spared. An unknown claimant ('') clears the
   * holder, so it can never protect a shard it does not hold.
   */
  static final LuaScript CLAIM = new LuaScript("claim", """
      local holder = redis.call('GET', KEYS[2])
      if holder and holder ~= ARGV[1] then
        for i = 2, #ARGV do
          if ARGV[i] == holder then return {0, holder} end
        end
      end
      if ARGV[1] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[1]) end
      return {redis.call('INCR', KEYS[1]), ARGV[1]}
      """);

  /**
   * KEYS relays (a sorted set: node id by expiry, Redis's clock); ARGV node, ttl ms, '1' = alive
   * / '0' = gone: writes or removes this node's entry, drops expired ones, answers the others.
   */
  static final LuaScript LIVENESS = new LuaScript("liveness", """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local ttl = tonumber(ARGV[2])
      if ARGV[3] == '1' then
        redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
      else
        redis.call('ZREM', KEYS[1], ARGV[1])
      end
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      redis.call('PEXPIRE', KEYS[1], ttl * 10)
      return redis.call('ZRANGE', KEYS[1], 0, -1)
      """);

  static final List<LuaScript> ALL = List.of(CLAIM, LIVENESS);
}
