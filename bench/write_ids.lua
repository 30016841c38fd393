-- Shared by write_register.lua and write_correct.lua: valid, unique registration
-- bodies and the per-thread settings of bench/write_bench.sh.
--
-- Student n (a number unique across the whole run; the script hands each wrk run a
-- range and each thread a block of it) gets a GB 11643 citizen ID: a Beijing or
-- Shanghai county as its address code (birthplaces `nemis gen` never uses for a
-- Guangdong province, so no ID collides with the generated students), a birth date
-- between 2013-09-01 and 2019-08-31 (primary-school age: the grade follows from it)
-- and a sequence 000-999 whose parity gives the gender; the check character by
-- ISO 7064 MOD 11-2. That is 2,191 days x 1,000 sequences per county.
local M = {}

local counties = {"110101", "110102", "110105", "110106", "110107", "110108",
                  "310101", "310104", "310105", "310106", "310107", "310109"}
local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local check_chars = "10X98765432"
local surnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"}
local given = {"子涵", "欣怡", "梓轩", "浩宇", "雨桐", "一诺", "宇轩", "思彤", "俊杰", "诗涵",
               "梓萱", "子墨", "语桐", "浩然", "可馨", "明轩", "若曦", "嘉怡", "天佑", "博文"}
local fathers = {"建国", "志强", "伟", "海涛", "建华", "俊", "国庆", "立新"}
local streets = {"天河路", "体育西路", "中山大道", "黄埔大道", "五山路", "龙口西路", "华景路", "林和西路"}

local function check_char(first17)
  local sum = 0
  for i = 1, 17 do sum = sum + (first17:byte(i) - 48) * weights[i] end
  local r = sum % 11 + 1
  return check_chars:sub(r, r)
end
M.check_char = check_char

-- Dates from `first` (a noon os.time) for `count` days: {iso, yyyymmdd, year, month}.
local function dates(year, month, day, count)
  local out, t0 = {}, os.time({year = year, month = month, day = day, hour = 12})
  for i = 0, count - 1 do
    local d = os.date("*t", t0 + i * 86400)
    out[i] = {string.format("%04d-%02d-%02d", d.year, d.month, d.day),
              string.format("%04d%02d%02d", d.year, d.month, d.day), d.year, d.month}
  end
  return out
end
local kDays = 2191  -- 2013-09-01 .. 2019-08-31
local births = dates(2013, 9, 1, kDays)
local guardian_births = dates(1982, 3, 1, kDays)
M.capacity = #counties * kDays * 1000

local function id(county, date, sequence)
  local first17 = county .. date .. string.format("%03d", sequence)
  return first17 .. check_char(first17)
end

-- The JSON body registering student n in `school` (a primary school).
function M.body(n, school)
  if n >= M.capacity then error("student " .. n .. " is beyond the IDs write_ids.lua can make") end
  local county = counties[math.floor(n / (kDays * 1000)) + 1]
  local rest = n % (kDays * 1000)
  local day, sequence = math.floor(rest / 1000), rest % 1000
  local birth = births[day]
  local gender = sequence % 2 == 1 and 1 or 2
  -- Grade 1 of school year 2025 was born 2018-09-01 .. 2019-08-31.
  local first_year = birth[3] + 6 + (birth[4] >= 9 and 1 or 0)
  local grade = 2025 - first_year + 1
  local surname = surnames[n % #surnames + 1]
  local father_id = id(county, guardian_births[day][2], sequence - sequence % 2 + 1)
  return string.format(
    '{"name":"%s%s","gender":%d,"birthDate":"%s","ethnicity":"01","idNumber":"%s",' ..
    '"schoolCode":"%s","grade":%d,"classNo":"%d","entryDate":"%d-09","hukouType":"1",' ..
    '"address":"广东省广州市天河区%s%d号","phone":"139%08d",' ..
    '"guardian1Name":"%s%s","guardian1Relation":"1","guardian1IdNumber":"%s","guardian1Phone":"138%08d"}',
    surname, given[math.floor(n / #surnames) % #given + 1], gender, birth[1], id(county, birth[2], sequence),
    school, grade, n % 8 + 1, first_year, streets[n % #streets + 1], n % 300 + 1, n % 100000000,
    surname, fathers[n % #fathers + 1], father_id, (n * 7) % 100000000)
end

-- Thread `tid`'s school and bearer token: line tid % lines + 1 of the file SCHOOLS
-- ("school_code token" per line; one school registrar per school).
function M.school_of(tid)
  local lines = {}
  for line in io.lines(os.getenv("SCHOOLS")) do
    local code, token = line:match("^(%S+)%s+(%S+)$")
    if code then lines[#lines + 1] = {code = code, token = token} end
  end
  return lines[tid % #lines + 1]
end

-- A header value of a response, whatever the case of its name.
function M.header(headers, name)
  name = name:lower()
  for k, v in pairs(headers) do
    if k:lower() == name then return v end
  end
  return nil
end

return M
