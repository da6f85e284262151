-- Write scenario: 登记共享信息使用情况反馈 (record-sharing-feedback, R-SHR-3) on a different
-- project every request, each thread over its own slice of projects that have a catalog entry.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local c = require("common")
local ids, i

function init(args)
  ids = c.load_ids(thread_index, tonumber(os.getenv("BENCH_THREADS")))
  i = 0
end

-- BENCH_DELAY_MS: a pause before each request (a steady trickle of writes beside a read scenario).
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then
  function delay() return pause end
end

function request()
  i = i + 1
  local p = ids[(i % #ids) + 1]
  local body = string.format('{"entryCode":"%s-R01","usedOn":"2026-10-30","consumer":"郑州市医疗保障局","purpose":"压测:跨部门业务核验","outcome":"satisfied"}', p.code)
  return wrk.format("POST", "/api/v1/projects/" .. p.id .. "/actions/record-sharing-feedback", c.headers({ ["Content-Type"] = "application/json" }), body)
end
