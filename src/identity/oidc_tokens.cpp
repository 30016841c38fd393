#include "identity/oidc_tokens.hpp"

#include "crypto/random.hpp"
#include "identity/jwt.hpp"
#include "identity/principal.hpp"
#include "org/org_store.hpp"

namespace nemis::identity {

using nlohmann::json;

json OidcIdentity::Claims() const {
  return {{"sub", login},    {"preferred_username", login}, {"name", display_name},
          {"org", org_code}, {"org_level", org_level},      {"roles", roles}};
}

Result<OidcIdentity> LoadOidcIdentity(db::Connection& c, int64_t account_id) {
  NEMIS_ASSIGN_OR_RETURN(auto principal, LoadPrincipal(c, account_id));
  if (!principal) return Error::NotFound("账号不存在或已停用");
  OidcIdentity who{principal->login, principal->display_name, principal->org_code, "",
                   json::array()};
  NEMIS_ASSIGN_OR_RETURN(auto home, org::OrgStore::Load(c, principal->org_code));
  if (home) who.org_level = std::string(org::OrgLevelId(home->level));
  for (const Grant& g : principal->grants)
    who.roles.push_back(
        {{"role", g.role}, {"org", g.where.code}, {"level", org::OrgLevelId(g.where.level)}});
  return who;
}

OidcTokenSet MintTokens(const OidcSigningKey& key, const OidcTokenSettings& settings,
                        const OidcIdentity& who, const TokenGrant& grant, std::string refresh_token,
                        int64_t now) {
  json id = who.Claims();
  id.update({{"iss", settings.issuer},
             {"aud", grant.client_id},
             {"azp", grant.client_id},
             {"iat", now},
             {"exp", now + settings.id_seconds},
             {"auth_time", grant.auth_time}});
  if (grant.nonce) id["nonce"] = *grant.nonce;
  json access = {{"iss", settings.issuer},
                 {"sub", who.login},
                 {"aud", settings.issuer},
                 {"client_id", grant.client_id},
                 {"scope", grant.scope},
                 {"iat", now},
                 {"exp", now + settings.access_seconds},
                 {"jti", crypto::RandomToken(16)}};
  OidcTokenSet out;
  out.id_token = SignJwt(id, key.key, key.kid);
  out.access_token = SignJwt(access, key.key, key.kid, "at+jwt");
  out.refresh_token = std::move(refresh_token);
  out.scope = grant.scope;
  out.expires_in = settings.access_seconds;
  return out;
}

}  // namespace nemis::identity
