// Finding personal data in text the server wrote (logs): citizen ID numbers — 17
// digits and a check character that satisfies GB 11643 — alone or inside a G student
// number. Used on every server's and CLI's log of the integration run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nemis::it {

/// Every valid citizen ID number found in `text` (an 18-character run of digits and
/// a final X not touching other digits, with a correct check character).
std::vector<std::string> FindIdNumbers(std::string_view text);

}  // namespace nemis::it
