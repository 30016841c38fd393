// Approval cases (src/workflow): one row per case, its current step and the institution
// and permission it waits for (so an inbox is an index lookup), and the case's history,
// one row per action, never updated or deleted.
#include <string_view>

namespace nemis::db {

std::string_view Migration0007Workflow() {
  return R"SQL(
CREATE TABLE wf_case (
  id {{id}},
  type TEXT NOT NULL,
  subject TEXT NOT NULL,            -- what the case is about, e.g. student:<number index>
  status TEXT NOT NULL,             -- open, approved, rejected, cancelled
  step INTEGER NOT NULL,            -- index of the current step
  waiting_org TEXT NOT NULL,        -- the current step's institution; '' once closed
  waiting_permission TEXT NOT NULL,
  version BIGINT NOT NULL,
  opened_by TEXT NOT NULL,
  parties TEXT NOT NULL,            -- JSON: party -> institution code
  details TEXT NOT NULL,            -- JSON: what the case's type needs
  opened_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  step_started_on TEXT NOT NULL,    -- business dates (Asia/Shanghai)
  due_on TEXT NOT NULL
);
CREATE INDEX wf_case_waiting ON wf_case (waiting_org, waiting_permission);
CREATE INDEX wf_case_subject ON wf_case (subject, status);
CREATE TABLE wf_case_event (
  id {{id}},
  case_id BIGINT NOT NULL REFERENCES wf_case (id),
  action TEXT NOT NULL,             -- open, approve, reject, return, cancel
  actor TEXT NOT NULL,
  step INTEGER NOT NULL,            -- the step acted on
  status TEXT NOT NULL,             -- the case's status after the action
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX wf_case_event_case ON wf_case_event (case_id, id);
)SQL";
}

}  // namespace nemis::db
