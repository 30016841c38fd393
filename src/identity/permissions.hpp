// Permissions are "module.action" names. A role is a named set of them; a grant
// gives a role at an institution, and the grant's subtree is where it applies.
#pragma once

#include <string_view>
#include <vector>

namespace nemis::identity::perm {

inline constexpr std::string_view kOrgView = "org.view";
inline constexpr std::string_view kOrgCreate = "org.create";
inline constexpr std::string_view kOrgUpdate = "org.update";
inline constexpr std::string_view kStudentView = "student.view";
inline constexpr std::string_view kStudentCreate = "student.create";
inline constexpr std::string_view kStudentUpdate = "student.update";
inline constexpr std::string_view kStudentApprove = "student.approve";
inline constexpr std::string_view kStudentExport = "student.export";
/// Seeing citizen ID numbers, G numbers, phones and addresses unmasked.
inline constexpr std::string_view kStudentViewSensitive = "student.view_sensitive";
inline constexpr std::string_view kStatsView = "stats.view";
inline constexpr std::string_view kStatsExport = "stats.export";
/// Submitting a unit's annual statistics (统计上报), signed with the holder's SM2 key.
inline constexpr std::string_view kStatsSubmit = "stats.submit";
/// Approving or returning the submissions of the units below (统计审核), signed likewise.
inline constexpr std::string_view kStatsApprove = "stats.approve";
inline constexpr std::string_view kImportCreate = "import.create";
/// Accounts, roles, grants, tokens and SSO clients (the security administrator).
inline constexpr std::string_view kAccountAdminister = "account.administer";
/// Approving another administrator's privileged account change (a grant of an administrator
/// role or of personal data, an administrator's password reset): dual control among the
/// three administrators (privileged_change.hpp).
inline constexpr std::string_view kAccountApprovePrivileged = "account.approve_privileged";
inline constexpr std::string_view kAuditView = "audit.view";
inline constexpr std::string_view kAuditExport = "audit.export";
/// Node operation: configuration, keys, backups (the system administrator).
inline constexpr std::string_view kSystemAdminister = "system.administer";

const std::vector<std::string_view>& All();

}  // namespace nemis::identity::perm
