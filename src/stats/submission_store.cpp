#include "stats/submission_store.hpp"

#include <algorithm>

#include "audit/audit_log.hpp"
#include "crypto/encoding.hpp"
#include "org/org_store.hpp"
#include "stats/stats_engine.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::stats {
namespace {

using Json = nlohmann::json;
using workflow::CaseAction;

constexpr std::string_view kCaseType = "stats.submission";
constexpr std::string_view kColumns =
    "year, org_code, state, case_id, snapshot, digest, explanations, submitted_by, submitted_at, "
    "decided_by, decided_at, return_reason, version";
constexpr std::string_view kUpsert =
    "INSERT INTO stats_submission (year, org_code, state, case_id, snapshot, digest, "
    "explanations, submitted_by, submitted_at, decided_by, decided_at, return_reason, version) "
    "VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $7, $8, '', '', '', 1) "
    "ON CONFLICT (year, org_code) DO UPDATE SET state = 'submitted', case_id = $3, snapshot = $4, "
    "digest = $5, explanations = $6, submitted_by = $7, submitted_at = $8, decided_by = '', "
    "decided_at = '', return_reason = '', version = stats_submission.version + 1";
// Only at the version the actor saw and in the state the action starts from.
constexpr std::string_view kDecide =
    "UPDATE stats_submission SET state = $1, decided_by = $2, decided_at = $3, return_reason = $4, "
    "version = version + 1 WHERE year = $5 AND org_code = $6 AND version = $7 AND state = $8";
constexpr std::string_view kInsertSignature =
    "INSERT INTO stats_signature (year, org_code, action, account, signed_text, signature, "
    "certificate, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kSelectSignatures =
    "SELECT action, account, at, signed_text, signature, certificate FROM stats_signature "
    "WHERE year = $1 AND org_code = $2 AND id >= (SELECT COALESCE(MAX(id), 0) FROM "
    "stats_signature WHERE year = $1 AND org_code = $2 AND action = 'submit') ORDER BY id";
constexpr std::string_view kReportingUnits =
    "SELECT o.code FROM org o WHERE o.parent_code = $1 AND o.status = 'open' AND (o.level = 4 OR "
    "EXISTS (SELECT 1 FROM org s WHERE s.level = 4 AND s.status = 'open' AND (s.county_code = "
    "o.code OR s.city_code = o.code OR s.province_code = o.code))) ORDER BY o.code";

std::optional<SubmissionState> StateFromName(std::string_view name) {
  for (auto s : {SubmissionState::kSubmitted, SubmissionState::kApproved,
                 SubmissionState::kReturned, SubmissionState::kWithdrawn})
    if (SubmissionStateName(s) == name) return s;
  return std::nullopt;
}

Submission FromRow(const db::Row& r) {
  Submission s;
  s.year = static_cast<int>(r.Int(0));
  s.org_code = r.Text(1);
  s.state = StateFromName(r.Text(2)).value_or(SubmissionState::kSubmitted);
  s.case_id = r.Int(3);
  s.snapshot = Json::parse(r.Text(4), nullptr, false);
  s.digest = r.Text(5);
  auto explanations = Json::parse(r.Text(6), nullptr, false);
  if (explanations.is_object())
    s.explanations = explanations.get<std::map<std::string, std::string>>();
  s.submitted_by = r.Text(7);
  s.submitted_at = r.Text(8);
  s.decided_by = r.Text(9);
  s.decided_at = r.Text(10);
  s.return_reason = r.Text(11);
  s.version = r.Int(12);
  return s;
}

Result<std::optional<Submission>> Load(db::Connection& c, int year, const std::string& org) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT " + std::string(kColumns) +
                                              " FROM stats_submission WHERE year = $1 AND "
                                              "org_code = $2",
                                          {int64_t{year}, org}));
  if (rs.empty()) return std::optional<Submission>();
  return std::optional<Submission>(FromRow(rs.rows[0]));
}

bool Pending(SubmissionState s) {
  return s == SubmissionState::kSubmitted || s == SubmissionState::kApproved;
}

