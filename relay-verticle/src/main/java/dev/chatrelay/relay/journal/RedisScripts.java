package dev.chatrelay.relay.journal;

/**
 * The Lua scripts of {@link RedisJournal}. Each runs atomically in Redis, so a write is either
 * complete (frame, idempotency entry, head, trim, TTL) or absent, and two relays can never
 * interleave or reuse a seq. Numbers that must stay exact (tokens) are compared as strings.
 */
final class RedisScripts {

  private RedisScripts() {}

  /** Shared helpers, prepended to the scripts that need them. */
  private static final String HELPERS = """
      -- FENCED <latest> unless token is the shard's latest claim ('0' when never claimed)
      local function fence_error(fence, token)
        local latest = redis.call('GET', fence) or '0'
        if latest ~= token then
          return redis.error_reply('FENCED ' .. latest)
        end
        return nil
      end
      -- The thread's epoch, head and oldest retained seq; a new epoch when never used or when
      -- its journal was lost (meta gone, or head > 0 with the log gone): old leftovers dropped.
      local function ensure_epoch(meta, log, idem, fresh, ttl)
        local m = redis.call('HMGET', meta, 'epoch', 'head', 'oldest')
        local head = tonumber(m[2]) or 0
        if m[1] and (head == 0 or redis.call('EXISTS', log) == 1) then
          return m[1], head, tonumber(m[3]) or 1
        end
        redis.call('DEL', log, idem)
        redis.call('HSET', meta, 'epoch', fresh, 'head', 0, 'oldest', 1)
        redis.call('EXPIRE', meta, ttl)
        return fresh, 0, 1
      end
      -- Saves a pending-job record (a new one at the end of the save order, a known one in
      -- place), then drops the oldest records beyond max and lets the shard's job keys expire
      -- ttl seconds after the last save; expired records are skipped when loaded.
      local function keep_job(jobs, jobq, jobn, field, json, ttl, max)
        if redis.call('HSET', jobs, field, json) == 1 then
          redis.call('ZADD', jobq, redis.call('INCR', jobn), field)
        end
        local excess = redis.call('ZCARD', jobq) - tonumber(max)
        if excess > 0 then
          local gone = redis.call('ZPOPMIN', jobq, excess)
          for i = 1, #gone, 2 do redis.call('HDEL', jobs, gone[i]) end
        end
        redis.call('EXPIRE', jobs, ttl)
        redis.call('EXPIRE', jobq, ttl)
        redis.call('EXPIRE', jobn, ttl)
      end
      -- Retention: frames below floor leave logically at once, with their idempotency keys
      -- (physically when their whole stream node can go: cheaper than exact trimming).
      local function drop_below(log, idem, oldest, floor)
        local gone = redis.call('XRANGE', log, oldest .. '-0', (floor - 1) .. '-0')
        for i = 1, #gone do
          local fields = gone[i][2]
          for j = 1, #fields, 2 do
            if fields[j] == 'k' then redis.call('HDEL', idem, fields[j + 1]) end
          end
        end
      end
      """;

  /**
   * Append-if-absent. KEYS: meta, log, idem, fence, and for a send also jobs, jobq, jobn.
   * ARGV: token, idempotency key, ts, body, retention frames, ttl seconds, fresh epoch, and for
   * a send also the pending job's field, JSON, ttl seconds and maximum per shard, saved only
   * when the frame is new ({@code keep_job}). Answers
   * {1, epoch, seq} for a new frame, {0, epoch, entry} with the journaled entry when the key is
   * known, or error FENCED.
   */
  static final LuaScript APPEND = new LuaScript("append", HELPERS + """
      local err = fence_error(KEYS[4], ARGV[1])
      if err then return err end
      local epoch, head, oldest = ensure_epoch(KEYS[1], KEYS[2], KEYS[3], ARGV[7], ARGV[6])
      local known = redis.call('HGET', KEYS[3], ARGV[2])
      if known then
        local entry = redis.call('XRANGE', KEYS[2], known .. '-0', known .. '-0')
        if #entry == 1 then return {0, epoch, entry[1]} end
      end
      head = head + 1
      redis.call('XADD', KEYS[2], head .. '-0', 'k', ARGV[2], 't', ARGV[3], 'b', ARGV[4])
      redis.call('HSET', KEYS[3], ARGV[2], head)
      local floor = head - tonumber(ARGV[5]) + 1
      if floor > oldest then
        drop_below(KEYS[2], KEYS[3], oldest, floor)
        redis.call('HSET', KEYS[1], 'head', head, 'oldest', floor)
        redis.call('XTRIM', KEYS[2], 'MINID', '~', floor .. '-0')
      else
        redis.call('HSET', KEYS[1], 'head', head)
      end
      redis.call('EXPIRE', KEYS[1], ARGV[6])
      redis.call('EXPIRE', KEYS[2], ARGV[6])
      redis.call('EXPIRE', KEYS[3], ARGV[6])
      if KEYS[5] then
        keep_job(KEYS[5], KEYS[6], KEYS[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11])
      end
      return {1, epoch, head}
      """);

