-- wrk script for bench/write_bench.sh: POST /api/v1/students, every request a new,
-- valid student (write_ids.lua). Thread t registers as the registrar of school
-- t % (schools in SCHOOLS) with that registrar's API token, students START + t*BLOCK,
-- START + t*BLOCK + 1, ... Any answer but 201 is an error: counted, the first one
-- printed, and the script rejects the figure.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local ids = require("write_ids")

local threads, started = {}, 0
function setup(thread)
  thread:set("tid", started)
  started = started + 1
  threads[#threads + 1] = thread
end

function init(args)
  local mine = ids.school_of(tid)
  school = mine.code
  request_headers = {["Authorization"] = "Bearer " .. mine.token, ["Content-Type"] = "application/json"}
  block = tonumber(os.getenv("BLOCK"))
  first = tonumber(os.getenv("START")) + tid * block
  next_n, errors, first_error = first, 0, ""
end

function request()
  local n = next_n
  next_n = n + 1
  return wrk.format("POST", "/api/v1/students", request_headers, ids.body(n, school))
end

function response(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. body:sub(1, 400) end
  end
end

function done(summary, latency, requests)
  local errors, overflow, first_error = 0, 0, ""
  for _, t in ipairs(threads) do
    errors = errors + t:get("errors")
    if t:get("next_n") - t:get("first") > t:get("block") then overflow = overflow + 1 end
    if first_error == "" then first_error = t:get("first_error") end
  end
  io.write(string.format("write_errors %d\n", errors))
  if overflow > 0 then io.write(string.format("write_overflow %d threads ran past their block of IDs\n", overflow)) end
  if first_error ~= "" then io.write("write_first_error " .. first_error:gsub("\n", " ") .. "\n") end
end
