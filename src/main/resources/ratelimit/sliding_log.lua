-- The sliding log of one subject, trimmed, counted and appended atomically on Redis's clock.
--
-- KEYS[1] the log, KEYS[2] its total; ARGV window ms, limit, a unique member prefix, how many
-- requests to decide, how many were already admitted (from headroom: counted whatever the count).
-- Admits as many of the others as there are free slots, in order. Returns {admitted, counted
-- before, reset ms}.
--
-- Each call adds one entry, scored with Redis's time and named after the number of requests it
-- admitted ("time:member prefix:count"), and the total is kept beside the log: a busy key costs an
-- entry per call instead of per request. Should either key be lost without the other (evicted,
-- expired a moment apart), the total is rebuilt from the log.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local wanted = tonumber(ARGV[4])
local ahead = tonumber(ARGV[5])
local function count(entries)
  local sum = 0
  for i = 1, #entries do
    sum = sum + tonumber(string.match(entries[i], ':(%d+)$'))
  end
  return sum
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
end
local before = redis.call('GET', KEYS[2])
if redis.call('EXISTS', KEYS[1]) == 0 then
  before = 0
elseif before then
  before = tonumber(before) - count(expired)
else
  before = count(redis.call('ZRANGE', KEYS[1], 0, -1))
end
local admitted = math.max(0, math.min(wanted, limit - before - ahead))
local added = admitted + ahead
if added > 0 then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3] .. ':' .. added)
end
if before + added > 0 then
  redis.call('SET', KEYS[2], before + added, 'PX', window)
  redis.call('PEXPIRE', KEYS[1], window)
else
  redis.call('DEL', KEYS[2])
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return {admitted, before, reset}
