-- GET scenario: BENCH_PATH is a path template; {id} takes the next project of this thread's slice,
-- {page} a page from 1 to 20, {stage} one of the common stages (the list filter).
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local c = require("common")
local ids, i
local stages = { "constructing", "operating", "procuring", "approved", "trial_running", "reserve" }
local template = os.getenv("BENCH_PATH")

function init(args)
  ids = os.getenv("BENCH_IDS") and c.load_ids(thread_index, tonumber(os.getenv("BENCH_THREADS"))) or {}
  i = 0
end

function request()
  i = i + 1
  local path = template
  if #ids > 0 then path = path:gsub("{id}", ids[(i % #ids) + 1].id) end
  path = path:gsub("{page}", tostring((i % 20) + 1)):gsub("{stage}", stages[(i % #stages) + 1])
  return wrk.format("GET", path, c.headers())
end
