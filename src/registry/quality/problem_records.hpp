// Reading the stored findings (problem_record) for people: a page of findings in the
// reader's scope (a pair is in scope when either student's school is), each side's student
// shown as student lists show it (personal data masked unless the reader may see it, whole
// views audited: student_viewer.hpp; a student outside the reader's scope by its school
// code only), and the counts per kind rolled up per child institution of a division or
// school, for drill-down.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "registry/quality/problem_kind.hpp"
#include "registry/student.hpp"
#include "registry/student_viewer.hpp"

namespace nemis::registry::quality {

struct ProblemQuery {
  std::string org;                  // a division or school code; empty: the reader's scope
  std::optional<ProblemKind> kind;  // all kinds when absent
  std::string state = "open";       // open, gone, resolved; "" for all
  int limit = 50;
  std::string after;  // the previous page's `next`
};

/// One side of a finding.
struct ProblemSide {
  std::string school_code;
  std::optional<Student> student;  // absent: outside the reader's scope
};

struct ProblemRecordView {
  int64_t id = 0;
  ProblemKind kind = ProblemKind::kSameNameBirth;
  std::string state, resolution, resolved_by, resolved_at, details, first_seen, last_seen;
  std::string decision_reason, decision_document;  // a person's decision (problem_decision.hpp)
  int64_t version = 0;
  int score = 0;
  std::optional<int64_t> case_id;
  ProblemSide student;
  std::optional<ProblemSide> other;  // pairs
};

struct ProblemPage {
  std::vector<ProblemRecordView> items;
  std::optional<std::string> next;
};

/// Counts of open findings per kind, in total and per child institution of `org`; a pair
/// counts once in the total and once under each child holding one of its students.
struct ProblemSummary {
  std::string org;
  std::map<ProblemKind, int64_t> total;
  std::map<std::string, std::map<ProblemKind, int64_t>> children;  // by child code
};

class ProblemRecords {
 public:
  ProblemRecords(db::Database& db, const crypto::FieldCipher& cipher,
                 const Clock& clock = Clock::System())
      : db_(db), cipher_(cipher), clock_(clock) {}

  Result<ProblemPage> List(const StudentViewer& viewer, const ProblemQuery& query);
  /// `org` must lie in `scope`; empty: the scope's single subtree (the node for Everything).
  Result<ProblemSummary> Summary(const org::Scope& scope, const std::string& org);

 private:
  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
};

}  // namespace nemis::registry::quality
