// A province's changes carried to the national node on both stores: read from the province's
// log, sealed and signed, opened and applied there by natural key; applied once however often
// it comes; refused out of order, from another province, or changed on the way, writing
// nothing; one person, one number kept as a conflict while the rest of the batch applies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "db/change_log.hpp"
#include "db/migrations/migrate.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_applier.hpp"
#include "exchange/change_reader.hpp"
#include "org/org_store.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/student_store.hpp"
#include "testing/pg_cluster.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using registry::StudentViewer;

const std::string kSchool1 = "2144000001", kSchool2 = "2144000002";

class ExchangeFlowTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db());
    ASSERT_OK(orgs.SeedDivisions("440000"));
    AddSchool(orgs, kSchool1, "440106", "天河区第一小学");
    AddSchool(orgs, kSchool2, "440103", "荔湾区第一小学");
    province_students_ = std::make_unique<registry::StudentStore>(db(), province_cipher_);
    OpenNational();
  }

  void TearDown() override {
    national_students_.reset();
    national_.reset();
    if (!national_pg_.empty()) testing::PgCluster::DropDatabase(national_pg_);
    StoreTest::TearDown();
  }

  void OpenNational() {
    std::string url;
    if (backend() == db::Backend::kSqlite) {
      url = "sqlite:" + dir_.File("national.db");
    } else {
      national_pg_ = testing::PgCluster::UniqueName();
      url = testing::PgCluster::CreateDatabase(national_pg_);
    }
    auto opened = db::Database::Open(url, StoreOptions());
    ASSERT_OK(opened);
    national_ = std::move(opened).value();
    ASSERT_OK(db::Migrate(*national_));
    ASSERT_OK(org::OrgStore(*national_).SeedDivisions("000000"));
    national_students_ = std::make_unique<registry::StudentStore>(*national_, national_cipher_);
  }

  static void AddSchool(org::OrgStore& orgs, const std::string& code, const std::string& county,
                        const std::string& name) {
    org::InstitutionInput in;
    in.code = code;
    in.parent_code = county;
    in.name = name;
    in.school_type = "211";
    ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
  }

  registry::Student Register(registry::StudentStore& store, int seq, const std::string& school) {
    registry::case_testing::Draft d;
    registry::case_testing::SetPupil(d, seq, school, 3, 2017, "2023-09");
    d.Set(registry::StudentField::kAddress, "广州市天河区体育西路1号");
    d.Set(registry::StudentField::kPhone, "13800138000");
    auto r = store.Register(StudentViewer::Node(), d.input, {});
    EXPECT_OK(r);
    return r.ok() ? r->student : registry::Student{};
  }

  // The province's next batch after `after`, as the national node receives it.
  OpenedBatch NextBatch(int64_t after, int64_t limit = 1000) {
    auto batch = ReadChanges(db(), province_cipher_, after, limit);
    EXPECT_OK(batch);
    if (!batch.ok()) return {};
    std::string envelope = SealBatch({"440000", "000000", batch->after, batch->last, batch->count},
                                     batch->payload, province_key_, national_key_.PublicKey());
    auto opened = OpenBatch(envelope, "000000", province_key_.PublicKey(), national_key_);
    EXPECT_OK(opened);
    return opened.ok() ? *opened : OpenedBatch{};
  }

  int64_t Count(db::Database& d, const std::string& sql) {
    auto n = d.Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }

  int64_t Checkpoint() {
    auto cp = national_->Read<std::optional<exchange::Checkpoint>>(
        [](db::Connection& c) { return LoadCheckpoint(c, "440000"); });
    EXPECT_OK(cp);
    return cp.ok() && cp->has_value() ? (*cp)->last_seq : 0;
  }

  testing::TempDir dir_;
  std::string national_pg_;
  crypto::FieldCipher province_cipher_{crypto::FieldKeys::Generate(1)};
  crypto::FieldCipher national_cipher_{crypto::FieldKeys::Generate(1)};
  crypto::Sm2PrivateKey province_key_ = crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey national_key_ = crypto::Sm2PrivateKey::Generate();
  std::unique_ptr<registry::StudentStore> province_students_, national_students_;
  std::unique_ptr<db::Database> national_;
};

TEST_P(ExchangeFlowTest, ABatchCarriesTheTreeAndStudentsWithoutTheirContactDetails) {
  registry::Student a = Register(*province_students_, 1, kSchool1);
  registry::Student b = Register(*province_students_, 2, kSchool2);
  OpenedBatch batch = NextBatch(0);
  EXPECT_EQ(batch.header.after, 0);
  EXPECT_GT(batch.header.last, 0);

  auto report = ApplyBatch(*national_, national_cipher_, batch);
  ASSERT_OK(report);
  EXPECT_FALSE(report->repeated);
  EXPECT_EQ(report->conflicts, 0);
  EXPECT_EQ(report->checkpoint, batch.header.last);
  EXPECT_EQ(Checkpoint(), batch.header.last);

  auto school = org::OrgStore(*national_).Get(org::Scope::Everything(), kSchool2);
  ASSERT_OK(school);
  EXPECT_EQ(school->name, "荔湾区第一小学");
  EXPECT_EQ(school->county_code, "440103");
  auto got = national_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(got);
  EXPECT_EQ(got->name, a.name);
  EXPECT_EQ(got->id_number, a.id_number);
  EXPECT_EQ(got->enrolment.school_code, kSchool1);
  EXPECT_EQ(got->enrolment.grade, 3);
  EXPECT_EQ(got->guardian1.name, "王家长");
  // Contact details stay on the province's node.
  EXPECT_EQ(a.address, "广州市天河区体育西路1号");
  EXPECT_FALSE(got->address.has_value());
  EXPECT_FALSE(got->phone.has_value());
  EXPECT_OK(national_students_->Get(StudentViewer::Node(), b.student_number));
  // The payload never holds the contact details either.
  EXPECT_EQ(batch.payload.find("13800138000"), std::string::npos);
  EXPECT_EQ(batch.payload.find("体育西路"), std::string::npos);
}

