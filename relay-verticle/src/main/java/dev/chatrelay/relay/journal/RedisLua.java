package dev.chatrelay.relay.journal;

/** Lua helpers the scripts of {@link RedisScripts} are prepended with. */
final class RedisLua {

  private RedisLua() {}

  /** Fencing, epochs, pending jobs and stream entries. */
  static final String COMMON = """
      -- FENCED <latest> unless token is the shard's latest claim ('0' when never claimed)
      local function fence_error(fence, token)
        local latest = redis.call('GET', fence) or '0'
        if latest ~= token then
          return redis.error_reply('FENCED ' .. latest)
        end
        return nil
      end
      -- The thread's epoch, head, floor and the log's length when read (else nil); a new epoch
      -- when never used or when its journal was lost (meta gone, or head > 0 with both streams
      -- gone): old leftovers dropped. t = {meta, log, tok, idem, ends}
      local function ensure_epoch(t, fresh, ttl)
        local m = redis.call('HMGET', t[1], 'epoch', 'head', 'oldest')
        local head = tonumber(m[2]) or 0
        if m[1] and head == 0 then return m[1], head, tonumber(m[3]) or 1, nil end
        if m[1] then
          -- a log with entries exists: the length retention needs answers EXISTS too
          local loglen = redis.call('XLEN', t[2])
          if loglen > 0 or redis.call('EXISTS', t[2], t[3]) > 0 then
            return m[1], head, tonumber(m[3]) or 1, loglen
          end
        end
        redis.call('DEL', t[2], t[3], t[4], t[5])
        redis.call('HSET', t[1], 'epoch', fresh, 'head', 0, 'oldest', 1)
        redis.call('EXPIRE', t[1], ttl)
        return fresh, 0, 1, 0
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
      local function touch(t, ttl)
        for i = 1, 5 do redis.call('EXPIRE', t[i], ttl) end
      end
      """;

