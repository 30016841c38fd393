#include "exchange/recovery.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "registry/personal_record.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

using Json = nlohmann::json;

// As the digest counts them (replica_digest.cpp): the province's institutions below the root,
// and its students.
constexpr std::string_view kOrgPage =
    "SELECT id FROM org WHERE province_code = $1 AND level > 0 AND id > $2 ORDER BY id LIMIT $3";
constexpr std::string_view kStudentPage =
    "SELECT id FROM student WHERE province_code = $1 AND id > $2 ORDER BY id LIMIT $3";
constexpr std::string_view kOrgByCode = "SELECT id FROM org WHERE code = $1";
constexpr std::string_view kStudentByNumber = "SELECT id FROM student WHERE number_index = $1";

Result<std::vector<int64_t>> PageIds(db::Connection& c, std::string_view sql,
                                     std::string_view province, int64_t after, int64_t limit) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {province, after, limit}));
  std::vector<int64_t> ids;
  ids.reserve(rs.rows.size());
  for (const db::Row& r : rs.rows) ids.push_back(r.Int(0));
  return ids;
}

// This node's own of the institution, if any (its crossing form).
Result<std::optional<org::ReplicaInstitution>> LocalInstitution(db::Connection& c,
                                                                const std::string& code) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kOrgByCode, {code}));
  if (rs.rows.empty()) return std::optional<org::ReplicaInstitution>();
  const int64_t id = rs.rows[0].Int(0);
  NEMIS_ASSIGN_OR_RETURN(auto found,
                         org::LoadInstitutionsForExchange(c, std::span<const int64_t>(&id, 1)));
  if (found.empty()) return std::optional<org::ReplicaInstitution>();
  return std::optional<org::ReplicaInstitution>(std::move(found[0]));
}

Result<std::optional<registry::Student>> LocalStudent(db::Connection& c,
                                                      const crypto::FieldCipher& cipher,
                                                      const registry::Student& s) {
  NEMIS_ASSIGN_OR_RETURN(
      auto rs, c.Query(kStudentByNumber, {registry::NumberIndex(cipher, s.student_number)}));
  if (rs.rows.empty()) return std::optional<registry::Student>();
  const int64_t id = rs.rows[0].Int(0);
  NEMIS_ASSIGN_OR_RETURN(
      auto found, registry::LoadStudentsForExchange(c, cipher, std::span<const int64_t>(&id, 1)));
  if (found.empty()) return std::optional<registry::Student>();
  return std::optional<registry::Student>(std::move(found[0]));
}

// What never crosses stays as this node has it.
void KeepLocalOnly(const registry::Student& local, registry::Student& s) {
  s.address = local.address;
  s.phone = local.phone;
  s.guardian1.id_number = local.guardian1.id_number;
  s.guardian1.phone = local.guardian1.phone;
  s.guardian2.id_number = local.guardian2.id_number;
  s.guardian2.phone = local.guardian2.phone;
}

Status ApplyInstitutions(db::Connection& c, std::string_view province, const RecoveryPage& page,
                         RecoveryReport& report, std::string_view now) {
  for (const ChangeRecord& r : page.records) {
    const auto* inst = std::get_if<org::ReplicaInstitution>(&r.value);
    if (inst == nullptr) continue;
    NEMIS_ASSIGN_OR_RETURN(auto local, LocalInstitution(c, inst->institution.code));
    if (local && CanonicalRecord({0, *local}) == CanonicalRecord({0, *inst})) continue;
    NEMIS_TRY(org::WriteReplicaInstitution(c, *inst, province, now));
    ++report.institutions;
  }
  return {};
}