// The level above that has submitted (its submission pending or approved), if any: what
// is under it is frozen.
Result<std::optional<std::string>> LockedAbove(db::Connection& c, int year,
                                               const org::Institution& unit) {
  std::string code = unit.parent_code;
  while (!code.empty()) {
    NEMIS_ASSIGN_OR_RETURN(auto row, Load(c, year, code));
    if (row && Pending(row->state)) return std::optional<std::string>(code);
    NEMIS_ASSIGN_OR_RETURN(auto above, org::OrgStore::Load(c, code));
    code = above ? above->parent_code : "";
  }
  return std::optional<std::string>();
}

Status RefuseIfLocked(db::Connection& c, int year, const org::Institution& unit) {
  NEMIS_ASSIGN_OR_RETURN(auto above, LockedAbove(c, year, unit));
  if (above)
    return Error::Conflict("locked_above",
                           "上级单位 " + *above + " 已上报或已通过审核，下级数据已锁定");
  return {};
}

const workflow::WorkflowDefinition& CaseDefinition() {
  return *workflow::DefinitionCatalog::Builtin().Find(kCaseType);
}

std::string Subject(int year, const std::string& org) {
  return "stats:" + std::to_string(year) + ":" + org;
}

Result<int> YearOfCase(const workflow::ApprovalCase& kase) {
  const Json details = Json::parse(kase.details, nullptr, false);
  if (!details.is_object() || !details.contains("year") || !details["year"].is_number_integer() ||
      !kase.parties.contains("unit"))
    return Error::Internal("stats.submission case without year or unit");
  return details["year"].get<int>();
}

Status CheckPointPassed(Date today, int year) {
  if (PointOfYear(year) >= today)
    return Error::Refused("point_not_reached", "统计时点 " + PointOfYear(year).ToIso() +
                                                   " 尚未过去，不能上报该学年的统计");
  return {};
}

Status CheckFindings(const std::vector<Finding>& findings,
                     const std::map<std::string, std::string>& explanations) {
  std::vector<FieldError> errors;
  for (const Finding& f : findings)
    if (!f.warning) errors.push_back({"findings." + f.id, "check_failed", f.message});
  if (!errors.empty())
    return Error{ErrorKind::kInvalid, "validation_failed", "逻辑校验未通过，须修正数据后再上报",
                 std::move(errors)};
  std::vector<FieldError> missing;
  for (const std::string& id : Unexplained(findings, explanations)) {
    auto it = std::find_if(findings.begin(), findings.end(),
                           [&](const Finding& f) { return f.id == id; });
    missing.push_back({"explanations." + id, "required", "请说明：" + it->message});
  }
  if (!missing.empty())
    return Error{ErrorKind::kInvalid, "explanation_required", "经验校验的提示须逐条说明后再上报",
                 std::move(missing)};
  return {};
}

// Only the explanations of this submission's warnings travel with it.
std::map<std::string, std::string> KeptExplanations(
    const std::vector<Finding>& findings, const std::map<std::string, std::string>& given) {
  std::map<std::string, std::string> kept;
  for (const Finding& f : findings)
    if (auto it = given.find(f.id); f.warning && it != given.end()) kept[f.id] = it->second;
  return kept;
}

Status Sign(db::Connection& c, const SignerKeys& signers, const std::string& action,
            const Submission& s, const std::string& account, const std::string& at) {
  NEMIS_ASSIGN_OR_RETURN(Signer signer, signers.For(c, account, at));
  const std::string statement = SignedStatement(action, s.year, s.org_code, s.digest, account, at);
  const std::string signature = signer.key.Sign(statement);
  const std::string encoded = crypto::Base64Encode(signature),
                    certificate = signer.certificate.dump();
  NEMIS_TRY(c.Query(kInsertSignature, {int64_t{s.year}, s.org_code, action, account, statement,
                                       encoded, certificate, at}));
  return {};
}

