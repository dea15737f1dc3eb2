-- wrk script: POST /api/v1/ingest with 1 trace + 100 spans, a new trace id per request.
-- BENCH_BODY is the body made by BenchPayloads.java ingest-template, in which every trace id is
-- the placeholder @@TRACE_ID@@; BENCH_RUN_ID keeps ids of separate runs apart.
dofile(os.getenv("BENCH_LIB") .. "/common.lua")

local parts
local counter = 0
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())

function init(args)
  parts = split_plain(read_file(os.getenv("BENCH_BODY")), "@@TRACE_ID@@")
  assert(#parts == 102, "expected 101 trace id placeholders, found " .. (#parts - 1))
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local id = string.format("wrk-%s-%d-%d", run_id, thread_id or 0, counter)
  return wrk.format("POST", nil, nil, table.concat(parts, id))
end