  /**
   * Several appends of one thread in one step, each with APPEND's semantics, stopping after the
   * first idempotency key already journaled. KEYS: meta, log, idem, fence. ARGV: token, ts,
   * retention frames, ttl seconds, fresh epoch, then per frame its idempotency key and body.
   * Answers {epoch, r1, r2, ...} with r = seq (a number) for a new frame or the journaled entry
   * for a known key (the last r then), or error FENCED (nothing written). Retention is applied
   * logically after every frame (idempotency keys of frames that left are deleted at once, so a
   * later frame behaves exactly as a later single append would); head, oldest, the physical
   * XTRIM and the TTLs are written once at the end.
   */
  static final LuaScript APPEND_ALL = new LuaScript("append-all", HELPERS + """
      local err = fence_error(KEYS[4], ARGV[1])
      if err then return err end
      local epoch, head, oldest = ensure_epoch(KEYS[1], KEYS[2], KEYS[3], ARGV[5], ARGV[4])
      local retention = tonumber(ARGV[3])
      local out = {epoch}
      local added = 0
      for i = 6, #ARGV - 1, 2 do
        local key = ARGV[i]
        local known = redis.call('HGET', KEYS[3], key)
        local entry = nil
        if known then
          entry = redis.call('XRANGE', KEYS[2], known .. '-0', known .. '-0')
        end
        if entry and #entry == 1 then
          out[#out + 1] = entry[1]
          break
        end
        head = head + 1
        redis.call('XADD', KEYS[2], head .. '-0', 'k', key, 't', ARGV[2], 'b', ARGV[i + 1])
        redis.call('HSET', KEYS[3], key, head)
        added = added + 1
        out[#out + 1] = head
        local floor = head - retention + 1
        if floor > oldest then
          drop_below(KEYS[2], KEYS[3], oldest, floor)
          oldest = floor
        end
      end
      if added > 0 then
        redis.call('HSET', KEYS[1], 'head', head, 'oldest', oldest)
        redis.call('XTRIM', KEYS[2], 'MINID', '~', oldest .. '-0')
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        redis.call('EXPIRE', KEYS[2], ARGV[4])
        redis.call('EXPIRE', KEYS[3], ARGV[4])
      end
      return out
      """);

  /**
   * Epoch, head and oldest retained seq; writes nothing. A thread never written, or lost (meta
   * gone, or head &gt; 0 with the log gone), answers the provisional epoch with head 0: the
   * next write's {@code ensure_epoch} starts it afresh. KEYS: meta, log. ARGV: provisional epoch.
   */
  static final LuaScript INFO = new LuaScript("info", """
      local m = redis.call('HMGET', KEYS[1], 'epoch', 'head', 'oldest')
      local head = tonumber(m[2]) or 0
      if m[1] and (head == 0 or redis.call('EXISTS', KEYS[2]) == 1) then
        return {m[1], head, tonumber(m[3]) or 1}
      end
      return {ARGV[1], 0, 1}
      """);

  /**
   * Retained entries from a seq on, with the epoch they belong to; {} when the thread has no
   * epoch. Entries below the logical oldest (not yet physically trimmed) are never answered.
   * KEYS: meta, log. ARGV: first seq wanted, count.
   */
  static final LuaScript READ = new LuaScript("read", """
      local m = redis.call('HMGET', KEYS[1], 'epoch', 'oldest')
      if not m[1] then return {} end
      local from = math.max(tonumber(ARGV[1]), tonumber(m[2]) or 1)
      return {m[1], redis.call('XRANGE', KEYS[2], from .. '-0', '+', 'COUNT', ARGV[2])}
      """);

  /**
   * Saves a pending job; saving it again (a new attempt) replaces it in place, keeping its
   * place in the save order ({@code keep_job}). KEYS: fence, jobs, jobq, jobn.
   * ARGV: token, field, job JSON, ttl seconds, maximum per shard.
   */
  static final LuaScript SAVE_JOB = new LuaScript("save-job", HELPERS + """
      local err = fence_error(KEYS[1], ARGV[1])
      if err then return err end
      keep_job(KEYS[2], KEYS[3], KEYS[4], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
      return 1
      """);

  /** Forgets a pending job. KEYS: fence, jobs, jobq. ARGV: token, field. */
  static final LuaScript REMOVE_JOB = new LuaScript("remove-job", HELPERS + """
      local err = fence_error(KEYS[1], ARGV[1])
      if err then return err end
      redis.call('HDEL', KEYS[2], ARGV[2])
      redis.call('ZREM', KEYS[3], ARGV[2])
      return 1
      """);

  /** The shard's pending jobs' JSON in save order, at most ARGV[1]. KEYS: jobs, jobq. */
  static final LuaScript PENDING_JOBS = new LuaScript("pending-jobs", """
      local ids = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)
      local out = {}
      for i = 1, #ids do
        local job = redis.call('HGET', KEYS[1], ids[i])
        if job then out[#out + 1] = job end
      end
      return out
      """);

  /** Every script, loaded on each (re)connect. */
  static final java.util.List<LuaScript> ALL =
      java.util.List.of(APPEND, APPEND_ALL, INFO, READ, SAVE_JOB, REMOVE_JOB, PENDING_JOBS);
}