audit::AuditEntry EntryFor(const workflow::Actor& actor, std::string_view action,
                           const Submission& s, const std::string& at, const Json& details) {
  audit::AuditEntry e;
  e.time = at;
  e.account = actor.account;
  e.roles = actor.roles;
  e.scope = actor.scope;
  e.source_ip = actor.source_ip;
  e.request_id = actor.request_id;
  e.action = std::string(action);
  e.target = "stats_submission:" + std::to_string(s.year) + ":" + s.org_code;
  e.outcome = std::string(audit::kSuccess);
  e.details = details.dump();
  return e;
}

Result<int64_t> CountOf(StatsEngine& engine, const std::string& org, Date day,
                        std::vector<registry::StatsDimension> by = {}) {
  registry::StatsQuery q{org, std::move(by), false};
  NEMIS_ASSIGN_OR_RETURN(auto r, engine.CountStudentsAsOf(org::Scope::Everything(), q, day));
  return r.total;
}

}  // namespace

bool IsSubmissionCase(std::string_view type) { return type == kCaseType; }

std::string_view SubmissionStateName(SubmissionState state) {
  switch (state) {
    case SubmissionState::kSubmitted:
      return "submitted";
    case SubmissionState::kApproved:
      return "approved";
    case SubmissionState::kReturned:
      return "returned";
    case SubmissionState::kWithdrawn:
      return "withdrawn";
  }
  return "submitted";
}

Result<std::vector<org::Institution>> ReportingUnitsUnder(db::Connection& c,
                                                          const std::string& parent_code) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kReportingUnits, {parent_code}));
  std::vector<org::Institution> units;
  units.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    NEMIS_ASSIGN_OR_RETURN(auto inst, org::OrgStore::Load(c, row.Text(0)));
    if (inst) units.push_back(std::move(*inst));
  }
  return units;
}

SubmissionStore::SubmissionStore(db::Database& db, const Clock& clock, workflow::CaseStore& cases,
                                 const SignerKeys& signers, SubmissionSettings settings)
    : db_(db), clock_(clock), cases_(cases), signers_(signers), settings_(settings) {}

Result<Snapshot> SubmissionStore::SchoolSnapshot(StatsEngine& engine, int year,
                                                 const org::Institution& school) {
  Snapshot s;
  s.year = year;
  s.org_code = school.code;
  s.point = PointOfYear(year);
  s.schools = 1;
  for (const FormDefinition& form : Forms()) {
    NEMIS_ASSIGN_OR_RETURN(FormTable t,
                           engine.FillForm(org::Scope::Everything(), form, school.code, s.point));
    if (CountsAnyone(t)) s.forms.push_back(std::move(t));
  }
  NEMIS_ASSIGN_OR_RETURN(s.students, CountOf(engine, school.code, s.point));
  if (s.students == 0) s.schools_without_students.push_back(school.code);
  return s;
}

Result<ReviewFacts> SubmissionStore::FactsFor(StatsEngine& engine, int year,
                                              const org::Institution& unit,
                                              const Snapshot& snapshot) {
  ReviewFacts facts;
  facts.school = unit.level == org::OrgLevel::kSchool;
  facts.year_on_year_percent = settings_.year_on_year_percent;
  NEMIS_ASSIGN_OR_RETURN(auto last, Get(year - 1, unit.code));
  if (last && last->snapshot.is_object()) {
    facts.last_year_students = last->snapshot.value("students", int64_t{0});
  } else if (facts.school) {
    NEMIS_ASSIGN_OR_RETURN(int64_t before, CountOf(engine, unit.code, PointOfYear(year - 1)));
    if (before > 0) facts.last_year_students = before;
  }
  if (!facts.school || snapshot.students == 0) return facts;
  using D = registry::StatsDimension;
  registry::StatsQuery q{unit.code, {D::kGrade, D::kBirthYear}, false};
  NEMIS_ASSIGN_OR_RETURN(auto counted,
                         engine.CountStudentsAsOf(org::Scope::Everything(), q, snapshot.point));
  std::map<int, GradeAgeAnomaly> by_grade;
  for (const auto& row : counted.rows) {
    const auto* grade_key = std::get_if<int64_t>(&row.keys[0]);
    const auto* born_key = std::get_if<int64_t>(&row.keys[1]);
    if (grade_key == nullptr || born_key == nullptr) continue;
    const int grade = static_cast<int>(*grade_key);
    if (grade < 1 || grade > 12) continue;
    const auto [from, to] = AllowedBirthYears(year, grade);
    const int64_t born = *born_key;
    if (born >= from && born <= to) continue;
    GradeAgeAnomaly& a = by_grade[grade];
    a = {grade, a.students + row.count, from, to};
  }
  for (auto& [grade, anomaly] : by_grade) facts.grade_age.push_back(anomaly);
  return facts;
}

