// The OIDC provider's login page: where /oidc/authorize sends a browser that is not
// signed in. A plain HTML form (no script) posting the login, the password and, for an
// account with an authenticator, its code; it signs in like the API's login (sign_in.hpp)
// and returns the browser to the authorization request it came from. The form carries a
// token that must match a cookie set with it, so that no other site can post it.
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "api/oidc_protocol.hpp"
#include "api/sign_in.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kFormCookie = "nemis_login_form";

// Only back to an authorization request of this node: never an open redirect.
bool IsAuthorizeReturn(std::string_view target) { return target.starts_with("/oidc/authorize?"); }

http::Response Form(int status, const std::string& return_to, const std::string& login,
                    std::string_view error) {
  std::string token = crypto::RandomToken(24);
  std::string html;
  if (!error.empty())
    html += "<p role=\"alert\" style=\"color:#b00\">" + HtmlEscape(error) + "</p>";
  html +=
      "<form method=\"post\" action=\"/oidc/login\">"
      "<input type=\"hidden\" name=\"return\" value=\"" +
      HtmlEscape(return_to) +
      "\">"
      "<input type=\"hidden\" name=\"form_token\" value=\"" +
      token +
      "\">"
      "<p><label>登录名<br><input name=\"login\" autocomplete=\"username\" required value=\"" +
      HtmlEscape(login) +
      "\"></label></p>"
      "<p><label>密码<br><input name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
      "</label></p>"
      "<p><label>动态口令（已绑定身份验证器时填写）<br><input name=\"otp\" inputmode=\"numeric\" "
      "autocomplete=\"one-time-code\"></label></p>"
      "<p><button type=\"submit\">登录</button></p></form>";
  http::Response r = HtmlPage(status, "登录", html);
  r.headers.emplace_back("Set-Cookie",
                         std::string(kFormCookie) + "=" + token +
                             "; Path=/oidc/login; HttpOnly; SameSite=Strict; Max-Age=1800");
  return r;
}

http::Response ShowForm(const http::Request& req) {
  std::string return_to(req.Query("return").value_or(""));
  if (!IsAuthorizeReturn(return_to))
    return HtmlPage(400, "无法登录", "<p>请从要使用的应用发起登录。</p>");
  return Form(200, return_to, "", "");
}

http::Response Submit(ApiContext& ctx, http::Request& req) {
  http::QueryList form = FormFields(req);
  std::string return_to = Field(form, "return"), login = Field(form, "login");
  if (!IsAuthorizeReturn(return_to))
    return HtmlPage(400, "无法登录", "<p>请从要使用的应用发起登录。</p>");
  auto expected = CookieValue(req, kFormCookie);
  if (!expected || expected->empty() ||
      !crypto::ConstantTimeEquals(*expected, Field(form, "form_token")))
    return Form(400, return_to, login, "登录页面已过期，请重新输入");
  auto signed_in = SignIn(ctx, req, login, Field(form, "password"), Field(form, "otp"));
  if (!signed_in.ok()) {
    int status = signed_in.error().kind == ErrorKind::kThrottled ? 429 : 401;
    return Form(status, return_to, login, signed_in.error().message);
  }
  http::Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.SetHeader("Location", return_to);
  r.SetHeader("Cache-Control", "no-store");
  SetSessionCookies(ctx, r, signed_in->session.token, false);
  return r;
}

}  // namespace

void AddOidcLoginRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/oidc/login", Access::Public(),
              [](http::Request& req, const Caller&) { return ShowForm(req); });
  AddApiRoute(router, ctx, "POST", "/oidc/login", Access::Public(),
              [&ctx](http::Request& req, const Caller&) { return Submit(ctx, req); });
}

}  // namespace nemis::api
