-- wrk script: POST /api/v1/experiments/{id}/results with 1 000 results, each request to a block
-- of 1 000 items that no other request of any run wrote to. BENCH_BODY is the body made by
-- scripts/bench, whose item ids read "i-@@BLOCK@@-<n>"; BENCH_EXPERIMENTS lists experiment ids,
-- each taking 1 000 blocks (the dataset holds items i-<block>-<n> for blocks 0 to 999); a run
-- (BENCH_RUN_ID) starts on an experiment of its own.
dofile(os.getenv("BENCH_LIB") .. "/common.lua")

local parts
local experiments = {}
local counter = 0
local first

function init(args)
  parts = split_plain(read_file(os.getenv("BENCH_BODY")), "@@BLOCK@@")
  assert(#parts == 1001, "expected 1000 block placeholders, found " .. (#parts - 1))
  for id in string.gmatch(os.getenv("BENCH_EXPERIMENTS"), "[^,]+") do
    experiments[#experiments + 1] = id
  end
  first = (tonumber(os.getenv("BENCH_RUN_ID")) % #experiments) * 1000
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local slot = first + (counter - 1) * (tonumber(os.getenv("BENCH_THREADS")) or 1) + (thread_id or 1) - 1
  local experiment = experiments[math.floor(slot / 1000) % #experiments + 1]
  local path = "/api/v1/experiments/" .. experiment .. "/results"
  return wrk.format("POST", path, nil, table.concat(parts, tostring(slot % 1000)))
end