Result<SubmissionDraft> SubmissionStore::RegionDraft(int year, const org::Institution& unit) {
  return db_.Read<SubmissionDraft>([&](db::Connection& c) -> Result<SubmissionDraft> {
    SubmissionDraft draft;
    NEMIS_ASSIGN_OR_RETURN(auto units, ReportingUnitsUnder(c, unit.code));
    std::vector<Snapshot> parts;
    for (const auto& below : units) {
      NEMIS_ASSIGN_OR_RETURN(auto row, Load(c, year, below.code));
      if (!row || !Counts(row->state)) {
        draft.units_not_approved.push_back(below.code);
        continue;
      }
      NEMIS_ASSIGN_OR_RETURN(Snapshot part, SnapshotFromJson(row->snapshot));
      parts.push_back(std::move(part));
    }
    draft.snapshot = SumSnapshots(year, unit.code, parts);
    return draft;
  });
}

Result<SubmissionDraft> SubmissionStore::Prepare(StatsEngine& engine, int year,
                                                 const org::Institution& unit) {
  NEMIS_TRY(CheckPointPassed(clock_.TodayInChina(), year));
  SubmissionDraft draft;
  if (unit.level == org::OrgLevel::kSchool) {
    NEMIS_ASSIGN_OR_RETURN(draft.snapshot, SchoolSnapshot(engine, year, unit));
  } else {
    NEMIS_ASSIGN_OR_RETURN(draft, RegionDraft(year, unit));
  }
  NEMIS_ASSIGN_OR_RETURN(ReviewFacts facts, FactsFor(engine, year, unit, draft.snapshot));
  draft.findings = ReviewSnapshot(draft.snapshot, facts);
  return draft;
}

Result<Submission> SubmissionStore::Submit(const workflow::Actor& actor, StatsEngine& engine,
                                           int year, const org::Institution& unit,
                                           const std::map<std::string, std::string>& explanations) {
  NEMIS_ASSIGN_OR_RETURN(SubmissionDraft draft, Prepare(engine, year, unit));
  if (!draft.units_not_approved.empty())
    return Error::Conflict("units_not_approved", std::to_string(draft.units_not_approved.size()) +
                                                     " 个下级单位的上报尚未审核通过（如 " +
                                                     draft.units_not_approved[0] +
                                                     "），全部通过后才能上报");
  NEMIS_TRY(CheckFindings(draft.findings, explanations));
  Json snapshot = SnapshotJson(draft.snapshot);
  snapshot["findings"] = FindingsJson(draft.findings);  // signed with the figures
  const auto kept = KeptExplanations(draft.findings, explanations);
  const std::string digest = SubmissionDigest(snapshot, kept);
  const std::string now = FormatUtc(clock_.Now());
  Submission out;
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto row, Load(c, year, unit.code));
    if (row && Pending(row->state))
      return Error::Conflict("already_submitted", "本单位该学年的统计已上报");
    NEMIS_TRY(RefuseIfLocked(c, year, unit));
    // The units below may have been reopened since the draft: check again in the write.
    if (unit.level != org::OrgLevel::kSchool) NEMIS_TRY(AcceptUnitsBelow(c, actor, year, unit));
    NEMIS_ASSIGN_OR_RETURN(auto kase,
                           cases_.OpenIn(c, actor, CaseDefinition(), Subject(year, unit.code),
                                         {{"unit", unit.code}, {"reviewer", unit.parent_code}},
                                         Json{{"year", year}, {"digest", digest}}.dump()));
    const std::string snapshot_text = snapshot.dump(), explanations_text = Json(kept).dump();
    NEMIS_TRY(c.Query(kUpsert, {int64_t{year}, unit.code, kase.id, snapshot_text, digest,
                                explanations_text, actor.account, now}));
    NEMIS_ASSIGN_OR_RETURN(auto stored, Load(c, year, unit.code));
    out = std::move(*stored);
    return Sign(c, signers_, "submit", out, actor.account, now);
  }));
  return out;
}

