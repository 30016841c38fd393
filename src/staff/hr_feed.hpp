// The human-resources department's change feed of staff records (人社部门 事业单位人员信息),
// as the staff sync reads it (hr_sync.hpp): each record the whole current state of one
// person; a person changed again comes again later in the feed. exchange/hr_office.hpp
// reads it over HTTP.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace nemis::staff {

struct HrStaffRecord {
  std::string id_number, name;
  std::string unit_code;   // the school's 学校标识码
  std::string post;        // 专业技术岗位, 管理岗位, 工勤技能岗位
  std::string title;       // 专业技术职务, may be empty
  std::string status;      // 在岗, 离岗, 退休, 调出, 死亡
  std::string changed_at;  // UTC, e.g. 2026-12-01T08:00:00Z
};

struct HrPage {
  std::vector<HrStaffRecord> records;
  std::string next;  // the cursor after these records
  bool more = false;
};

/// The records after `after` ("" from the beginning), at most `limit`. Fails
/// ("peer_unavailable", "peer_refused", "bad_answer") when HR cannot be asked.
using ReadHrChanges = std::function<Result<HrPage>(const std::string& after, int limit)>;

}  // namespace nemis::staff