Status ApplyStudents(db::Connection& c, const crypto::FieldCipher& cipher,
                     std::string_view province, const RecoveryPage& page, RecoveryReport& report,
                     std::string_view now) {
  std::vector<registry::Student> writes;
  std::vector<bool> inserted;
  for (const ChangeRecord& r : page.records) {
    const auto* theirs = std::get_if<registry::Student>(&r.value);
    if (theirs == nullptr) continue;
    NEMIS_ASSIGN_OR_RETURN(auto local, LocalStudent(c, cipher, *theirs));
    if (local && CanonicalRecord({0, *local}) == CanonicalRecord({0, *theirs})) {
      ++report.unchanged;
      continue;
    }
    registry::Student s = *theirs;
    if (local) KeepLocalOnly(*local, s);
    writes.push_back(std::move(s));
    inserted.push_back(!local.has_value());
  }
  NEMIS_ASSIGN_OR_RETURN(auto outcomes,
                         registry::WriteReplicaStudents(c, cipher, writes, province, now));
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].write != registry::ReplicaWrite::kWritten)
      ++report.held_elsewhere;
    else
      ++(inserted[i] ? report.students_inserted : report.students_updated);
  }
  return {};
}

Error BadAnswer(std::string_view what) {
  return Error::BadRequest("bad_answer", "国家节点的恢复数据有误：" + std::string(what));
}

}  // namespace

Result<RecoveryPage> ReadRecoveryPage(db::Database& db, const crypto::FieldCipher& cipher,
                                      std::string_view province, std::string_view kind,
                                      int64_t after, int64_t limit) {
  if (kind != "institutions" && kind != "students")
    return Error::Invalid({{"kind", "bad_kind", "kind 须为 institutions 或 students"}});
  return db.Read<RecoveryPage>([&](db::Connection& c) -> Result<RecoveryPage> {
    const bool orgs = kind == "institutions";
    NEMIS_ASSIGN_OR_RETURN(auto ids,
                           PageIds(c, orgs ? kOrgPage : kStudentPage, province, after, limit));
    RecoveryPage page;
    if (static_cast<int64_t>(ids.size()) == limit && !ids.empty()) page.next = ids.back();
    if (orgs) {
      NEMIS_ASSIGN_OR_RETURN(auto found, org::LoadInstitutionsForExchange(c, ids));
      for (auto& i : found) page.records.push_back({0, std::move(i)});
    } else {
      NEMIS_ASSIGN_OR_RETURN(auto found, registry::LoadStudentsForExchange(c, cipher, ids));
      for (auto& s : found) page.records.push_back({0, std::move(s)});
    }
    return page;
  });
}

std::string RecoveryPageToJson(const RecoveryPage& page) {
  Json records = Json::array();
  for (const ChangeRecord& r : page.records) records.push_back(RecordToJson(r));
  return Json{{"records", std::move(records)}, {"next", page.next}}.dump();
}

Result<RecoveryPage> RecoveryPageFromJson(std::string_view payload) {
  Json j = Json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("records") || !j["records"].is_array() || !j.contains("next") ||
      !j["next"].is_number_integer())
    return BadAnswer("须为 {\"records\": [...], \"next\": N}");
  RecoveryPage page;
  page.next = j["next"].get<int64_t>();
  for (size_t i = 0; i < j["records"].size(); ++i) {
    auto record = RecordFromJson(j["records"][i], i);
    if (!record.ok()) return BadAnswer(record.error().message);
    page.records.push_back(std::move(*record));
  }
  return page;
}

Status ApplyRecoveryPage(db::Database& db, const crypto::FieldCipher& cipher,
                         std::string_view province, const RecoveryPage& page,
                         RecoveryReport& report, std::string_view now) {
  RecoveryReport added;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    added = {};  // a retried transaction counts again
    NEMIS_TRY(ApplyInstitutions(c, province, page, added, now));
    return ApplyStudents(c, cipher, province, page, added, now);
  }));
  report.institutions += added.institutions;
  report.students_inserted += added.students_inserted;
  report.students_updated += added.students_updated;
  report.unchanged += added.unchanged;
  report.held_elsewhere += added.held_elsewhere;
  return {};
}

}  // namespace nemis::exchange
