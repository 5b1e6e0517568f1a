-- The append script before its writes were batched: the reference RedisScriptsEquivalenceTest compares with.
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
