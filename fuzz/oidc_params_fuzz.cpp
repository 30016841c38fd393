// The parameters of OpenID Connect requests (/oidc/authorize, /oidc/token, /oidc/logout):
// the input is a query string or form body as a client sends it, e.g.
// "response_type=code&client_id=...&redirect_uri=https%3A%2F%2F...&code_challenge=...".
// It is read with the provider's FormFields/Field (src/api/oidc_protocol.hpp) and its values
// go through the checks of src/identity (redirect URIs, PKCE). Checks:
// - an acceptable redirect URI is https (or http on the local host) without a fragment;
// - a S256 challenge is 43 base64url characters of 32 bytes; a verifier matches only its
//   own challenge, and a well-formed verifier always matches BASE64URL(SHA256(verifier));
// - the redirect back (WithQuery) carries code and state so that the client reads back
//   exactly the values sent; HtmlEscape leaves no markup characters.
#include <algorithm>
#include <string>

#include "api/oidc_protocol.hpp"
#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "fuzz_check.hpp"
#include "http/url.hpp"
#include "identity/oidc_clients.hpp"
#include "identity/oidc_grants.hpp"

namespace nemis::fuzz {
namespace {

void CheckRedirectUri(const std::string& uri, const std::string& code, const std::string& state) {
  if (!identity::IsAcceptableRedirectUri(uri)) return;
  FUZZ_CHECK(uri.find('#') == std::string::npos, "accepted a fragment");
  FUZZ_CHECK(uri.starts_with("https://") || uri.starts_with("http://127.0.0.1") ||
                 uri.starts_with("http://localhost"),
             "accepted a redirect URI that is neither https nor local");
  std::string back = api::WithQuery(uri, {{"code", code}, {"state", state}});
  size_t q = back.find('?');
  FUZZ_CHECK(q != std::string::npos, "redirect without a query");
  http::QueryList fields;
  if (!http::ParseFormBody(std::string_view(back).substr(q + 1), &fields).ok()) {
    // Only the registered URI's own query can be malformed, never what WithQuery adds.
    http::QueryList own;
    size_t own_q = uri.find('?');
    FUZZ_CHECK(own_q != std::string::npos &&
                   !http::ParseFormBody(std::string_view(uri).substr(own_q + 1), &own).ok(),
               "the redirect's added parameters do not parse");
    return;
  }
  FUZZ_CHECK(fields.size() >= 2, "code and state lost");
  FUZZ_CHECK(fields[fields.size() - 2] == std::make_pair(std::string("code"), code) &&
                 fields.back() == std::make_pair(std::string("state"), state),
             "code or state changed on the way back");
}

void CheckPkce(const std::string& verifier, const std::string& challenge) {
  if (identity::IsS256Challenge(challenge)) {
    auto bytes = crypto::Base64UrlDecode(challenge);
    FUZZ_CHECK(challenge.size() == 43 && bytes.ok() && bytes->size() == 32, "S256 challenge shape");
  }
  std::string own = crypto::Base64UrlEncode(crypto::Sha256(verifier));
  if (identity::VerifierMatches(verifier, challenge))
    FUZZ_CHECK(challenge == own, "a verifier matched another challenge");
  bool well_formed = verifier.size() >= 43 && verifier.size() <= 128 &&
                     std::all_of(verifier.begin(), verifier.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
                              c == '_' || c == '~';
                     });
  FUZZ_CHECK(identity::VerifierMatches(verifier, own) == well_formed, "verifier shape rule");
  FUZZ_CHECK(identity::IsS256Challenge(own), "a SHA-256 challenge is not S256-shaped");
}

void CheckHtml(const std::string& text) {
  std::string html = api::HtmlEscape(text);
  FUZZ_CHECK(html.find_first_of("<>\"'") == std::string::npos, "markup left in escaped text");
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  http::Request req;
  req.body = std::string(fuzz::AsText(data, size));
  http::QueryList form = api::FormFields(req);
  auto field = [&](std::string_view name) { return api::Field(form, name); };
  fuzz::CheckRedirectUri(field("redirect_uri"), field("code"), field("state"));
  fuzz::CheckRedirectUri(field("post_logout_redirect_uri"), "", field("state"));
  fuzz::CheckPkce(field("code_verifier"), field("code_challenge"));
  fuzz::CheckHtml(field("state"));
  return 0;
}
