#include "api/oidc_protocol.hpp"

namespace nemis::api {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

http::Response HtmlPage(int status, std::string_view title, std::string_view body_html) {
  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body =
      "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
      HtmlEscape(title) +
      " - 国家教育管理信息系统</title><meta name=\"viewport\" content=\"width=device-width\"></head>"
      "<body style=\"font-family:sans-serif;max-width:28em;margin:4em auto\"><h1>" +
      HtmlEscape(title) + "</h1>" + std::string(body_html) + "</body></html>";
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("X-Frame-Options", "DENY");  // no clickjacking of the login form
  r.SetHeader("Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  return r;
}

http::QueryList FormFields(const http::Request& request) {
  http::QueryList fields;
  if (!http::ParseFormBody(request.body, &fields).ok()) fields.clear();
  return fields;
}

std::string Field(const http::QueryList& fields, std::string_view name) {
  for (const auto& [key, value] : fields)
    if (key == name) return value;
  return "";
}

std::string WithQuery(std::string uri, const http::QueryList& params) {
  char separator = uri.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [key, value] : params) {
    uri += separator + http::PercentEncode(key) + "=" + http::PercentEncode(value);
    separator = '&';
  }
  return uri;
}

}  // namespace nemis::api
