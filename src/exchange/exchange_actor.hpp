// Who acts when the exchange itself opens, closes or decides a case on this node: the node
// ("system:exchange"), which may act at any of its institutions, or another node deciding
// the step that is its own (its party "node:PP", workflow/external_party.hpp).
#pragma once

#include <string>

#include "workflow/approval_case.hpp"

namespace nemis::exchange {

inline workflow::Actor ExchangeActor(std::string account = "system:exchange") {
  workflow::Actor a;
  a.account = std::move(account);
  a.roles = "node";
  a.scope = "node";
  a.may = [](std::string_view, const org::Institution&) { return true; };
  return a;
}

}  // namespace nemis::exchange
