-- wrk script: GET /api/v1/students/{number} for numbers picked at random from the
-- file named by NUMBERS (one per line), with the API token in TOKEN.
local numbers = {}
local token = os.getenv("TOKEN") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
for line in io.lines(os.getenv("NUMBERS")) do numbers[#numbers + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/students/" .. numbers[math.random(#numbers)], headers)
end
