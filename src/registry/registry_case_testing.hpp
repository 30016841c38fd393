// What the tests of the registry's cases (transfers, status changes, promotion) share: an
// actor whose grants are a table of (permission, institution code), the built-in workflow
// definitions, and a student's fields as text.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "registry/student_input.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry::case_testing {

/// account -> the (permission, institution code) pairs it holds.
using GrantTable = std::map<std::string, std::set<std::pair<std::string, std::string>>>;

/// An actor that may do what `grants` (which must outlive it) gives `account`, exactly at
/// the institutions named (no subtrees).
inline workflow::Actor ActorWithGrants(const std::string& account, const GrantTable& grants) {
  workflow::Actor a;
  a.account = account;
  a.roles = "test";
  a.request_id = "req-" + account;
  a.may = [account, &grants](std::string_view permission, const org::Institution& at) {
    auto it = grants.find(account);
    return it != grants.end() && it->second.count({std::string(permission), at.code}) > 0;
  };
  return a;
}

inline const workflow::WorkflowDefinition& Definition(const std::string& type) {
  const workflow::WorkflowDefinition* d = workflow::DefinitionCatalog::Builtin().Find(type);
  EXPECT_NE(d, nullptr) << type;
  return *d;
}

/// A student's fields as text, with stable storage for the input's views.
struct Draft {
  std::array<std::string, kStudentFieldCount> texts;
  StudentInput input;
  void Set(StudentField f, std::string v) {
    texts[static_cast<size_t>(f)] = std::move(v);
    input.Set(f, texts[static_cast<size_t>(f)]);
  }
};

}  // namespace nemis::registry::case_testing