bool SubmissionStore::Counts(SubmissionState state) const {
  return state == SubmissionState::kApproved ||
         (!settings_.acceptance_required && state == SubmissionState::kSubmitted);
}

Status SubmissionStore::AcceptUnitsBelow(db::Connection& c, const workflow::Actor& actor, int year,
                                         const org::Institution& unit) {
  NEMIS_ASSIGN_OR_RETURN(auto units, ReportingUnitsUnder(c, unit.code));
  for (const auto& below : units) {
    NEMIS_ASSIGN_OR_RETURN(auto part, Load(c, year, below.code));
    if (!part || !Counts(part->state))
      return Error::Conflict("units_not_approved",
                             "下级单位 " + below.code + " 的上报已不是审核通过（或已上报）状态");
    if (part->state == SubmissionState::kApproved) continue;
    NEMIS_ASSIGN_OR_RETURN(auto version,
                           c.Query("SELECT version FROM wf_case WHERE id = $1", {part->case_id}));
    if (version.empty()) return Error::Internal("a submission's case is missing");
    NEMIS_TRY(cases_.ActIn(
        c, actor, CaseDefinition(), part->case_id, CaseAction::kApprove, version.rows[0].Int(0), "",
        [this](db::Connection& tx, const workflow::ApprovalCase& k) { return OnEnd(tx, k); }));
  }
  return {};
}

Result<Submission> SubmissionStore::Decide(const workflow::Actor& actor, int year,
                                           const std::string& org_code, CaseAction action,
                                           const std::string& reason, int64_t expected_version) {
  NEMIS_ASSIGN_OR_RETURN(auto found, Get(year, org_code));
  if (!found) return Error::Conflict("not_submitted", "本单位该学年的统计尚未上报");
  if (found->version != expected_version)
    return Error::Conflict("version_conflict", "上报已被他人处理，请刷新后再试");
  if (found->state == SubmissionState::kApproved && action == CaseAction::kReject)
    return Reopen(actor, *found, reason);
  if (found->state != SubmissionState::kSubmitted)
    return Error::Conflict("not_submitted", "本单位该学年的统计不在待审核状态");
  NEMIS_ASSIGN_OR_RETURN(auto kase, cases_.Get(found->case_id));
  auto on_end = [this](db::Connection& c, const workflow::ApprovalCase& k) { return OnEnd(c, k); };
  NEMIS_TRY(cases_.Act(actor, CaseDefinition(), kase.id, action, kase.version, reason, on_end));
  NEMIS_ASSIGN_OR_RETURN(auto after, Get(year, org_code));
  return std::move(*after);
}

Status SubmissionStore::OnEnd(db::Connection& c, const workflow::ApprovalCase& kase) const {
  NEMIS_ASSIGN_OR_RETURN(int year, YearOfCase(kase));
  const std::string& org_code = kase.parties.at("unit");
  NEMIS_ASSIGN_OR_RETURN(auto row, Load(c, year, org_code));
  if (!row || row->case_id != kase.id || row->state != SubmissionState::kSubmitted)
    return Error::Conflict("not_submitted", "该审核案件对应的上报已不在待审核状态");
  const workflow::CaseEvent& last = kase.history.back();
  const SubmissionState to =
      kase.status == workflow::CaseStatus::kApproved   ? SubmissionState::kApproved
      : kase.status == workflow::CaseStatus::kRejected ? SubmissionState::kReturned
                                                       : SubmissionState::kWithdrawn;
  const std::string to_name(SubmissionStateName(to));
  NEMIS_ASSIGN_OR_RETURN(
      auto rs, c.Query(kDecide, {to_name, last.actor, last.at, last.reason, int64_t{year}, org_code,
                                 row->version, std::string("submitted")}));
  if (rs.affected != 1)
    return Error::Conflict("version_conflict", "上报已被他人处理，请刷新后再试");
  if (to != SubmissionState::kApproved) return {};
  return Sign(c, signers_, "approve", *row, last.actor, last.at);
}

