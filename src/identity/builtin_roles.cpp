#include "identity/builtin_roles.hpp"

#include <algorithm>

#include "identity/permissions.hpp"

namespace nemis::identity {
namespace perm {

const std::vector<std::string_view>& All() {
  static const std::vector<std::string_view> all = {kOrgView,
                                                    kOrgCreate,
                                                    kOrgUpdate,
                                                    kStudentView,
                                                    kStudentCreate,
                                                    kStudentUpdate,
                                                    kStudentApprove,
                                                    kStudentExport,
                                                    kStudentViewSensitive,
                                                    kStatsView,
                                                    kStatsExport,
                                                    kStatsSubmit,
                                                    kStatsApprove,
                                                    kImportCreate,
                                                    kAccountAdminister,
                                                    kAuditView,
                                                    kAuditExport,
                                                    kSystemAdminister,
                                                    kAccountApprovePrivileged};
  return all;
}

}  // namespace perm
namespace {

using org::OrgLevel;
constexpr std::string_view kFindRole = "SELECT id FROM role WHERE name = $1";
constexpr std::string_view kInsertRole =
    "INSERT INTO role (name, title, builtin, mfa_required, created_at) VALUES ($1, $2, 1, $3, $4) RETURNING id";
constexpr std::string_view kUpdateRole =
    "UPDATE role SET title = $2, mfa_required = $3 WHERE id = $1";
constexpr std::string_view kClearPermissions = "DELETE FROM role_permission WHERE role_id = $1";
constexpr std::string_view kAddPermission =
    "INSERT INTO role_permission (role_id, permission) VALUES ($1, $2)";

// What a registry officer of an education bureau does within its area. It may
// register students too: small rural schools and teaching points (教学点) often have
// no registry clerk of their own, and the county registers for them.
std::vector<std::string_view> BureauRegistry() {
  using namespace perm;
  return {kOrgView,        kOrgCreate,     kOrgUpdate, kStudentView, kStudentCreate, kStudentUpdate,
          kStudentApprove, kStudentExport, kStatsView, kStatsExport, kImportCreate};
}

}  // namespace

bool RoleSpec::AllowsLevel(OrgLevel level) const {
  return std::find(levels.begin(), levels.end(), level) != levels.end();
}

const std::vector<RoleSpec>& BuiltinRoles() {
  using namespace perm;
  static const std::vector<RoleSpec> roles = {
      {"school_registrar",
       "学校学籍管理员",
       {OrgLevel::kSchool},
       false,
       {kOrgView, kStudentView, kStudentCreate, kStudentUpdate, kStudentExport,
        kStudentViewSensitive, kStatsView, kImportCreate}},
      {"school_head",
       "校长",
       {OrgLevel::kSchool},
       false,
       {kOrgView, kStudentView, kStudentApprove, kStatsView, kStatsSubmit}},
      {"county_registrar", "区县学籍主管", {OrgLevel::kCounty}, false, BureauRegistry()},
      {"city_registrar", "地市学籍主管", {OrgLevel::kCity}, false, BureauRegistry()},
      {"province_registrar", "省级学籍主管", {OrgLevel::kProvince}, false, BureauRegistry()},
      {"national_registrar", "国家学籍主管", {OrgLevel::kNational}, false, BureauRegistry()},
      {"statistician",
       "统计员",
       {OrgLevel::kNational, OrgLevel::kProvince, OrgLevel::kCity, OrgLevel::kCounty,
        OrgLevel::kSchool},
       false,
       {kOrgView, kStatsView, kStatsExport, kStatsSubmit, kStatsApprove}},
      {"system_admin",
       "系统管理员",
       {OrgLevel::kNational, OrgLevel::kProvince},
       true,
       {kSystemAdminister, kAccountApprovePrivileged}},
      {"security_admin",
       "安全管理员",
       {OrgLevel::kNational, OrgLevel::kProvince},
       true,
       {kAccountAdminister, kAccountApprovePrivileged}},
      {"audit_admin",
       "审计管理员",
       {OrgLevel::kNational, OrgLevel::kProvince},
       true,
       {kAuditView, kAuditExport, kAccountApprovePrivileged}},
  };
  return roles;
}

const RoleSpec* FindBuiltinRole(std::string_view name) {
  for (const auto& r : BuiltinRoles())
    if (r.name == name) return &r;
  return nullptr;
}

Status SeedBuiltinRoles(db::Connection& c, std::string_view now) {
  for (const RoleSpec& spec : BuiltinRoles()) {
    int64_t mfa = spec.mfa_required ? 1 : 0;
    NEMIS_ASSIGN_OR_RETURN(auto found, c.Query(kFindRole, {spec.name}));
    int64_t id = 0;
    if (found.empty()) {
      NEMIS_ASSIGN_OR_RETURN(auto inserted,
                             c.Query(kInsertRole, {spec.name, spec.title, mfa, now}));
      id = inserted.rows.at(0).Int(0);
    } else {
      id = found.rows.at(0).Int(0);
      NEMIS_TRY(c.Query(kUpdateRole, {id, spec.title, mfa}));
    }
    NEMIS_TRY(c.Query(kClearPermissions, {id}));
    for (auto p : spec.permissions) NEMIS_TRY(c.Query(kAddPermission, {id, p}));
  }
  return {};
}

}  // namespace nemis::identity
