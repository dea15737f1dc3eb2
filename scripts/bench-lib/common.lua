-- Shared by the wrk scripts of scripts/bench (loaded with dofile from each of them).
--
-- * setup() numbers the threads: each thread's Lua state gets a global `thread_id` (1, 2, ...).
-- * With BENCH_RATE set (requests/s over all threads), delay() paces the requests on a schedule
--   fixed in advance: each thread sends BENCH_RATE / BENCH_THREADS requests per second on
--   whichever of its connections is free, whatever the response times (a late request goes at
--   once). The gaps between requests are exponential (Poisson arrivals, as from many independent
--   clients) unless BENCH_ARRIVALS=uniform. This is the fixed-offered-rate latency run; without
--   BENCH_RATE the run is a closed loop (peak). wrk measures each request from when it is sent.
-- * done() prints one machine-readable line, "BENCH_RESULT key=value ...", for scripts/bench.

local ffi = require("ffi")
pcall(ffi.cdef, [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec_t;
  int clock_gettime(int clk_id, bench_timespec_t *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec_t")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local rate = tonumber(os.getenv("BENCH_RATE") or "")
if rate and rate > 0 then
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local interval = 1000 * threads / rate -- mean ms between two requests of one thread
  local poisson = os.getenv("BENCH_ARRIVALS") ~= "uniform"
  local next_at = nil
  function delay()
    local now = now_ms()
    if next_at == nil then
      math.randomseed(os.time() * 1000 + (thread_id or 0))
      next_at = now
    end
    local wait = next_at - now
    if poisson then
      next_at = next_at - math.log(1 - math.random()) * interval
    else
      next_at = next_at + interval
    end
    if wait <= 0 then
      return 0
    end
    return math.floor(wait)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_s=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
      .. " status_errors=%d socket_errors=%d bytes=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end

-- Splits `s` on every occurrence of `sep`, compared as plain bytes (no Lua patterns): the bodies
-- may be binary. table.concat(parts, x) then puts x back in every place.
function split_plain(s, sep)
  local parts, from = {}, 1
  while true do
    local i, j = string.find(s, sep, from, true)
    if not i then
      parts[#parts + 1] = string.sub(s, from)
      return parts
    end
    parts[#parts + 1] = string.sub(s, from, i - 1)
    from = j + 1
  end
end

function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot read " .. tostring(path))
  local content = f:read("*a")
  f:close()
  return content
end
