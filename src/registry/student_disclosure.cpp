#include "registry/student_disclosure.hpp"

#include <nlohmann/json.hpp>
#include <vector>

#include "audit/audit_log.hpp"
#include "base/log.hpp"
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

// One entry for every student shown whole. The request's path may hold a G number, so the
// entry names the students masked, the first as its target.
audit::AuditEntry DisclosureEntry(const Clock& clock, const StudentViewer& viewer,
                                  const std::vector<std::string>& shown) {
  audit::AuditEntry e = viewer.reader;
  e.time = FormatUtc(clock.Now());
  e.action = std::string(kSensitiveReadAction);
  e.target = shown.front();
  if (shown.size() > 1) e.target += " (+" + std::to_string(shown.size() - 1) + ")";
  e.outcome = std::string(audit::kSuccess);
  e.details = nlohmann::json{{"method", viewer.method}, {"students", shown}}.dump();
  return e;
}

bool Audit(db::Database& db, const Clock& clock, const StudentViewer& viewer,
           const std::vector<std::string>& shown) {
  if (shown.empty() || !viewer.audited) return true;
  audit::AuditEntry entry = DisclosureEntry(clock, viewer, shown);
  Status appended = audit::Append(db, entry);
  if (appended.ok()) return true;
  // The code says why (e.g. "store_unavailable"); the message may quote the entry.
  log::Error(
      "audit_append_failed",
      {{"action", entry.action}, {"requestId", entry.request_id}, {"code", appended.error().code}});
  return false;
}

}  // namespace

void ShowTo(db::Database& db, const Clock& clock, const StudentViewer& viewer,
            std::span<Student> students) {
  std::vector<bool> whole(students.size());
  std::vector<std::string> shown;
  for (size_t i = 0; i < students.size(); ++i) {
    whole[i] = !viewer.sensitive.IsNothing() && viewer.sensitive.Contains(PlaceOf(students[i]));
    if (whole[i]) shown.push_back(MaskStudentNumberForRecords(students[i].student_number));
  }
  const bool audited = Audit(db, clock, viewer, shown);
  for (size_t i = 0; i < students.size(); ++i) {
    Student& s = students[i];
    s.personal_view = !whole[i] ? PersonalView::kMasked
                      : audited ? PersonalView::kWhole
                                : PersonalView::kMaskedUnaudited;
    if (s.personal_view != PersonalView::kWhole) MaskPersonal(s);
  }
}

}  // namespace internal
}  // namespace nemis::registry
