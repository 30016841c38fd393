#include "identity/oidc_clients.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "identity/credentials.hpp"

namespace nemis::identity {
namespace {

using nlohmann::json;

constexpr std::string_view kColumns =
    "SELECT client_id, name, secret_hash IS NOT NULL, redirect_uris, post_logout_redirect_uris, status, created_at "
    "FROM oidc_client ";
constexpr std::string_view kInsert =
    "INSERT INTO oidc_client (client_id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSecretHash =
    "SELECT secret_hash FROM oidc_client WHERE client_id = $1 AND status = 'active'";
constexpr std::string_view kDisable =
    "UPDATE oidc_client SET status = 'disabled' WHERE client_id = $1";
constexpr size_t kMaxUris = 10;

std::vector<std::string> Strings(const std::string& json_array) {
  std::vector<std::string> out;
  json parsed = json::parse(json_array, nullptr, false);
  if (parsed.is_array())
    for (const auto& v : parsed)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

OidcClient FromRow(const db::Row& r) {
  return {r.Text(0),          r.Text(1),          r.Int(2) != 0,
          Strings(r.Text(3)), Strings(r.Text(4)), r.Text(5) == "active",
          r.Text(6)};
}

void CheckUris(const std::vector<std::string>& uris, const char* field, bool required,
               std::vector<FieldError>& errors) {
  if (required && uris.empty()) errors.push_back({field, "required", "请至少登记一个回调地址"});
  if (uris.size() > kMaxUris) errors.push_back({field, "too_many", "最多登记 10 个地址"});
  for (const auto& uri : uris)
    if (!IsAcceptableRedirectUri(uri))
      errors.push_back(
          {field, "bad_uri",
           "地址须为 https 地址（本机调试可用 http://127.0.0.1 或 http://localhost），且不含 #：" +
               uri});
}

}  // namespace

bool IsAcceptableRedirectUri(std::string_view uri) {
  if (uri.find('#') != std::string_view::npos || uri.size() > 2000) return false;
  if (uri.starts_with("https://")) return uri.size() > 8;
  for (std::string_view local : {"http://127.0.0.1", "http://localhost"})
    if (uri.starts_with(local) &&
        (uri.size() == local.size() || uri[local.size()] == ':' || uri[local.size()] == '/'))
      return true;
  return false;
}

Result<RegisteredClient> OidcClientStore::Register(const OidcClientInput& in,
                                                   std::string_view created_by,
                                                   db::WriteAttachment* attachment) {
  std::vector<FieldError> errors;
  if (in.name.empty() || in.name.size() > 200)
    errors.push_back({"name", "required", "请填写应用名称（不超过 200 字节）"});
  CheckUris(in.redirect_uris, "redirectUris", true, errors);
  CheckUris(in.post_logout_redirect_uris, "postLogoutRedirectUris", false, errors);
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  RegisteredClient out;
  out.client = {"nemis-client-" + crypto::RandomToken(12),
                in.name,
                in.confidential,
                in.redirect_uris,
                in.post_logout_redirect_uris,
                true,
                FormatUtc(clock_.Now())};
  if (in.confidential) out.secret = crypto::RandomToken(32);
  NEMIS_TRY(db_.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_TRY(c.Query(kInsert,
                          {out.client.client_id, out.client.name,
                           in.confidential ? db::Param(SecretHash(out.secret)) : db::Param(),
                           json(in.redirect_uris).dump(), json(in.post_logout_redirect_uris).dump(),
                           created_by, out.client.created_at}));
        return {};
      },
      attachment));
  return out;
}

Result<std::optional<OidcClient>> OidcClientStore::Find(std::string_view client_id) {
  return db_.Read<std::optional<OidcClient>>(
      [&](db::Connection& c) -> Result<std::optional<OidcClient>> {
        NEMIS_ASSIGN_OR_RETURN(
            auto rs, c.Query(std::string(kColumns) + "WHERE client_id = $1", {client_id}));
        if (rs.empty()) return std::optional<OidcClient>();
        return std::optional<OidcClient>(FromRow(rs.rows[0]));
      });
}

Result<std::vector<OidcClient>> OidcClientStore::List() {
  return db_.Read<std::vector<OidcClient>>(
      [&](db::Connection& c) -> Result<std::vector<OidcClient>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs,
                               c.Query(std::string(kColumns) + "ORDER BY created_at, client_id"));
        std::vector<OidcClient> out;
        for (const auto& row : rs.rows) out.push_back(FromRow(row));
        return out;
      });
}

Status OidcClientStore::Disable(std::string_view client_id, db::WriteAttachment* attachment) {
  return db_.WithWriter(
      [&](db::Connection& c) -> Status {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kDisable, {client_id}));
        if (rs.affected != 1) return Error::NotFound("应用不存在");
        return {};
      },
      attachment);
}

Result<bool> OidcClientStore::CheckSecret(std::string_view client_id, std::string_view secret) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, db_.Read<db::ResultSet>([&](db::Connection& c) {
    return c.Query(kSecretHash, {client_id});
  }));
  if (rs.empty() || rs.rows[0].IsNull(0)) return false;
  return crypto::ConstantTimeEquals(SecretHash(secret), rs.rows[0].Text(0));
}

}  // namespace nemis::identity
