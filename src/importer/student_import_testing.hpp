// Test helpers for student imports: a store with the Guangdong divisions and one school
// (天河区第一小学, 2144000001), valid roster rows, and the import options under test.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "org/org_testing.hpp"
#include "testing/store_fixture.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer::testing {

inline constexpr std::string_view kHeader =
    "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";

inline std::string IdFor(const std::string& first17) {
  return first17 + codes::IdCheckCharacter(first17);
}

/// A valid grade-1 row; seq (0-9999) makes the ID unique, odd = boy. Born 2019-03-15
/// when seq < 1000, a day later for each further thousand.
inline std::string Row(int seq, const std::string& school = "2144000001") {
  char first17[18], birth[11];
  const unsigned day = 15u + static_cast<unsigned>(seq) / 1000u % 10u;
  std::snprintf(first17, sizeof first17, "440106201903%02u%03u", day,
                static_cast<unsigned>(seq) % 1000u);
  std::snprintf(birth, sizeof birth, "2019-03-%02u", day);
  return "张小明," + std::string(seq % 2 ? "1" : "2") + "," + birth + ",01," + IdFor(first17) +
         "," + school + ",1,01,2025-09,张大明,父亲\n";
}

class StudentImportFixture : public ::nemis::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(org::testing::SeedGuangdongWithOneSchool(db()).ok());
    options_.clock = &clock_;
    options_.threads = 2;
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  /// The header and rows from..to-1.
  static std::string Rows(int from, int to) {
    std::string out(kHeader);
    for (int i = from; i < to; ++i) out += Row(i);
    return out;
  }

  int64_t Count(std::string_view sql) {
    SealChangeLog();
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }
  int64_t Students() { return Count("SELECT COUNT(*) FROM student"); }

  ImportReport Import(const std::string& path) {
    return ImportStudents(db(), cipher_, path, options_);
  }

  ::nemis::testing::TempDir dir_;
  FixedClock clock_{
      std::chrono::system_clock::time_point(std::chrono::seconds(1761955200))};  // 2025-11-01
  ImportOptions options_;
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
};

}  // namespace nemis::importer::testing