TEST_P(ExchangeFlowTest, ABatchAppliedTwiceWritesOnce) {
  Register(*province_students_, 1, kSchool1);
  OpenedBatch batch = NextBatch(0);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, batch));
  const int64_t log = Count(*national_, "SELECT COUNT(*) FROM change_log");
  auto again = ApplyBatch(*national_, national_cipher_, batch);
  ASSERT_OK(again);
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(again->records, 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM change_log"), log);
  EXPECT_EQ(Count(*national_, "SELECT batches FROM exchange_checkpoint"), 1);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 1);
}

TEST_P(ExchangeFlowTest, LaterChangesFollowAndAGapIsRefusedWritingNothing) {
  Register(*province_students_, 1, kSchool1);
  OpenedBatch first = NextBatch(0);
  Register(*province_students_, 2, kSchool1);
  OpenedBatch second = NextBatch(first.header.last);
  Register(*province_students_, 3, kSchool2);
  OpenedBatch third = NextBatch(second.header.last);

  ASSERT_OK(ApplyBatch(*national_, national_cipher_, first));
  // The third before the second: a gap.
  EXPECT_THAT(ApplyBatch(*national_, national_cipher_, third), IsErrorCode("batch_out_of_order"));
  EXPECT_EQ(Checkpoint(), first.header.last);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 1);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, second));
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, third));
  EXPECT_EQ(Checkpoint(), third.header.last);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 3);
}

TEST_P(ExchangeFlowTest, AChangedStudentReplacesItsReplicaByNumber) {
  registry::Student a = Register(*province_students_, 1, kSchool1);
  OpenedBatch first = NextBatch(0);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, first));
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE student SET class_no = '05' WHERE id = $1", {a.id}));
    const int64_t ids[] = {a.id};
    return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, "2026-12-06T00:00:00Z");
  }));
  OpenedBatch second = NextBatch(first.header.last);
  EXPECT_EQ(second.header.count, 1);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, second));
  auto got = national_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(got);
  EXPECT_EQ(got->enrolment.class_no, "05");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 1);
}

TEST_P(ExchangeFlowTest, AStudentAnotherProvinceHoldsIsKeptAsAConflict) {
  // The same child (same citizen ID) already registered by another province's node.
  registry::Student elsewhere;
  {
    org::OrgStore orgs(*national_);
    AddSchool(orgs, "2111000001", "110101", "东城区第一小学");
    elsewhere = Register(*national_students_, 1, "2111000001");
  }
  registry::Student here = Register(*province_students_, 1, kSchool1);
  Register(*province_students_, 2, kSchool1);
  ASSERT_EQ(here.id_number, elsewhere.id_number);
  auto report = ApplyBatch(*national_, national_cipher_, NextBatch(0));
  ASSERT_OK(report);
  EXPECT_EQ(report->conflicts, 1);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 2);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_conflict WHERE state = 'open'"), 1);
  auto kept = national_students_->Get(StudentViewer::Node(), here.student_number);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->enrolment.school_code, "2111000001");  // untouched
  // The conflict's copy of the record is sealed: no clear ID number in the table.
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_conflict WHERE record LIKE '%" +
                                  *here.id_number + "%'"),
            0);
}

TEST_P(ExchangeFlowTest, ASourceWritesOnlyItsOwnProvince) {
  Register(*province_students_, 1, kSchool1);
  auto batch = ReadChanges(db(), province_cipher_, 0, 1000);
  ASSERT_OK(batch);
  // Guangdong's changes claimed by Beijing's node.
  std::string envelope = SealBatch({"110000", "000000", 0, batch->last, batch->count},
                                   batch->payload, province_key_, national_key_.PublicKey());
  auto opened = OpenBatch(envelope, "000000", province_key_.PublicKey(), national_key_);
  ASSERT_OK(opened);
  EXPECT_THAT(ApplyBatch(*national_, national_cipher_, *opened),
              IsErrorCode("record_outside_source"));
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_checkpoint"), 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM org WHERE code = '" + kSchool1 + "'"), 0);
}

TEST_P(ExchangeFlowTest, TheLimitBoundsTheLogRowsOfABatch) {
  for (int i = 1; i <= 5; ++i) Register(*province_students_, i, kSchool1);
  SealChangeLog();
  auto all = ReadChanges(db(), province_cipher_, 0, 100000);
  ASSERT_OK(all);
  int64_t after = 0, batches = 0;
  while (after < all->last) {
    OpenedBatch b = NextBatch(after, 2);
    EXPECT_LE(b.header.last - b.header.after, 2);
    ASSERT_OK(ApplyBatch(*national_, national_cipher_, b));
    after = b.header.last;
    ++batches;
  }
  EXPECT_GE(batches, 3);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 5);
  EXPECT_THAT(ReadChanges(db(), province_cipher_, 0, 0), IsErrorCode("bad_parameter"));
  EXPECT_THAT(ReadChanges(db(), province_cipher_, -1, 10), IsErrorCode("bad_parameter"));
}

NEMIS_STORE_TEST_SUITE(ExchangeFlowTest);

}  // namespace
}  // namespace nemis::exchange
