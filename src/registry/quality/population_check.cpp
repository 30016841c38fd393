#include "registry/quality/population_check.hpp"

#include <set>

#include "codes/id_number.hpp"
#include "registry/student_replica.hpp"

namespace nemis::registry::quality {
namespace {

// Students with a resident ID (居民身份证, type 1) after `after` in scope, at most `limit`.
Result<std::vector<int64_t>> NextIds(db::Connection& c, const org::Scope& scope, bool recheck,
                                     int64_t after, int64_t limit) {
  db::SqlBuilder sql("SELECT s.id FROM student s WHERE s.id > $1 AND s.id_type = '1'", {after});
  if (!recheck) sql.Add(" AND (s.population_check IS NULL OR s.population_check <> 'match')");
  scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
  sql.Add(" ORDER BY s.id LIMIT $1", {limit});
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  std::vector<int64_t> ids;
  ids.reserve(rs.rows.size());
  for (const db::Row& r : rs.rows) ids.push_back(r.Int(0));
  return ids;
}

// The answers that are about a person sent, with a known verdict; anything else the
// register says is not kept.
Result<std::vector<PopulationVerdict>> Checked(std::vector<PopulationVerdict> answers,
                                               std::span<const PersonToCheck> sent,
                                               int64_t& unanswered) {
  std::set<std::pair<std::string, std::string>> asked;
  for (const PersonToCheck& p : sent) asked.insert({p.id_number, p.name});
  std::set<std::pair<std::string, std::string>> answered;
  std::vector<PopulationVerdict> out;
  for (PopulationVerdict& v : answers) {
    auto code = PopulationVerdictCode(v.verdict);
    if (!code) {
      return Error{ErrorKind::kUnavailable,
                   "bad_answer",
                   "人口信息比对服务答复的核查结果“" + v.verdict + "”无法识别",
                   {}};
    }
    v.verdict = *code;
    v.id_number = codes::NormalizeIdNumber(v.id_number);
    if (!asked.contains({v.id_number, v.name}) || !answered.insert({v.id_number, v.name}).second)
      continue;
    out.push_back(std::move(v));
  }
  unanswered += static_cast<int64_t>(sent.size() - out.size());
  return out;
}

void Add(VerdictReport& into, const VerdictReport& from) {
  into.match += from.match;
  into.unknown += from.unknown;
  into.name_mismatch += from.name_mismatch;
  into.not_registered += from.not_registered;
  into.renamed += from.renamed;
}

// One batch: read, send, keep. False when there was nothing left to send.
Result<bool> CheckBatch(db::Database& db, const crypto::FieldCipher& cipher,
                        const org::Scope& scope, const VerifyPersons& verify,
                        const PopulationCheckOptions& options, int64_t& after,
                        PopulationCheckReport& report) {
  std::vector<PersonToCheck> persons;
  bool more = false;
  // One short read per batch: the register is asked outside any transaction.
  NEMIS_TRY(db.WithReader([&](db::Connection& c) -> Status {
    persons.clear();
    NEMIS_ASSIGN_OR_RETURN(auto ids, NextIds(c, scope, options.recheck, after, options.batch));
    more = !ids.empty();
    if (!more) return {};
    after = ids.back();
    NEMIS_ASSIGN_OR_RETURN(auto students, LoadStudentsForExchange(c, cipher, ids));
    for (const Student& s : students)
      if (s.id_number) persons.push_back({*s.id_number, s.name});
    return {};
  }));
  if (persons.empty()) return more;
  report.sent += static_cast<int64_t>(persons.size());  // they leave the node now
  NEMIS_ASSIGN_OR_RETURN(auto answers, verify(persons));
  NEMIS_ASSIGN_OR_RETURN(auto verdicts, Checked(std::move(answers), persons, report.unanswered));
  NEMIS_ASSIGN_OR_RETURN(
      auto kept, KeepPopulationVerdicts(db, cipher, verdicts, options.today, options.dry_run));
  Add(report.kept, kept);
  report.kept.rows += static_cast<int64_t>(verdicts.size());
  return true;
}

}  // namespace

PopulationCheckReport CheckPopulation(db::Database& db, const crypto::FieldCipher& cipher,
                                      const org::Scope& scope, const VerifyPersons& verify,
                                      const PopulationCheckOptions& options) {
  PopulationCheckReport report;
  report.kept.dry_run = options.dry_run;
  for (int64_t after = 0;;) {
    auto more = CheckBatch(db, cipher, scope, verify, options, after, report);
    if (!more.ok()) {
      report.stopped = std::move(more).error();
      break;
    }
    if (!*more) break;
  }
  return report;
}

}  // namespace nemis::registry::quality
