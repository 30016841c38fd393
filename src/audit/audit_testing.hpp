// A migrated store for audit tests, a node key, a clock the test moves, entries that
// differ in every field, and raw SQL for playing the attacker.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "audit/audit_chain.hpp"
#include "audit/audit_log.hpp"
#include "audit/internal/audit_rows.hpp"
#include "audit/verify.hpp"
#include "crypto/encoding.hpp"
#include "db/migrations/migrate.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::audit {

class AuditStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db::Migrate(db()).ok());
  }

  static constexpr const char* kActions[] = {"auth.login", "student.view_sensitive",
                                             "student.update", "authz.deny"};
  static constexpr const char* kOutcomes[] = {"success", "failure", "denied"};

  // Entry i, logged `at` (default: i seconds after the clock's start).
  AuditEntry Entry(int i, std::chrono::system_clock::time_point at = {}) const {
    if (at == std::chrono::system_clock::time_point{}) at = kStart + std::chrono::seconds(i);
    AuditEntry e;
    e.time = FormatUtc(at);
    e.account = i % 7 == 0 ? "" : "user" + std::to_string(i % 5);
    e.roles = "county_registrar@440106";
    e.scope = "440106";
    e.source_ip = "10.0.0." + std::to_string(i % 250);
    e.request_id = "req-" + std::to_string(i);
    e.action = kActions[i % 4];
    e.target = "student:" + std::to_string(1000 + i);
    e.outcome = kOutcomes[i % 3];
    e.details = "{\"n\":" + std::to_string(i) + "}";
    return e;
  }

  // Appends entries first..last (Entry(i)) in one transaction.
  void AppendRange(int first, int last) {
    Status s = db().WithWriter([&](db::Connection& c) -> Status {
      for (int i = first; i <= last; ++i) NEMIS_TRY(Append(c, Entry(i)));
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
    Seal();
  }

  // Numbers and chains what PostgreSQL writes left pending, as a reader of the log does.
  void Seal() {
    Status sealed = SealAll(db());
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  }

  VerifyReport Check(int page_rows = 7) { return CheckWith(key_.PublicKey(), page_rows); }
  VerifyReport CheckWith(const crypto::Sm2PublicKey& key, int page_rows = 7) {
    Seal();
    auto report = Verify(db(), key, {page_rows});
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : VerifyReport{0, 0, 0, 0, -1, "verify failed"};
  }

  // Runs one statement as the attacker would (directly, in a transaction of its own).
  void Sql(std::string_view sql, std::initializer_list<db::Param> params = {}) {
    std::vector<db::Param> p(params);
    Status s = db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(sql, p));
      return {};
    });
    ASSERT_TRUE(s.ok()) << sql << ": " << s.error().message;
  }

  std::vector<AuditRecord> Records() {
    Seal();
    auto rs = db().Read<std::vector<AuditRecord>>(
        [](db::Connection& c) -> Result<std::vector<AuditRecord>> {
          NEMIS_ASSIGN_OR_RETURN(auto rows,
                                 c.Query("SELECT " + std::string(internal::kEntryColumns) +
                                         " FROM audit_log ORDER BY seq"));
          std::vector<AuditRecord> out;
          for (const auto& row : rows.rows) out.push_back(internal::RecordFromRow(row));
          return out;
        });
    EXPECT_TRUE(rs.ok());
    return rs.ok() ? *rs : std::vector<AuditRecord>{};
  }

  std::string HashOf(int64_t seq) {
    for (const auto& r : Records())
      if (r.seq == seq) return r.entry_hash;
    return "";
  }

  // What an attacker who knows the algorithm does after editing: recompute every hash
  // from entry `from` on, and the head.
  void RecomputeChainFrom(int64_t from) {
    std::string prev =
        crypto::FromHex(from == 1 ? crypto::ToHex(GenesisHash()) : HashOf(from - 1)).value();
    for (const auto& r : Records()) {
      if (r.seq < from) continue;
      prev = ChainHash(prev, r.seq, r.entry);
      Sql("UPDATE audit_log SET entry_hash = $1 WHERE seq = $2", {crypto::ToHex(prev), r.seq});
    }
    Sql("UPDATE audit_head SET last_hash = $1 WHERE id = 1", {crypto::ToHex(prev)});
  }

  static constexpr std::chrono::system_clock::time_point kStart{std::chrono::seconds(1795000000)};
  crypto::Sm2PrivateKey key_ = crypto::Sm2PrivateKey::Generate();
  FixedClock clock_{kStart + std::chrono::hours(24) * 400};
};

}  // namespace nemis::audit
