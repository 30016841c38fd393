// A workflow definition is data: who opens a case of a type, and the ordered steps it then
// goes through, each bound to a party of the case (an institution the case names when it
// is opened, e.g. "sending_school", "receiving_county") and the permission whoever acts
// there must hold (anywhere in the holder's scope, as everywhere in NEMIS: a county
// officer's grant covers the county's schools, so a step that must be the party's own
// takes a permission only that level holds). Transfers, status changes, statistics
// submissions and dual-control
// account changes are such definitions, read from JSON:
//
//   {"type": "transfer.same_county", "title": "同县转学", "stepDeadlineWorkingDays": 10,
//    "opener": {"party": "receiving_school", "permission": "transfer.request"},
//    "steps": [{"name": "转出校审核", "party": "sending_school", "permission": "transfer.approve"},
//              {"name": "县级主管部门审核", "party": "county", "permission": "transfer.approve"}]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace nemis::workflow {

/// Who acts: a party of the case and the permission needed there.
struct Duty {
  std::string party;
  std::string permission;
};

struct Step {
  std::string name;  // shown to users, e.g. 转出校审核
  Duty duty;
};

struct WorkflowDefinition {
  std::string type;   // stable code, e.g. "transfer.same_county"
  std::string title;  // e.g. 同县转学
  Duty opener;
  std::vector<Step> steps;
  int step_deadline_working_days = 10;  // STANDARDS.md: each party acts within 10 working days

  /// Reads and checks a definition; errors name the field ("steps[1].party").
  static Result<WorkflowDefinition> FromJson(std::string_view text);
  /// Every party a case of this type must name when it is opened.
  std::vector<std::string> Parties() const;
};

}  // namespace nemis::workflow
