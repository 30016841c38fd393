#include "registry/temporary_number_conversion.hpp"

#include <array>

#include "db/change_log.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_replica.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {
namespace {

constexpr int64_t kChunk = 500;

// L students with a resident ID the population register found 一致, alive and not merged
// away (status neither 11 死亡 nor 99).
constexpr std::string_view kCandidates =
    "SELECT s.id FROM student s WHERE s.id > $1 AND s.number_kind = 'L' AND s.id_type = '1' "
    "AND s.population_check = 'match' AND s.status NOT IN ('11', '99')";
constexpr std::string_view kNumberHeld =
    "SELECT 1 FROM student WHERE number_index = $1 UNION ALL "
    "SELECT 1 FROM student_former_number WHERE number_index = $1";
constexpr std::string_view kRenumber =
    "UPDATE student SET number_index = $2, number_kind = 'G', personal = $3, "
    "version = version + 1, updated_at = $4 WHERE id = $1 AND version = $5 AND number_kind = 'L'";
constexpr std::string_view kKeepFormer =
    "INSERT INTO student_former_number (number_index, student_id, number_kind, replaced_at, "
    "reason) VALUES ($1, $2, 'L', $3, 'population_checked')";

Result<std::vector<int64_t>> NextCandidates(db::Connection& c, const org::Scope& scope,
                                            int64_t after) {
  db::SqlBuilder sql(kCandidates, {after});
  scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
  sql.Add(" ORDER BY s.id LIMIT $1", {kChunk});
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  std::vector<int64_t> ids;
  for (const db::Row& r : rs.rows) ids.push_back(r.Int(0));
  return ids;
}

enum class Outcome { kConverted, kCaseOpen, kNumberTaken, kChanged };

// Inside the writer: the student as read (`version`) gets G + its ID, unless a case about it
// is open or the G number is held; kChanged when it changed meanwhile (left for a next run).
Result<Outcome> Renumber(db::Connection& c, const crypto::FieldCipher& cipher, Student s,
                         const ConversionOptions& options) {
  NEMIS_ASSIGN_OR_RETURN(
      bool open, workflow::CaseStore::HasOpen(c, StudentSubject(cipher, s.student_number), ""));
  if (open) return Outcome::kCaseOpen;
  const std::string former_index = NumberIndex(cipher, s.student_number);
  s.student_number = "G" + *s.id_number;
  s.number_kind = 'G';
  SealPersonal(cipher, s);
  NEMIS_ASSIGN_OR_RETURN(auto held, c.Query(kNumberHeld, {s.sealed.number_index}));
  if (!held.rows.empty()) return Outcome::kNumberTaken;
  if (options.dry_run) return Outcome::kConverted;
  NEMIS_ASSIGN_OR_RETURN(auto moved, c.Query(kRenumber, {s.id, s.sealed.number_index,
                                                         s.sealed.record, options.now, s.version}));
  if (moved.affected != 1) return Outcome::kChanged;
  NEMIS_TRY(c.Query(kKeepFormer, {former_index, s.id, options.now}));
  const std::array<int64_t, 1> ids{s.id};
  NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, options.now));
  return Outcome::kConverted;
}

void Count(ConversionReport& report, Outcome outcome) {
  switch (outcome) {
    case Outcome::kConverted:
      ++report.converted;
      break;
    case Outcome::kCaseOpen:
      ++report.case_open;
      break;
    case Outcome::kNumberTaken:
      ++report.number_taken;
      break;
    case Outcome::kChanged:
      break;
  }
}

}  // namespace

Result<ConversionReport> ConvertTemporaryNumbers(db::Database& db,
                                                 const crypto::FieldCipher& cipher,
                                                 const org::Scope& scope,
                                                 const RegisteredElsewhere& elsewhere,
                                                 const ConversionOptions& options) {
  ConversionReport report;
  for (int64_t after = 0;;) {
    std::vector<Student> students;
    NEMIS_TRY(db.WithReader([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto ids, NextCandidates(c, scope, after));
      NEMIS_ASSIGN_OR_RETURN(students, LoadStudentsForExchange(c, cipher, ids));
      if (!ids.empty()) after = ids.back();
      return {};
    }));
    if (students.empty()) break;
    for (Student& s : students) {
      if (!s.id_number) continue;
      ++report.candidates;
      if (elsewhere) {  // asked outside any transaction: it may be a call to another node
        NEMIS_ASSIGN_OR_RETURN(auto where, elsewhere(*s.id_number));
        if (where) {
          ++report.registered_elsewhere;
          continue;
        }
      }
      Outcome outcome = Outcome::kChanged;
      NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(outcome, Renumber(c, cipher, s, options));
        return {};
      }));
      Count(report, outcome);
    }
  }
  return report;
}

}  // namespace nemis::registry
