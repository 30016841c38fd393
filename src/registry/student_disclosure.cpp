#include "registry/student_disclosure.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "audit/audit_log.hpp"
#include "registry/personal_mask.hpp"

namespace nemis::registry {

StudentViewer StudentViewer::Node() {
  StudentViewer v;
  v.scope = v.sensitive = org::Scope::Everything();
  v.audited = false;
  return v;
}

StudentViewer StudentViewer::Masked(org::Scope scope) {
  StudentViewer v;
  v.scope = std::move(scope);
  return v;
}

namespace internal {
namespace {

// Where a student is enrolled, as the scope checks see an institution.
org::Institution PlaceOf(const Student& s) {
  org::Institution school;
  school.level = org::OrgLevel::kSchool;
  school.code = s.enrolment.school_code;
  school.province_code = s.enrolment.province_code;
  school.city_code = s.enrolment.city_code;
  school.county_code = s.enrolment.county_code;
  return school;
}

bool SeesWhole(const StudentViewer& viewer, const Student& s) {
  return !viewer.sensitive.IsNothing() && viewer.sensitive.Contains(PlaceOf(s));
}

// The entry for the students `viewer` sees whole, if it is audited and sees any. The
// request's path may hold a G number, so the entry names the students masked, the first as
// its target.
std::optional<audit::AuditEntry> DisclosureEntry(const Clock& clock, const StudentViewer& viewer,
                                                 std::span<const Student> students) {
  if (!viewer.audited) return std::nullopt;
  std::vector<std::string> shown;
  for (const Student& s : students)
    if (SeesWhole(viewer, s)) shown.push_back(MaskStudentNumberForRecords(s.student_number));
  if (shown.empty()) return std::nullopt;
  audit::AuditEntry e = viewer.reader;
  e.time = FormatUtc(clock.Now());
  e.action = std::string(kSensitiveReadAction);
  e.target = shown.front();
  if (shown.size() > 1) e.target += " (+" + std::to_string(shown.size() - 1) + ")";
  e.outcome = std::string(audit::kSuccess);
  e.details = nlohmann::json{{"method", viewer.method}, {"students", shown}}.dump();
  return e;
}

void Show(const StudentViewer& viewer, bool audited, std::span<Student> students) {
  for (Student& s : students) {
    s.personal_view = !SeesWhole(viewer, s) ? PersonalView::kMasked
                      : audited             ? PersonalView::kWhole
                                            : PersonalView::kMaskedUnaudited;
    if (s.personal_view != PersonalView::kWhole) MaskPersonal(s);
  }
}

}  // namespace

void ShowTo(db::Database& db, const Clock& clock, const StudentViewer& viewer,
            std::span<Student> students) {
  auto entry = DisclosureEntry(clock, viewer, students);
  const bool audited = !entry || audit::AsRefusal(*entry, audit::Append(db, *entry)).ok();
  Show(viewer, audited, students);
}

Status AuditInWrite(db::Connection& c, const Clock& clock, const StudentViewer& viewer,
                    std::span<const Student> students) {
  auto entry = DisclosureEntry(clock, viewer, students);
  return entry ? audit::AsRefusal(*entry, audit::Append(c, *entry)) : Status();
}

void ShowAudited(const StudentViewer& viewer, std::span<Student> students) {
  Show(viewer, true, students);
}

}  // namespace internal
}  // namespace nemis::registry
