#include "portal/static_files.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace nemis::portal {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLower(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() && std::equal(text.begin(), text.end(), lower.begin(),
                                                   [](char a, char b) { return Lower(a) == b; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsRefusedSegment(std::string_view segment) {
  if (segment.front() == '.') return true;  // "..", and hidden files such as .env
  return std::any_of(segment.begin(), segment.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return c == '\\' || u < 0x20 || u == 0x7F;
  });
}

// RFC 9110 qvalue: "0", "1", "0.xyz" or "1.000"; nullopt when malformed.
std::optional<double> ParseQ(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  if (text.size() > 1 && text[1] != '.') return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 1) return std::nullopt;
  return value;
}

// One list member, "gzip;q=0.5": the coding and its weight (1 without q; 0 if malformed).
std::pair<std::string_view, double> ParseMember(std::string_view member) {
  size_t semi = member.find(';');
  std::string_view coding = Trim(member.substr(0, semi));
  double q = 1;
  while (semi != std::string_view::npos) {
    member.remove_prefix(semi + 1);
    semi = member.find(';');
    std::string_view param = Trim(member.substr(0, semi));
    if (param.size() >= 2 && Lower(param[0]) == 'q' && param[1] == '=')
      q = ParseQ(Trim(param.substr(2))).value_or(0);
  }
  return {coding, q};
}

struct TypeByExtension {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<TypeByExtension, 19> kTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"map", "application/json; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"webp", "image/webp"},
    {"gif", "image/gif"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"webmanifest", "application/manifest+json"},
}};

}  // namespace

std::optional<std::string> NormalizePath(std::string_view url_path) {
  std::string out;
  while (!url_path.empty()) {
    size_t slash = url_path.find('/');
    std::string_view segment = url_path.substr(0, slash);
    url_path = slash == std::string_view::npos ? std::string_view() : url_path.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (IsRefusedSegment(segment)) return std::nullopt;
    if (!out.empty()) out += '/';
    out.append(segment);
  }
  return out;
}

bool IsAsset(std::string_view relative_path) {
  return relative_path == "assets" || relative_path.rfind("assets/", 0) == 0;
}

AcceptedCodings ParseAcceptEncoding(std::optional<std::string_view> header) {
  AcceptedCodings out;
  if (!header) return out;
  std::optional<double> brotli, gzip, identity, any;
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    auto [coding, q] = ParseMember(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (EqualsLower(coding, "br")) {
      brotli = q;
    } else if (EqualsLower(coding, "gzip") || EqualsLower(coding, "x-gzip")) {
      gzip = q;
    } else if (EqualsLower(coding, "identity")) {
      identity = q;
    } else if (coding == "*") {
      any = q;
    }
  }
  out.brotli = brotli.value_or(any.value_or(0));
  out.gzip = gzip.value_or(any.value_or(0));
  out.identity = identity.value_or(any.value_or(1) > 0 ? 1 : 0);
  return out;
}

std::vector<Coding> PreferredCodings(const AcceptedCodings& accepted) {
  std::vector<std::pair<double, Coding>> ranked = {{accepted.brotli, Coding::kBrotli},
                                                   {accepted.gzip, Coding::kGzip},
                                                   {accepted.identity, Coding::kIdentity}};
  // Stable: on equal weights the smaller copy (listed first) wins.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Coding> out;
  for (const auto& [q, coding] : ranked) {
    if (q > 0) out.push_back(coding);
  }
  return out;
}

std::string_view CodingSuffix(Coding coding) {
  switch (coding) {
    case Coding::kBrotli:
      return ".br";
    case Coding::kGzip:
      return ".gz";
    case Coding::kIdentity:
      break;
  }
  return "";
}

std::string_view CodingName(Coding coding) {
  switch (coding) {
    case Coding::kBrotli:
      return "br";
    case Coding::kGzip:
      return "gzip";
    case Coding::kIdentity:
      break;
  }
  return "identity";
}

std::string_view ContentType(std::string_view file_name) {
  size_t slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string_view extension = file_name.substr(dot + 1);
  for (const auto& t : kTypes) {
    if (EqualsLower(extension, t.extension)) return t.type;
  }
  return "application/octet-stream";
}

std::string_view CacheControl(std::string_view relative_path) {
  return IsAsset(relative_path) ? kImmutable : kNoCache;
}

std::string MakeETag(uint64_t size, int64_t mtime_ns, uint64_t inode, Coding coding) {
  std::array<char, 96> buffer{};
  int n = std::snprintf(
      buffer.data(), buffer.size(), "\"%llx-%llx-%llx", static_cast<unsigned long long>(size),
      static_cast<unsigned long long>(mtime_ns), static_cast<unsigned long long>(inode));
  std::string tag(buffer.data(), static_cast<size_t>(std::max(n, 0)));
  if (coding != Coding::kIdentity) tag.append("-").append(CodingName(coding));
  return tag + "\"";
}

bool ETagMatches(std::string_view if_none_match, std::string_view etag) {
  if (Trim(if_none_match) == "*") return true;
  auto strip = [](std::string_view tag) {
    tag = Trim(tag);
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
    return tag;
  };
  std::string_view wanted = strip(etag);
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    if (strip(if_none_match.substr(0, comma)) == wanted) return true;
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
  }
  return false;
}

}  // namespace nemis::portal
