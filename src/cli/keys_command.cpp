// nemis keys rotate: a new generation of field keys (security.field_key_file), then every
// value sealed with an older one sealed again: the students' personal data, the values of
// their corrections, the second-factor secrets and the OIDC signing keys. Run it with the
// node's server stopped: a server holds the keys it started with and could not open what the
// new generation seals.
#include <iostream>

#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "base/log.hpp"
#include "cli/cli_common.hpp"
#include "crypto/field_key_store.hpp"
#include "identity/mfa_store.hpp"
#include "identity/oidc_keys.hpp"
#include "registry/personal_reseal.hpp"

namespace nemis::cli {
namespace {

// Who did what, in the audit log: a rotation is a security administrator's act.
Status AuditRotation(db::Database& db, uint32_t version, int64_t students, int64_t secrets) {
  return AppendCliAudit(
      db, CliAuditEntry("nemis keys rotate", "keys.rotate", "v" + std::to_string(version),
                        "{\"students\":" + std::to_string(students) +
                            ",\"secrets\":" + std::to_string(secrets) + "}"));
}

int Rotate(const CommonFlags& flags) {
  auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  std::string path = config->GetString("security.field_key_file");
  auto cipher = crypto::RotateFieldKeys(path);
  if (!cipher.ok())
    return std::cerr << "无法轮换字段密钥: " << cipher.error().message << "\n", kExitFailed;
  // The new keys are in the file: from here on, an interrupted run is finished by running it again.
  auto students = registry::ResealPersonalData(*db, *cipher);
  if (!students.ok())
    return std::cerr << "重新加密学生个人信息失败: " << students.error().message << "\n",
           kExitFailed;
  auto corrections = registry::ResealCorrections(*db, *cipher);
  if (!corrections.ok())
    return std::cerr << "重新加密学籍更正记录失败: " << corrections.error().message << "\n",
           kExitFailed;
  auto secrets = identity::MfaStore(*db, *cipher).ResealSecrets();
  if (!secrets.ok())
    return std::cerr << "重新加密动态口令密钥失败: " << secrets.error().message << "\n",
           kExitFailed;
  auto signing_keys = identity::OidcKeyStore(*db, *cipher).ResealAll();
  if (!signing_keys.ok())
    return std::cerr << "重新加密单点登录签名密钥失败: " << signing_keys.error().message << "\n",
           kExitFailed;
  if (Status audited = AuditRotation(*db, cipher->CurrentVersion(), *students, *secrets);
      !audited.ok())
    return std::cerr << audited.error().message << "\n", kExitFailed;
  log::Info("field_keys_rotated", {{"version", static_cast<int64_t>(cipher->CurrentVersion())},
                                   {"students", *students},
                                   {"corrections", *corrections},
                                   {"secrets", *secrets}});
  std::cout << "字段密钥已轮换为 v" << cipher->CurrentVersion() << "；已重新加密 " << *students
            << " 名学生的个人信息和 " << *secrets << " 个动态口令密钥。旧密钥仍保留在 " << path
            << "，以便打开备份中的旧数据。\n";
  return 0;
}

}  // namespace

void AddKeysCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CommonFlags>();
  CLI::App* keys = app.add_subcommand("keys", "Field keys (security.field_key_file)");
  keys->require_subcommand(1);
  CLI::App* rotate = keys->add_subcommand(
      "rotate",
      "Make a new key generation current and re-encrypt all sealed data with it (stop the server first)");
  AddCommonFlags(*rotate, *flags);
  rotate->callback([flags, &exit_code] { exit_code = Rotate(*flags); });
}

}  // namespace nemis::cli
