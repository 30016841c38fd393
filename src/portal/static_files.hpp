// The portal's static-file rules, kept free of I/O so that they are tested alone: which
// file a request path names, which precompressed copy a client accepts, and the headers
// each file gets (type, caching, entity tag, the security policy).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::portal {

/// The portal's Content-Security-Policy: no inline script or style, nothing from another
/// origin. Element Plus and ECharts position things through the CSSOM (element.style),
/// which style-src does not govern, so no 'unsafe-inline' is needed (the browser tests
/// fail on any CSP violation).
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Vite's output: file names under assets/ carry a hash of their content.
inline constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
/// Everything else (index.html first) is revalidated on every use.
inline constexpr std::string_view kNoCache = "no-cache";

/// The file a percent-decoded URL path names, relative to the portal's root, in the form
/// "assets/app.js" ("" for "/"). Empty and "." segments are dropped; nullopt (refused)
/// for "..", a segment starting with '.' (hidden files), a backslash or a control
/// character.
std::optional<std::string> NormalizePath(std::string_view url_path);

/// Whether a normalised path is under assets/ (hashed names: a missing one is a 404,
/// never the single-page application's index.html).
bool IsAsset(std::string_view relative_path);

enum class Coding { kIdentity, kGzip, kBrotli };

/// The q-values an Accept-Encoding header gives the codings the portal has (RFC 9110
/// §12.5.3): "*" stands for every coding not named; identity is acceptable unless
/// refused ("identity;q=0", or "*;q=0" without naming it). No header: identity only.
struct AcceptedCodings {
  double brotli = 0;
  double gzip = 0;
  double identity = 1;
};
AcceptedCodings ParseAcceptEncoding(std::optional<std::string_view> header);

/// The codings to try, most preferred first (higher q; equal q: br, gzip, identity),
/// leaving out those refused (q=0). Empty: nothing acceptable (406).
std::vector<Coding> PreferredCodings(const AcceptedCodings& accepted);

/// ".br", ".gz" or "" (the suffix of the precompressed copy); the Content-Encoding value.
std::string_view CodingSuffix(Coding coding);
std::string_view CodingName(Coding coding);

/// Content-Type by extension (case-insensitive); text types with charset=utf-8.
std::string_view ContentType(std::string_view file_name);

/// Cache-Control for a normalised path: kImmutable under assets/, kNoCache otherwise.
std::string_view CacheControl(std::string_view relative_path);

/// A strong entity tag from the file's identity and the coding sent, e.g.
/// "\"1f4-17c2b3a4d5e6f700-br\"": a rebuild changes it, each coding has its own.
std::string MakeETag(uint64_t size, int64_t mtime_ns, uint64_t inode, Coding coding);

/// If-None-Match: "*" or a list of tags compared weakly (W/ prefixes ignored).
bool ETagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace nemis::portal
