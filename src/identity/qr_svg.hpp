// QR codes as SVG, for enrolling an authenticator app: the portal shows the otpauth URI
// as a scannable image (embedded as a data URI) without a client-side QR library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace nemis::identity {

/// The modules of the smallest QR symbol (error correction level M) holding `text`, UTF-8
/// kept as bytes: rows top to bottom, true = dark, no quiet zone.
Result<std::vector<std::vector<bool>>> QrModules(std::string_view text);

/// The symbol as a standalone SVG: black on white, 4-module quiet zone, viewBox in modules.
Result<std::string> QrSvg(std::string_view text);

}  // namespace nemis::identity