  /**
   * The frame writer of the append scripts. Frames are added one at a time with retention after
   * each, as {@link Compaction} defines it, but the writes are coalesced: the idempotency HSETs
   * and HDELs wait in queues sent as one command each ({@code flush}), the token frames dropped
   * leave with one XTRIM MINID (retention only ever drops a stream's oldest entries, so that
   * trim removes exactly them, without a search of the stream node per entry as XDEL does), and
   * the log's length, the token stream's front entries and which replies ended are tracked in
   * Lua instead of read again per frame. Every read of idem or tok that a queued write could
   * change flushes first, and per key the queued writes keep their order (a key's HSET before
   * its HDEL; a dropped key is only added again after a lookup, which flushes), so each key ends
   * as the per-frame commands left it. Retention stays per frame, not once per batch: that
   * would differ, e.g. for a token frame whose reply's ending frame leaves within the batch
   * (per frame it went while the reply still counted as ended) or for a key repeated in a batch.
   */
  static final String WRITER = """
      -- One call's writes to a thread t from head on; want = token entries fetched at once.
      -- loglen: the log's length when known, else nil (read when retention first needs it).
      local function writer(t, head, oldest, loglen, want)
        return {t = t, head = head, oldest = oldest, loglen = loglen, want = want, sets = {},
          dels = {}, trim = nil, queued = 0, dirty = {}, front = {}, fi = 1, floor = 1,
          ended = {}}
      end
      -- Removes a stream's entries up to and including id: its oldest, all dropped.
      local function trim_through(stream, id)
        local ms, sq = string.match(id, '^(%d+)-(%d+)$')
        redis.call('XTRIM', stream, 'MINID', ms .. '-' .. (tonumber(sq) + 1))
      end
      local function flush_trim(w)
        if w.trim then trim_through(w.t[3], w.trim) end
        w.trim = nil
      end
      local function flush(w)
        if #w.sets > 0 then redis.call('HSET', w.t[4], unpack(w.sets)) end
        if #w.dels > 0 then redis.call('HDEL', w.t[4], unpack(w.dels)) end
        flush_trim(w)
        w.sets, w.dels, w.queued = {}, {}, 0
      end
      -- Queues a write; flushes while unpack can still pass the queues as arguments.
      local function queue(w, list, a, b)
        list[#list + 1] = a
        if b then list[#list + 1] = b end
        w.queued = w.queued + 1
        if w.queued >= 1000 then flush(w) end
      end
      -- The journaled entry of idempotency key k, or nil. cached: k's HMGET answer from before
      -- this call wrote (nil when not asked), still true while this call has not written k.
      local function lookup(w, k, cached)
        if cached == nil or w.dirty[k] then
          flush(w)
          cached = redis.call('HGET', w.t[4], k)
        end
        if not cached then return nil end
        flush(w)
        return find_entry(w.t, cached)
      end
      -- Writes frame head + 1: conversation ('c', or 'e' when it ends reply) to log, token ('t')
      -- to tok.
      local function add_frame(w, key, ts, body, cls, reply)
        local t = w.t
        w.head = w.head + 1
        local stream = t[2]
        if cls == 't' then
          stream = t[3]
        elseif w.loglen then
          w.loglen = w.loglen + 1
        end
        if reply ~= '' and cls ~= 'c' then
          redis.call('XADD', stream, w.head .. '-0', 'k', key, 't', ts, 'b', body, 'r', reply)
        else
          redis.call('XADD', stream, w.head .. '-0', 'k', key, 't', ts, 'b', body)
        end
        if cls == 'e' and reply ~= '' then
          redis.call('HSET', t[5], reply, w.head)
          w.ended[reply] = true
        end
        w.dirty[key] = true
        queue(w, w.sets, key, w.head)
      end
      local function drop_key(w, k)
        w.dirty[k] = true
        queue(w, w.dels, k)
      end
      -- The first token entry not yet dropped if its seq is at most upto, else nil. Entries
      -- beyond the fetched ones have seq >= floor: the stream only grows at its end.
      local function first_token(w, upto)
        if w.fi > #w.front then
          if w.floor > upto then return nil end
          flush_trim(w)
          w.front, w.fi = redis.call('XRANGE', w.t[3], '-', '+', 'COUNT', w.want), 1
          if #w.front < w.want then
            w.floor = w.head + 1
          else
            w.floor = seq_of(w.front[#w.front][1]) + 1
          end
          -- a long run of drops (a lowered retention) then costs few fetches
          w.want = math.min(w.want * 2, 1000)
          if #w.front == 0 then return nil end
        end
        local e = w.front[w.fi]
        if seq_of(e[1]) > upto then return nil end
        return e
      end
      local function drop_token(w, e)
        w.fi = w.fi + 1
        w.trim = e[1]
        drop_key(w, field(e[2], 'k'))
      end
      -- Whether reply's ending frame is retained; only this call writes ends meanwhile.
      local function ended(w, reply)
        if w.ended[reply] == nil then
          w.ended[reply] = redis.call('HEXISTS', w.t[5], reply) == 1
        end
        return w.ended[reply]
      end
      -- Retention (Compaction.java): the newest `messages` conversation frames, everything below
      -- the oldest of them gone; token frames up to head - frames dropped oldest first while
      -- their reply has ended.
      local function retain(w, frames, messages)
        local t = w.t
        if not w.loglen then w.loglen = redis.call('XLEN', t[2]) end
        local over = w.loglen - messages
        if over > 0 then
          local gone = redis.call('XRANGE', t[2], '-', '+', 'COUNT', over)
          for i = 1, #gone do
            local fields = gone[i][2]
            drop_key(w, field(fields, 'k'))
            local reply = field(fields, 'r')
            if reply then
              redis.call('HDEL', t[5], reply)
              w.ended[reply] = false
            end
          end
          trim_through(t[2], gone[#gone][1])
          w.loglen = w.loglen - #gone
          w.oldest = seq_of(gone[#gone][1]) + 1
          while true do
            local e = first_token(w, w.oldest - 1)
            if not e then break end
            drop_token(w, e)
          end
        end
        local cut = w.head - frames
        while true do
          local e = first_token(w, cut)
          if not e then break end
          local reply = field(e[2], 'r')
          if reply and not ended(w, reply) then break end
          drop_token(w, e)
        end
      end
      """;
}