Result<Submission> SubmissionStore::Reopen(const workflow::Actor& actor, const Submission& approved,
                                           const std::string& reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return Error::Invalid({{"reason", "reason_required", "退回须说明理由"}});
  const std::string now = FormatUtc(clock_.Now());
  NEMIS_TRY(db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto unit, org::OrgStore::Load(c, approved.org_code));
    if (!unit) return Error::NotFound("机构不存在");
    NEMIS_ASSIGN_OR_RETURN(auto reviewer, org::OrgStore::Load(c, unit->parent_code));
    if (!reviewer || !actor.may || !actor.may("stats.approve", *reviewer))
      return Error::Forbidden("没有退回该单位上报的权限（须为上级审核单位）");
    NEMIS_TRY(RefuseIfLocked(c, approved.year, *unit));
    NEMIS_ASSIGN_OR_RETURN(
        auto rs, c.Query(kDecide, {std::string("returned"), actor.account, now, reason,
                                   int64_t{approved.year}, approved.org_code, approved.version,
                                   std::string("approved")}));
    if (rs.affected != 1)
      return Error::Conflict("version_conflict", "上报已被他人处理，请刷新后再试");
    audit::AuditEntry entry =
        EntryFor(actor, "stats.reopen", approved, now, Json{{"reason_given", true}});
    return audit::AsRefusal(entry, audit::Append(c, entry));
  }));
  NEMIS_ASSIGN_OR_RETURN(auto after, Get(approved.year, approved.org_code));
  return std::move(*after);
}

Result<Submission> SubmissionStore::Approve(const workflow::Actor& actor, int year,
                                            const std::string& org_code, int64_t expected_version) {
  return Decide(actor, year, org_code, CaseAction::kApprove, "", expected_version);
}

Result<Submission> SubmissionStore::Return(const workflow::Actor& actor, int year,
                                           const std::string& org_code, const std::string& reason,
                                           int64_t expected_version) {
  return Decide(actor, year, org_code, CaseAction::kReject, reason, expected_version);
}

Result<Submission> SubmissionStore::Withdraw(const workflow::Actor& actor, int year,
                                             const std::string& org_code,
                                             int64_t expected_version) {
  return Decide(actor, year, org_code, CaseAction::kCancel, "", expected_version);
}

Result<std::optional<Submission>> SubmissionStore::Get(int year, const std::string& org_code) {
  return db_.Read<std::optional<Submission>>(
      [&](db::Connection& c) { return Load(c, year, org_code); });
}

Result<std::vector<SubmissionSignature>> SubmissionStore::Signatures(int year,
                                                                     const std::string& org_code) {
  return db_.Read<std::vector<SubmissionSignature>>(
      [&](db::Connection& c) -> Result<std::vector<SubmissionSignature>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectSignatures, {int64_t{year}, org_code}));
        std::vector<SubmissionSignature> out;
        for (const auto& r : rs.rows) {
          NEMIS_ASSIGN_OR_RETURN(std::string der, crypto::Base64Decode(r.Text(4)));
          out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), std::move(der),
                         Json::parse(r.Text(5), nullptr, false)});
        }
        return out;
      });
}

Result<Json> SubmissionStore::SignedDocument(int year, const std::string& org_code) {
  NEMIS_ASSIGN_OR_RETURN(auto found, Get(year, org_code));
  if (!found) return Error::NotFound("本单位该学年的统计尚未上报");
  NEMIS_ASSIGN_OR_RETURN(auto signatures, Signatures(year, org_code));
  NEMIS_ASSIGN_OR_RETURN(std::string authority, signers_.AuthorityPublicPem());
  return SignedSubmissionDocument(year, org_code, std::string(SubmissionStateName(found->state)),
                                  found->snapshot, found->explanations, signatures, authority);
}

}  // namespace nemis::stats
