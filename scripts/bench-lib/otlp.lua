-- wrk script: POST /v1/traces, an OTLP ExportTraceServiceRequest of 100 spans in protobuf, with
-- 16 fresh trace id bytes per request. BENCH_BODY is the body made by BenchPayloads.java otlp, in
-- which every trace_id is the ASCII placeholder "SXTBENCHTRACEID!" (16 bytes). The body is binary:
-- it is split with plain string.find, never with patterns.
dofile(os.getenv("BENCH_LIB") .. "/common.lua")

local PLACEHOLDER = "SXTBENCHTRACEID!"
local parts
local counter = 0
local prefix

function init(args)
  local body = read_file(os.getenv("BENCH_BODY"))
  parts = split_plain(body, PLACEHOLDER)
  assert(#parts == 101, "expected 100 trace id placeholders, found " .. (#parts - 1))
  local run = tonumber(os.getenv("BENCH_RUN_ID") or "") or os.time()
  -- bytes 1-6: a marker, the run and the thread; bytes 7-16: the request counter
  prefix = string.char(0x5e, 0x47, math.floor(run / 65536) % 256, math.floor(run / 256) % 256,
    run % 256, (thread_id or 0) % 256)
  wrk.headers["Content-Type"] = "application/x-protobuf"
end

local function trace_id(n)
  local bytes = {}
  for k = 10, 1, -1 do
    bytes[k] = n % 256
    n = math.floor(n / 256)
  end
  return prefix .. string.char(unpack(bytes))
end

function request()
  counter = counter + 1
  return wrk.format("POST", nil, nil, table.concat(parts, trace_id(counter)))
end
