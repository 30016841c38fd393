// The staff basic database (教职工基础库) as the human-resources department keeps it
// (staff/hr_sync.hpp): one row per person (by the blind index of the resident ID), the name
// and ID sealed like a student's, the school and its ancestor codes for scopes, the post,
// title and status HR gives; and where the node stands in HR's change feed.
#include <string_view>

namespace nemis::db {

std::string_view Migration0033Staff() {
  return R"SQL(
CREATE TABLE staff (
  id {{id}},
  id_index TEXT NOT NULL UNIQUE,    -- blind index of the resident ID: one person, one row
  personal TEXT NOT NULL,           -- the sealed {"idNumber", "name"}, base64url
  gender INTEGER NOT NULL,          -- from the ID: 1 male, 2 female
  birth_date TEXT NOT NULL,         -- from the ID
  school_id BIGINT NOT NULL,
  school_code TEXT NOT NULL,
  province_code TEXT NOT NULL,
  city_code TEXT,
  county_code TEXT,
  post TEXT NOT NULL,               -- 专业技术岗位, 管理岗位, 工勤技能岗位
  title TEXT NOT NULL DEFAULT '',   -- 专业技术职务, e.g. 一级教师
  status TEXT NOT NULL,             -- 在岗, 离岗, 退休, 调出, 死亡
  hr_changed_at TEXT NOT NULL,      -- HR's time of this state: an older one never replaces it
  updated_at TEXT NOT NULL
);
CREATE INDEX staff_school ON staff (school_id, status);
CREATE TABLE hr_feed (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor TEXT NOT NULL,             -- HR's opaque cursor after the last page applied
  synced_at TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
