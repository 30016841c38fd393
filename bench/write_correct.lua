-- wrk script for bench/write_bench.sh: PATCH /api/v1/students/{studentNumber} with
-- If-Match, each thread correcting the class of its own student (so versions never
-- collide; run wrk with as many threads as connections). Thread t is the registrar of
-- school t % (schools in SCHOOLS). Its student, current version and class come from
-- the file STATE ("tid number version class" per line); a thread without a line first
-- registers student START + t (write_ids.lua) and says so in `write_registered` (the
-- script does that in a warm-up run, never in a measured one). Each answer's ETag and
-- classNo give the next request's If-Match and a different class. At the end the
-- threads' lines are written back to STATE for the next run. Any answer but 200 (201
-- for a registration) is an error: counted, the first one printed.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local ids = require("write_ids")

local function read_state(path)
  local state = {}
  local f = io.open(path, "r")
  if not f then return state end
  for line in f:lines() do
    local t, number, version, class = line:match("^(%d+) (%S+) (%d+) (%S+)$")
    if t then state[tonumber(t)] = {number = number, version = tonumber(version), class = class} end
  end
  f:close()
  return state
end

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
  local s = read_state(os.getenv("STATE"))[tid]
  if s then number, version, class = s.number, s.version, s.class end
  registered, errors, first_error = 0, 0, ""
end

function request()
  if not number then
    registered = registered + 1
    return wrk.format("POST", "/api/v1/students", request_headers,
                      ids.body(tonumber(os.getenv("START")) + tid, school))
  end
  request_headers["If-Match"] = '"v' .. version .. '"'
  local next_class = tostring((tonumber(class) or 0) % 20 + 1)
  return wrk.format("PATCH", "/api/v1/students/" .. number, request_headers,
                    '{"classNo":"' .. next_class .. '"}')
end

function response(status, headers, body)
  if status == 200 or (status == 201 and not number) then
    local etag = ids.header(headers, "ETag") or ""
    version = tonumber(etag:match("(%d+)")) or version
    class = body:match('"classNo":"([^"]*)"') or class
    if not number then number = (ids.header(headers, "Location") or ""):match("/api/v1/students/(%S+)$") end
  else
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. body:sub(1, 400) end
  end
end

function done(summary, latency, requests)
  local path = os.getenv("STATE")
  local state = read_state(path)
  local errors, registered, first_error = 0, 0, ""
  for _, t in ipairs(threads) do
    errors = errors + t:get("errors")
    registered = registered + t:get("registered")
    if first_error == "" then first_error = t:get("first_error") end
    if t:get("number") then
      state[t:get("tid")] = {number = t:get("number"), version = t:get("version"), class = t:get("class")}
    end
  end
  local f = assert(io.open(path, "w"))
  for t, s in pairs(state) do f:write(string.format("%d %s %d %s\n", t, s.number, s.version, s.class)) end
  f:close()
  io.write(string.format("write_errors %d\nwrite_registered %d\n", errors, registered))
  if first_error ~= "" then io.write("write_first_error " .. first_error:gsub("\n", " ") .. "\n") end
end
