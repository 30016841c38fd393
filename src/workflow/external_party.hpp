// A party of a case that is not on this node: the steps of another province's node in a
// cross-province transfer whose student that node holds (registry/transfer.hpp). It is named
// "node:PP" (PP the province's two digits); no institution of this node's tree is it, so no
// one here acts on its steps or finds them in an inbox: the exchange between nodes carries
// them (the data exchange issue), and until then the case waits there.
#pragma once

#include <string>
#include <string_view>

namespace nemis::workflow {

inline constexpr std::string_view kExternalPartyPrefix = "node:";

inline std::string ExternalNodeParty(std::string_view province2) {
  return std::string(kExternalPartyPrefix) + std::string(province2);
}

inline bool IsExternalParty(std::string_view party_code) {
  return party_code.starts_with(kExternalPartyPrefix);
}

}  // namespace nemis::workflow
