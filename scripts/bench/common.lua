-- Shared by the wrk scenarios of scripts/bench/run.sh: session header, the project list each
-- thread walks (its own slice, so write scenarios touch distinct projects), and one result line.
local M = {}

M.token = os.getenv("BENCH_TOKEN") or ""
M.cookie = os.getenv("BENCH_COOKIE") == "1"

function M.headers(extra)
  local h = extra or {}
  if M.cookie then h["Cookie"] = "zx_session=" .. M.token else h["Authorization"] = "Bearer " .. M.token end
  return h
end

-- Lines "id code" from BENCH_IDS; thread i of n takes lines i, i+n, i+2n, ...
function M.load_ids(thread_index, threads)
  local ids = {}
  local n = 0
  for line in io.lines(os.getenv("BENCH_IDS")) do
    if n % threads == thread_index then
      local id, code = line:match("^(%S+)%s+(%S+)")
      if id then ids[#ids + 1] = { id = id, code = code } end
    end
    n = n + 1
  end
  return ids
end

local counter = 0
function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

-- RESULT <requests/s> <p50 ms> <p99 ms> <errors> <requests> <non-2xx>
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests, e.status))
end

return M
