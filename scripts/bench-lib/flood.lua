-- wrk script for scripts/flood-test: the ingest requests of ingest.lua, counting every answer's
-- status and whether a 429 or 503 carried Retry-After. done() prints "FLOOD_STATUS code=count ..."
-- and "FLOOD_RETRY_AFTER with=n without=n".
dofile(os.getenv("BENCH_LIB") .. "/ingest.lua")

local threads = {}
statuses = {}
with_retry_after = 0
without_retry_after = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 429 or status == 503 then
    if headers["Retry-After"] or headers["retry-after"] then
      with_retry_after = with_retry_after + 1
    else
      without_retry_after = without_retry_after + 1
    end
  end
end

function done(summary, latency, requests)
  local totals = {}
  local with, without = 0, 0
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      totals[code] = (totals[code] or 0) + count
    end
    with = with + thread:get("with_retry_after")
    without = without + thread:get("without_retry_after")
  end
  local line = "FLOOD_STATUS"
  for code, count in pairs(totals) do
    line = line .. string.format(" %d=%d", code, count)
  end
  io.write(line .. "\n")
  io.write(string.format("FLOOD_RETRY_AFTER with=%d without=%d\n", with, without))
  io.write(string.format("FLOOD_SOCKET_ERRORS connect=%d read=%d write=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
