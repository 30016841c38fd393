#include "api/personal_disclosure.hpp"

#include <vector>

#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"
#include "registry/personal_mask.hpp"

namespace nemis::api {
namespace {

// Where a student is enrolled, as the scope checks see an institution.
org::Institution PlaceOf(const registry::Student& s) {
  org::Institution school;
  school.level = org::OrgLevel::kSchool;
  school.code = s.enrolment.school_code;
  school.province_code = s.enrolment.province_code;
  school.city_code = s.enrolment.city_code;
  school.county_code = s.enrolment.county_code;
  return school;
}

}  // namespace

bool DiscloseTo(ApiContext& ctx, const http::Request& request, const Caller& caller,
                std::span<registry::Student> students) {
  org::Scope sensitive;
  if (caller.principal)
    sensitive = caller.principal->ScopeFor(identity::perm::kStudentViewSensitive);
  std::vector<bool> whole(students.size());
  Json shown = Json::array();
  for (size_t i = 0; i < students.size(); ++i) {
    whole[i] = !sensitive.IsNothing() && sensitive.Contains(PlaceOf(students[i]));
    if (whole[i])
      shown.push_back(registry::MaskStudentNumberForRecords(students[i].student_number));
  }
  bool audited = true;
  if (!shown.empty()) {
    // The request's path may hold a G number: the target names the students masked.
    std::string target = shown.front().get<std::string>();
    if (shown.size() > 1) target += " (+" + std::to_string(shown.size() - 1) + ")";
    Json details = {{"method", request.method}, {"students", shown}};
    audited =
        RecordAudit(ctx, request, &caller,
                    {std::string(kSensitiveReadAction), target, audit::kSuccess, details.dump()})
            .ok();
  }
  for (size_t i = 0; i < students.size(); ++i)
    if (!whole[i] || !audited) registry::MaskPersonal(students[i]);
  return audited;
}

}  // namespace nemis::api
