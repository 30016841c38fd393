// nemis oidc: the OpenID Connect provider's administration from the command line —
// registering a client (the first one, or where no security administrator is bound yet)
// and rotating the signing key.
#include <iostream>

#include "cli/cli_common.hpp"
#include "identity/oidc_clients.hpp"
#include "identity/oidc_keys.hpp"

namespace nemis::cli {
namespace {

struct ClientFlags {
  CommonFlags common;
  std::string name;
  std::vector<std::string> redirect_uris, post_logout_uris;
  bool is_public = false;
};

int AddClient(const ClientFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  identity::OidcClientStore clients(*db);
  auto registered =
      clients.Register({flags.name, flags.redirect_uris, flags.post_logout_uris, !flags.is_public},
                       "(nemis oidc client add)");
  if (!registered.ok()) {
    std::cerr << "无法登记应用: " << registered.error().message << "\n";
    for (const auto& f : registered.error().fields)
      std::cerr << "  " << f.field << ": " << f.message << "\n";
    return kExitFailed;
  }
  std::cout << "client_id: " << registered->client.client_id << "\n";
  if (!registered->secret.empty())
    std::cout << "client_secret（只显示这一次）: " << registered->secret << "\n";
  return 0;
}

int RotateKey(const CommonFlags& flags) {
  auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto cipher = LoadFieldCipher(*config);
  if (!cipher) return kExitFailed;
  auto kid = identity::OidcKeyStore(*db, *cipher).Rotate();
  if (!kid.ok())
    return std::cerr << "无法轮换签名密钥: " << kid.error().message << "\n", kExitFailed;
  std::cout << "新的签名密钥 " << *kid
            << " 已启用；上一个密钥仍在 JWKS 中发布，其签发的令牌到期前仍可验证。\n";
  return 0;
}

}  // namespace

void AddOidcCommand(CLI::App& app, int& exit_code) {
  CLI::App* oidc = app.add_subcommand("oidc", "The OpenID Connect provider");
  oidc->require_subcommand(1);
  auto client = std::make_shared<ClientFlags>();
  CLI::App* add =
      oidc->add_subcommand("client", "Clients")
          ->require_subcommand(1)
          ->add_subcommand("add", "Register a client; prints its client_id (and its secret, once)");
  AddCommonFlags(*add, client->common);
  add->add_option("--name", client->name, "The application's name")->required();
  add->add_option("--redirect-uri", client->redirect_uris, "A redirect URI (repeatable)")
      ->required();
  add->add_option("--post-logout-uri", client->post_logout_uris,
                  "A post-logout redirect URI (repeatable)");
  add->add_flag("--public", client->is_public, "A public client (no secret; PKCE alone)");
  add->callback([client, &exit_code] { exit_code = AddClient(*client); });
  auto rotate_flags = std::make_shared<CommonFlags>();
  CLI::App* rotate = oidc->add_subcommand(
      "rotate-key", "Make a new signing key active (the previous one stays published)");
  AddCommonFlags(*rotate, *rotate_flags);
  rotate->callback([rotate_flags, &exit_code] { exit_code = RotateKey(*rotate_flags); });
}

}  // namespace nemis::cli
