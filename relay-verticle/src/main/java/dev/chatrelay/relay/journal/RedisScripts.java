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
      -- The thread's epoch, head and floor; a new epoch when never used or when its journal was
      -- lost (meta gone, or head > 0 with both streams gone): old leftovers dropped.
      -- t = {meta, log, tok, idem, ends}
      local function ensure_epoch(t, fresh, ttl)
        local m = redis.call('HMGET', t[1], 'epoch', 'head', 'oldest')
        local head = tonumber(m[2]) or 0
        if m[1] and (head == 0 or redis.call('EXISTS', t[2], t[3]) > 0) then
          return m[1], head, tonumber(m[3]) or 1
        end
        redis.call('DEL', t[2], t[3], t[4], t[5])
        redis.call('HSET', t[1], 'epoch', fresh, 'head', 0, 'oldest', 1)
        redis.call('EXPIRE', t[1], ttl)
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
      -- Forgets a pending-job record: its reply has ended.
      local function drop_job(jobs, jobq, field)
        redis.call('HDEL', jobs, field)
        redis.call('ZREM', jobq, field)
      end
      local function field(fields, name)
        for j = 1, #fields, 2 do
          if fields[j] == name then return fields[j + 1] end
        end
        return nil
      end
      local function seq_of(id)
        return tonumber(string.match(id, '^(%d+)'))
      end
      -- The entry of a retained seq in either stream, or nil.
      local function find_entry(t, seq)
        local e = redis.call('XRANGE', t[2], seq .. '-0', seq .. '-0')
        if #e == 1 then return e[1] end
        e = redis.call('XRANGE', t[3], seq .. '-0', seq .. '-0')
        if #e == 1 then return e[1] end
        return nil
      end
      -- Writes frame seq: conversation ('c', or 'e' when it ends reply) to log, token ('t') to tok.
      local function add_frame(t, seq, key, ts, body, cls, reply)
        local stream = t[2]
        if cls == 't' then stream = t[3] end
        if reply ~= '' and cls ~= 'c' then
          redis.call('XADD', stream, seq .. '-0', 'k', key, 't', ts, 'b', body, 'r', reply)
        else
          redis.call('XADD', stream, seq .. '-0', 'k', key, 't', ts, 'b', body)
        end
        if cls == 'e' and reply ~= '' then redis.call('HSET', t[5], reply, seq) end
        redis.call('HSET', t[4], key, seq)
      end
      -- Drops entries (and their idempotency keys; an ending frame's reply from ends).
      local function forget(t, stream, entries)
        for i = 1, #entries do
          local fields = entries[i][2]
          redis.call('HDEL', t[4], field(fields, 'k'))
          local reply = field(fields, 'r')
          if reply and stream == t[2] then redis.call('HDEL', t[5], reply) end
          redis.call('XDEL', stream, entries[i][1])
        end
      end
      -- Retention (Compaction.java): the newest `messages` conversation frames, everything below
      -- the oldest of them gone; token frames up to head - frames dropped oldest first while
      -- their reply has ended. Returns the new floor.
      local function retain(t, head, oldest, frames, messages)
        local over = redis.call('XLEN', t[2]) - messages
        if over > 0 then
          local gone = redis.call('XRANGE', t[2], '-', '+', 'COUNT', over)
          oldest = seq_of(gone[#gone][1]) + 1
          forget(t, t[2], gone)
          forget(t, t[3], redis.call('XRANGE', t[3], '-', (oldest - 1) .. '-0'))
        end
        local cut = head - frames
        while true do
          local first = redis.call('XRANGE', t[3], '-', '+', 'COUNT', 1)
          if #first == 0 or seq_of(first[1][1]) > cut then break end
          local reply = field(first[1][2], 'r')
          if reply and redis.call('HEXISTS', t[5], reply) == 0 then break end
          forget(t, t[3], first)
        end
        return oldest
      end
      local function touch(t, ttl)
        for i = 1, 5 do redis.call('EXPIRE', t[i], ttl) end
      end
      """;

  /**
   * Append-if-absent. KEYS: meta, log, tok, idem, ends, fence, and for a send also jobs, jobq,
   * jobn. ARGV: token, idempotency key, ts, body, retention frames, ttl seconds, first-write
   * epoch, retention messages, class ({@code c} conversation, {@code e} ending, {@code t}
   * token), replyTo (empty when none), and for a send also the pending job's field, JSON, ttl
   * seconds and maximum per shard, saved only when the frame is new ({@code keep_job}). Answers
   * {1, epoch, seq, oldest} for a new frame, {0, epoch, entry, oldest} with the journaled entry
   * when the key is known, or error FENCED.
   */
  static final LuaScript APPEND = new LuaScript("append", HELPERS + """
      local err = fence_error(KEYS[6], ARGV[1])
      if err then return err end
      local t = {KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]}
      local epoch, head, oldest = ensure_epoch(t, ARGV[7], ARGV[6])
      local known = redis.call('HGET', t[4], ARGV[2])
      if known then
        local entry = find_entry(t, known)
        if entry then return {0, epoch, entry, oldest} end
      end
      head = head + 1
      add_frame(t, head, ARGV[2], ARGV[3], ARGV[4], ARGV[9], ARGV[10])
      oldest = retain(t, head, oldest, tonumber(ARGV[5]), tonumber(ARGV[8]))
      redis.call('HSET', t[1], 'head', head, 'oldest', oldest)
      touch(t, ARGV[6])
      if KEYS[7] then
        keep_job(KEYS[7], KEYS[8], KEYS[9], ARGV[11], ARGV[12], ARGV[13], ARGV[14])
      end
      return {1, epoch, head, oldest}
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
  static final LuaScript APPEND_ALL = new LuaScript("append-all", HELPERS + """
      local err = fence_error(KEYS[6], ARGV[1])
      if err then return err end
      local t = {KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]}
      local epoch, head, oldest = ensure_epoch(t, ARGV[5], ARGV[4])
      local frames = tonumber(ARGV[3])
      local messages = tonumber(ARGV[6])
      local out = {epoch, 0}
      local added = 0
      for i = 8, #ARGV - 3, 4 do
        local key = ARGV[i]
        local known = redis.call('HGET', t[4], key)
        local entry = nil
        if known then entry = find_entry(t, known) end
        if entry then
          out[#out + 1] = entry
          break
        end
        head = head + 1
        add_frame(t, head, key, ARGV[2], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
        oldest = retain(t, head, oldest, frames, messages)
        added = added + 1
        out[#out + 1] = head
      end
      if added > 0 then
        redis.call('HSET', t[1], 'head', head, 'oldest', oldest)
        touch(t, ARGV[4])
      end
      if ARGV[7] ~= '' and added == (#ARGV - 7) / 4 then
        drop_job(KEYS[7], KEYS[8], ARGV[7])
      end
      out[2] = oldest
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
