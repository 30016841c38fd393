// What the exchange's store tests share: a province's node (the fixture's store, seeded with
// 440000 and two schools) and the national node (a second store of the same back end), each
// with its field keys and an identity issued by one national CA, and students registered as
// the registry's case tests make them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "db/migrations/migrate.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_applier.hpp"
#include "exchange/change_reader.hpp"
#include "exchange/conflict_cases.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/replica_digest.hpp"
#include "org/org_store.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/student_store.hpp"
#include "testing/pg_cluster.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"
#include "testing/temp_dir.hpp"
#include "workflow/working_calendar.hpp"

namespace nemis::exchange::testing {

inline const std::string kSchool1 = "2144000001", kSchool2 = "2144000002";
/// Now, in unix seconds: the identities are made valid from now, since the pullers check
/// them against the system clock.
inline int64_t UnixNow() { return Clock::System().UnixSeconds(); }

class TwoNodeTest : public nemis::testing::StoreTest {
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
    MakeIdentities();
  }

  void TearDown() override {
    national_students_.reset();
    national_.reset();
    if (!national_pg_.empty()) nemis::testing::PgCluster::DropDatabase(national_pg_);
    StoreTest::TearDown();
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

  // With an L number when `temporary`.
  registry::Student Register(registry::StudentStore& store, int seq, const std::string& school,
                             bool temporary = false) {
    registry::case_testing::Draft d;
    registry::case_testing::SetPupil(d, seq, school, 3, 2017, "2023-09");
    d.Set(registry::StudentField::kAddress, "广州市天河区体育西路1号");
    d.Set(registry::StudentField::kPhone, "13800138000");
    registry::RegisterOptions options;
    options.temporary_number = temporary;
    auto r = store.Register(registry::StudentViewer::Node(), d.input, options);
    EXPECT_OK(r);
    return r.ok() ? r->student : registry::Student{};
  }
  registry::Student RegisterInProvince(int seq, const std::string& school = kSchool1) {
    return Register(*province_students_, seq, school);
  }

  int64_t Count(db::Database& d, const std::string& sql) {
    auto n = d.Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }

  // The province's next batch after `after`, as the national node receives it.
  OpenedBatch NextBatch(int64_t after, int64_t limit = 1000) {
    auto batch = ReadChanges(db(), province_cipher_, after, limit);
    EXPECT_OK(batch);
    if (!batch.ok()) return {};
    std::string envelope = SealBatch(HeaderFor(*batch, "440000", "000000"), batch->payload,
                                     province_id_->key, national_id_->key.PublicKey());
    auto opened = OpenBatch(envelope, "000000", province_id_->key.PublicKey(), national_id_->key);
    EXPECT_OK(opened);
    return opened.ok() ? *opened : OpenedBatch{};
  }

  /// The province's digest (replica_digest.hpp) on its node, expected equal on the national
  /// node: what the one holds of the province, the other holds. Nullopt (a failure recorded)
  /// when either cannot be made.
  std::optional<ReplicaDigest> ExpectNodesAgree() {
    auto at_province = DigestProvince(db(), province_cipher_, "440000");
    auto at_nation = DigestProvince(*national_, national_cipher_, "440000");
    EXPECT_OK(at_province);
    EXPECT_OK(at_nation);
    if (!at_province.ok() || !at_nation.ok()) return std::nullopt;
    EXPECT_EQ(*at_nation, *at_province);
    return *at_province;
  }

  /// The national node's checkpoint of the province (0 before any batch).
  int64_t Checkpoint() {
    auto cp = national_->Read<std::optional<exchange::Checkpoint>>(
        [](db::Connection& c) { return LoadCheckpoint(c, "440000"); });
    EXPECT_OK(cp);
    return cp.ok() && cp->has_value() ? (*cp)->last_seq : 0;
  }

  nemis::testing::TempDir dir_;
  crypto::FieldCipher province_cipher_{crypto::FieldKeys::Generate(1)};
  crypto::FieldCipher national_cipher_{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<registry::StudentStore> province_students_, national_students_;
  std::unique_ptr<db::Database> national_;
  std::optional<NodeIdentity> province_id_, national_id_;

 private:
  void OpenNational() {
    std::string url;
    if (backend() == db::Backend::kSqlite) {
      url = "sqlite:" + dir_.File("national.db");
    } else {
      national_pg_ = nemis::testing::PgCluster::UniqueName();
      url = nemis::testing::PgCluster::CreateDatabase(national_pg_);
    }
    auto opened = db::Database::Open(url, StoreOptions());
    ASSERT_OK(opened);
    national_ = std::move(opened).value();
    ASSERT_OK(db::Migrate(*national_));
    ASSERT_OK(org::OrgStore(*national_).SeedDivisions("000000"));
    national_students_ = std::make_unique<registry::StudentStore>(*national_, national_cipher_);
  }

  // The national CA and node, and the province's node certified by it (registered).
  void MakeIdentities() {
    const std::string national_dir = dir_.File("national-keys");
    const std::string province_dir = dir_.File("province-keys");
    const int64_t now = UnixNow();
    auto national = InitNationalNode(national_dir, now);
    ASSERT_OK(national);
    national_id_ = *national;
    auto public_key = InitProvincialNode(province_dir, "440000");
    ASSERT_OK(public_key);
    auto certificate = IssueNodeCertificate(*national_, national_dir, "440000", *public_key, now);
    ASSERT_OK(certificate);
    ASSERT_OK(
        InstallNodeCertificate(province_dir, certificate->ToPem(), national->ca.ToPem(), now));
    auto province = LoadNodeIdentity(province_dir);
    ASSERT_OK(province);
    province_id_ = *province;
  }

  std::string national_pg_;
};

/// One child registered by 北京 (110000; simulated on the national node, an L number) and again
/// by 广东 (440000, this province, a G number): one conflict on the national node once the
/// province's first batch is applied; and what the province's node does about it.
class TwoRegistrationsTest : public TwoNodeTest {
 protected:
  // The same child (same citizen ID) registered in 北京 on the national node, then in 广东.
  void SetUp() override {
    TwoNodeTest::SetUp();
    if (HasFatalFailure()) return;
    cases_ = std::make_unique<workflow::CaseStore>(db(), Clock::System(),
                                                   workflow::WorkingCalendar::Shipped());
    org::OrgStore orgs(*national_);
    AddSchool(orgs, "2111000001", "110101", "东城区第一小学");
    beijing_ = Register(*national_students_, 1, "2111000001", /*temporary=*/true);
    here_ = Register(*province_students_, 1, kSchool1);
    auto applied = ApplyBatch(*national_, national_cipher_, NextBatch(0));
    ASSERT_OK(applied);
    ASSERT_EQ(applied->conflicts, 1);
  }

  ReportedConflicts Reported(const std::string& province) {
    auto reported = ConflictsFor(*national_, national_cipher_, province, 100, "2000-01-01");
    EXPECT_OK(reported);
    return reported.ok() ? *reported : ReportedConflicts{};
  }

  Result<ConflictSyncReport> Sync(const ReportedConflicts& reported) {
    return SyncConflictCases(db(), province_cipher_, *cases_, reported, "440000");
  }

  std::string CaseColumn(const std::string& column) {
    auto t = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT " + column + " FROM wf_case"));
      return rs.rows.size() == 1 ? rs.rows[0].Text(0) : "rows: " + std::to_string(rs.rows.size());
    });
    EXPECT_OK(t);
    return t.ok() ? *t : "";
  }

  registry::Student beijing_, here_;
  std::unique_ptr<workflow::CaseStore> cases_;
};

}  // namespace nemis::exchange::testing
