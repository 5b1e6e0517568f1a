package dev.chatrelay.relay.journal;

/**
 * The Lua scripts of {@link RedisJournal}. Each runs atomically in Redis, so a write is either
 * complete (frame, idempotency entry, head, trim, TTL) or absent, and two relays can never
 * interleave or reuse a seq. Numbers that must stay exact (tokens) are compared as strings.
 */
final class RedisScripts {

  private RedisScripts() {}

  /** Shared helpers, prepended to the scripts that need them. */
  private static final String HELPERS = RedisLua.COMMON;

  /** The helpers and the frame writer, prepended to the append scripts. */
  private static final String WRITES = RedisLua.COMMON + RedisLua.WRITER;

  /**
   * Append-if-absent. KEYS: meta, log, tok, idem, ends, fence, and for a send also jobs, jobq,
   * jobn. ARGV: token, idempotency key, ts, body, retention frames, ttl seconds, first-write
   * epoch, retention messages, class ({@code c} conversation, {@code e} ending, {@code t}
   * token), replyTo (empty when none), and for a send also the pending job's field, JSON, ttl
   * seconds and maximum per shard, saved only when the frame is new ({@code keep_job}). Answers
   * {1, epoch, seq, oldest} for a new frame, {0, epoch, entry, oldest} with the journaled entry
   * when the key is known, or error FENCED.
   */
  static final LuaScript APPEND = new LuaScript("append", WRITES + """
      local err = fence_error(KEYS[6], ARGV[1])
      if err then return err end
      local t = {KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]}
      local epoch, head, oldest, loglen = ensure_epoch(t, ARGV[7], ARGV[6])
      local w = writer(t, head, oldest, loglen, 2)
      local entry = lookup(w, ARGV[2], nil)
      if entry then return {0, epoch, entry, oldest} end
      add_frame(w, ARGV[2], ARGV[3], ARGV[4], ARGV[9], ARGV[10])
      retain(w, tonumber(ARGV[5]), tonumber(ARGV[8]))
      flush(w)
      redis.call('HSET', t[1], 'head', w.head, 'oldest', w.oldest)
      touch(t, ARGV[6])
      if KEYS[7] then
        keep_job(KEYS[7], KEYS[8], KEYS[9], ARGV[11], ARGV[12], ARGV[13], ARGV[14])
      end
      return {1, epoch, w.head, w.oldest}
      """);

  /**
   * Several appends of one thread in one step, each with APPEND's semantics (retention applied
   * after every frame), stopping after the first idempotency key already journaled. KEYS: meta,
   * log, tok, idem, ends, fence, and for a reply's ending batch also jobs, jobq. ARGV: token, ts,
   * retention frames, ttl seconds, first-write epoch, retention messages, the ending reply's
   * pending-job field (empty when none), then per frame its idempotency key, body, class and
   * replyTo. When every frame was new and a job field is given, that pending job is dropped
   * ({@code drop_job}): the batch journaled its reply's ending. Answers {epoch, oldest, r1, r2,
   * ...} with r = seq (a number) for a new frame or the journaled entry for a known key (the
   * last r then), or error FENCED (nothing written).
   */
  static final LuaScript APPEND_ALL = new LuaScript("append-all", WRITES + """
      local err = fence_error(KEYS[6], ARGV[1])
      if err then return err end
      local t = {KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]}
      local epoch, head, oldest, loglen = ensure_epoch(t, ARGV[5], ARGV[4])
      local frames = tonumber(ARGV[3])
      local messages = tonumber(ARGV[6])
      local n = (#ARGV - 7) / 4
      local keys = {}
      for i = 1, n do keys[i] = ARGV[4 + 4 * i] end
      -- one HMGET for every key (few enough to unpack): a key this call has not written keeps
      -- its answer; without it each lookup asks HGET
      local cached = {}
      if n > 0 and n <= 1000 then cached = redis.call('HMGET', t[4], unpack(keys)) end
      local w = writer(t, head, oldest, loglen, n + 2)
      local out = {epoch, 0}
      local added = 0
      for i = 1, n do
        local a = 4 + 4 * i
        local entry = lookup(w, ARGV[a], cached[i])
        if entry then
          out[#out + 1] = entry
          break
        end
        add_frame(w, ARGV[a], ARGV[2], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3])
        retain(w, frames, messages)
        added = added + 1
        out[#out + 1] = w.head
      end
      flush(w)
      if added > 0 then
        redis.call('HSET', t[1], 'head', w.head, 'oldest', w.oldest)
        touch(t, ARGV[4])
      end
      if ARGV[7] ~= '' and added == n then
        drop_job(KEYS[7], KEYS[8], ARGV[7])
      end
      out[2] = w.oldest
      return out
      """);

  /**
   * Epoch, head and floor; writes nothing. A thread never written, or lost (meta gone, or
   * head &gt; 0 with both streams gone), answers the provisional epoch with head 0: the next
   * write's {@code ensure_epoch} starts it afresh. KEYS: meta, log, tok. ARGV: provisional epoch.
   */
  static final LuaScript INFO = new LuaScript("info", """
      local m = redis.call('HMGET', KEYS[1], 'epoch', 'head', 'oldest')
      local head = tonumber(m[2]) or 0
      if m[1] and (head == 0 or redis.call('EXISTS', KEYS[2], KEYS[3]) > 0) then
        return {m[1], head, tonumber(m[3]) or 1}
      end
      return {ARGV[1], 0, 1}
      """);

  /**
   * Retained entries from a seq on, both streams merged by seq, with the epoch and floor they
   * belong to; {} when the thread has no epoch. KEYS: meta, log, tok. ARGV: first seq wanted,
   * count. Answers {epoch, oldest, entries}.
   */
  static final LuaScript READ = new LuaScript("read", """
      local m = redis.call('HMGET', KEYS[1], 'epoch', 'oldest')
      if not m[1] then return {} end
      local oldest = tonumber(m[2]) or 1
      local from = math.max(tonumber(ARGV[1]), oldest) .. '-0'
      local n = tonumber(ARGV[2])
      local a = redis.call('XRANGE', KEYS[2], from, '+', 'COUNT', n)
      local b = redis.call('XRANGE', KEYS[3], from, '+', 'COUNT', n)
      local out = {}
      local i, j = 1, 1
      while #out < n and (i <= #a or j <= #b) do
        local take_a = j > #b or (i <= #a and
            tonumber(string.match(a[i][1], '^(%d+)')) < tonumber(string.match(b[j][1], '^(%d+)')))
        if take_a then
          out[#out + 1] = a[i]
          i = i + 1
        else
          out[#out + 1] = b[j]
          j = j + 1
        end
      end
      return {m[1], oldest, out}
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
      drop_job(KEYS[2], KEYS[3], ARGV[2])
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
