// A store with 天河区's two primary schools and pupils registered with G or L numbers, for the
// tests of the population check (quality/population_check_test.cpp) and of L → G
// (temporary_number_conversion_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/date.hpp"
#include "crypto/field_cipher.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/student_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::registry::number_testing {

inline const std::string kSchool1 = "2144000001", kSchool2 = "2144000002";  // both 440106

class NumberTest : public nemis::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db(), clock_);
    ASSERT_OK(orgs.SeedDivisions("440000"));
    for (const auto& [code, name] :
         {std::pair{kSchool1, "天河区第一小学"}, std::pair{kSchool2, "天河区第二小学"}}) {
      org::InstitutionInput in;
      in.code = code;
      in.parent_code = "440106";
      in.name = name;
      in.school_type = "211";
      ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
    }
    students_ = std::make_unique<StudentStore>(db(), cipher_, clock_);
  }

  // Pupil `seq` (case_testing::SetPupil: 王小<digit>, born 2019, a distinct resident ID) in
  // grade 1 of `school`, with an L number when `temporary`.
  Student Enrol(int seq, bool temporary, const std::string& school = kSchool1) {
    case_testing::Draft d;
    case_testing::SetPupil(d, seq, school, 1, 2019, "2025-09");
    RegisterOptions options;
    options.temporary_number = temporary;
    auto r = students_->Register(StudentViewer::Node(), d.input, options);
    EXPECT_OK(r);
    return r.ok() ? r->student : Student{};
  }

  int64_t Count(const std::string& sql) {
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.empty() ? 0 : rs.rows[0].Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }

  std::string Text(const std::string& sql) {
    auto t = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.empty() || rs.rows[0].IsNull(0) ? std::string() : rs.rows[0].Text(0);
    });
    EXPECT_OK(t);
    return t.ok() ? *t : "?";
  }

  // Members are initialised before SetUp uses them.
  FixedClock clock_{*ParseUtc("2026-12-06T02:00:00.000Z")};
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<StudentStore> students_;
};

}  // namespace nemis::registry::number_testing
