-- wrk script of the read scenarios: the request is wrk's own (URL and -H headers); this only
-- adds the pacing and the result line of common.lua.
dofile(os.getenv("BENCH_LIB") .. "/common.lua")
