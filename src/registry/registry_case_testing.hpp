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

#include "codes/id_number.hpp"
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

/// Pupil `seq` (0-999: a distinct ID; odd is a boy), named 王小<digit>, born on 15 March
/// of `birth_year` in 天河区, in `grade`, class 02, of `school`, entered in `entry` (YYYY-MM):
/// set in `d` (which the input's views point into, so it is filled in place).
inline void SetPupil(Draft& d, int seq, const std::string& school, int grade, int birth_year,
                     const std::string& entry) {
  static const char* kGiven[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  const std::string first17 =
      "440106" + std::to_string(birth_year) + "0315" + std::to_string(1000 + seq).substr(1);
  d.Set(StudentField::kName, std::string("王小") + kGiven[seq % 10]);
  d.Set(StudentField::kGender, seq % 2 ? "1" : "2");
  d.Set(StudentField::kBirthDate, std::to_string(birth_year) + "-03-15");
  d.Set(StudentField::kEthnicity, "01");
  d.Set(StudentField::kIdNumber, first17 + codes::IdCheckCharacter(first17));
  d.Set(StudentField::kSchoolCode, school);
  d.Set(StudentField::kGrade, std::to_string(grade));
  d.Set(StudentField::kClassNo, "02");
  d.Set(StudentField::kEntryDate, entry);
  d.Set(StudentField::kGuardian1Name, "王家长");
  d.Set(StudentField::kGuardian1Relation, "1");
}

}  // namespace nemis::registry::case_testing
