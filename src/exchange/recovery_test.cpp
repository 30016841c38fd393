// Recovery after a restore, on both stores: 广东's node registers three children and the
// national node takes them; a restored store of 广东 (its schools, one of the children with the
// same number and a home address, and a fourth child the national node never saw) recovers
// from the national node page by page (pages of two: every cursor path): the two it lost come
// back without contact details, the one it held stays with its address, the fourth is kept,
// and its digest of 广东 then equals the national node's; run again, it writes nothing. A bad
// kind is refused, and a malformed page is a bad_answer.
#include "exchange/recovery.hpp"

#include <gtest/gtest.h>

#include "exchange/exchange_testing.hpp"
#include "exchange/replica_digest.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using testing::kSchool1;
using testing::kSchool2;

const std::string kNow = "2026-12-06T10:00:00.000Z";

class RecoveryTest : public testing::TwoNodeTest {
 protected:
  void TearDown() override {
    restored_students_.reset();
    restored_.reset();
    if (!restored_pg_.empty()) nemis::testing::PgCluster::DropDatabase(restored_pg_);
    TwoNodeTest::TearDown();
  }

  // A store of 广东 as a backup has it: the divisions and both schools, nothing else.
  void OpenRestored() {
    std::string url;
    if (backend() == db::Backend::kSqlite) {
      url = "sqlite:" + dir_.File("restored.db");
    } else {
      restored_pg_ = nemis::testing::PgCluster::UniqueName();
      url = nemis::testing::PgCluster::CreateDatabase(restored_pg_);
    }
    auto opened = db::Database::Open(url, StoreOptions());
    ASSERT_OK(opened);
    restored_ = std::move(opened).value();
    ASSERT_OK(db::Migrate(*restored_));
    org::OrgStore orgs(*restored_);
    ASSERT_OK(orgs.SeedDivisions("440000"));
    AddSchool(orgs, kSchool1, "440106", "天河区第一小学");
    AddSchool(orgs, kSchool2, "440103", "荔湾区第一小学");
    restored_students_ = std::make_unique<registry::StudentStore>(*restored_, province_cipher_);
  }

  // Every page of `kind`, `limit` at a time, written back into the restored store.
  RecoveryReport Recover(int64_t limit) {
    RecoveryReport report;
    for (const char* kind : {"institutions", "students"}) {
      for (int64_t after = 0;;) {
        auto page = ReadRecoveryPage(*national_, national_cipher_, "440000", kind, after, limit);
        EXPECT_OK(page);
        if (!page.ok()) return report;
        auto crossed = RecoveryPageFromJson(RecoveryPageToJson(*page));
        EXPECT_OK(crossed);
        if (!crossed.ok()) return report;
        EXPECT_OK(
            ApplyRecoveryPage(*restored_, province_cipher_, "440000", *crossed, report, kNow));
        if (page->next == 0) break;
        after = page->next;
      }
    }
    return report;
  }

  ReplicaDigest Digest(db::Database& d, const crypto::FieldCipher& cipher) {
    auto digest = DigestProvince(d, cipher, "440000");
    EXPECT_OK(digest);
    return digest.ok() ? *digest : ReplicaDigest{};
  }

  std::unique_ptr<db::Database> restored_;
  std::unique_ptr<registry::StudentStore> restored_students_;
  std::string restored_pg_;
};

TEST_P(RecoveryTest, WhatTheRestoreLostComesBackFromTheNationalNode) {
  std::vector<registry::Student> children;
  for (int seq = 1; seq <= 3; ++seq)
    children.push_back(RegisterInProvince(seq, seq == 3 ? kSchool2 : kSchool1));
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, NextBatch(0)));

  OpenRestored();
  if (HasFatalFailure()) return;
  const registry::Student kept = Register(*restored_students_, 1, kSchool1);
  ASSERT_EQ(kept.student_number, children[0].student_number);
  const registry::Student unseen = Register(*restored_students_, 4, kSchool2);
  EXPECT_NE(Digest(*restored_, province_cipher_), Digest(*national_, national_cipher_));

  RecoveryReport report = Recover(2);
  EXPECT_EQ(report.students_inserted, 2);
  EXPECT_EQ(report.held_elsewhere, 0);
  EXPECT_EQ(report.students_inserted + report.students_updated + report.unchanged, 3);

  for (const registry::Student& child : children) {
    auto back = restored_students_->Get(registry::StudentViewer::Node(), child.student_number);
    ASSERT_OK(back);
    EXPECT_EQ(back->name, child.name);
    EXPECT_EQ(back->enrolment.school_code, child.enrolment.school_code);
    // Contact details never crossed: the one held keeps its own, the ones lost have none.
    EXPECT_EQ(back->address.has_value(), child.student_number == kept.student_number)
        << child.student_number;
  }
  EXPECT_OK(restored_students_->Get(registry::StudentViewer::Node(), unseen.student_number));
  // The fourth child is not on the national node yet: the digests agree on all but it.
  ReplicaDigest here = Digest(*restored_, province_cipher_);
  ReplicaDigest national = Digest(*national_, national_cipher_);
  EXPECT_EQ(here.students, national.students + 1);
  EXPECT_EQ(here.institutions, national.institutions);
  EXPECT_EQ(here.institutions_sm3, national.institutions_sm3);

  RecoveryReport again = Recover(kRecoveryPageLimit);
  EXPECT_EQ(again.students_inserted + again.students_updated + again.institutions, 0);
  EXPECT_EQ(again.unchanged, 3);
}

TEST_P(RecoveryTest, ABadKindOrPageIsRefused) {
  EXPECT_THAT(ReadRecoveryPage(*national_, national_cipher_, "440000", "accounts", 0, 10),
              IsErrorCode("validation_failed"));
  for (const char* bad : {"[]", R"({"records":[]})", R"({"records":{},"next":0})",
                          R"({"records":[{"kind":"student"}],"next":0})"})
    EXPECT_THAT(RecoveryPageFromJson(bad), IsErrorCode("bad_answer")) << bad;
}

NEMIS_STORE_TEST_SUITE(RecoveryTest);

}  // namespace
}  // namespace nemis::exchange
