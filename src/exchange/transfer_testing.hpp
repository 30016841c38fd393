// The fixture of the cross-province transfer tests (transfer_handover_test,
// transfer_restore_test): the national node and 广东's node (440000) in process on both stores,
// 广西 (450000) given as the calls its node would make, and a school of 广西 on the national node.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "exchange/exchange_testing.hpp"
#include "exchange/transfer_handover.hpp"
#include "exchange/transfer_relay.hpp"
#include "registry/status_change.hpp"
#include "registry/transfer.hpp"
#include "workflow/case_store.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::exchange::testing {

using workflow::ApprovalCase;
using workflow::CaseAction;

inline const std::string kNanning = "2145000001";
inline const std::string kNow = "2026-03-15T17:30:00.000Z";

class TransferTest : public TwoNodeTest {
 protected:
  void SetUp() override {
    TwoNodeTest::SetUp();
    if (HasFatalFailure()) return;
    cases_ =
        std::make_unique<workflow::CaseStore>(db(), clock_, workflow::WorkingCalendar::Shipped());
    org::OrgStore national_orgs(*national_);
    AddSchool(national_orgs, kNanning, "450102", "南宁市第一小学");
  }

  static workflow::Actor Person(const std::string& account) {
    workflow::Actor a;
    a.account = account;
    a.may = [](std::string_view, const org::Institution&) { return true; };
    return a;
  }

  RelayResult Relay(const std::string& province, const TransferPost& post = {}) {
    auto r = RelayTransfers(*national_, national_cipher_, province, post, kNow);
    EXPECT_OK(r);
    return r.ok() ? *r : RelayResult{};
  }

  // Posts of one kind of item.
  static TransferPost Asking(std::vector<TransferAsk> items) {
    TransferPost p;
    p.requests = std::move(items);
    return p;
  }
  static TransferPost Telling(std::vector<TransferVerdict> items) {
    TransferPost p;
    p.verdicts = std::move(items);
    return p;
  }
  static TransferPost Completing(std::vector<int64_t> items) {
    TransferPost p;
    p.completions = std::move(items);
    return p;
  }
  static TransferPost Withdrawing(std::vector<TransferWithdrawal> items) {
    TransferPost p;
    p.withdrawals = std::move(items);
    return p;
  }
  static TransferPost Progressing(std::vector<TransferProgress> items) {
    TransferPost p;
    p.progress = std::move(items);
    return p;
  }

  TransferPost Pending() {
    auto post = PendingTransferPost(db(), province_cipher_);
    EXPECT_OK(post);
    return post.ok() ? *post : TransferPost{};
  }

  TransferSyncReport Sync(const TransferAnswer& answer) {
    auto r = SyncTransfers(db(), province_cipher_, *cases_, answer, clock_);
    EXPECT_OK(r);
    return r.ok() ? *r : TransferSyncReport{};
  }

  // 广西's request for `s` (number and name as given), its case `case_id`.
  static TransferAsk AskFor(const registry::Student& s, int64_t case_id = 7) {
    return {case_id, "440000", s.student_number, s.name,      kNanning, "南宁市第一小学",
            3,       "02",     "随父母工作调动", "2026-03-20"};
  }

  Result<ApprovalCase> Act(const std::string& account, const ApprovalCase& kase, CaseAction action,
                           const workflow::CaseEnd& on_end, std::string_view reason = "") {
    return cases_->Act(Person(account), *workflow::DefinitionCatalog::Builtin().Find(kase.type),
                       kase.id, action, kase.version, reason, on_end);
  }

  workflow::CaseEnd ReleaseOnEnd() {
    return [this](db::Connection& c, const ApprovalCase& k) {
      return OnTransferOutCaseEnd(c, province_cipher_, *cases_, k, clock_);
    };
  }

  // 广东's transfer service, with the end of its receiving cases.
  registry::Transfers& ReceivingTransfers() {
    if (!transfers_)
      transfers_ = std::make_unique<registry::Transfers>(db(), province_cipher_, *cases_, clock_,
                                                         registry::TransferRules{});
    return *transfers_;
  }
  workflow::CaseEnd ReceivingEnd() {
    return [this](db::Connection& c, const ApprovalCase& k) {
      return ReceivingTransfers().OnEnd(c, Person("x"), k);
    };
  }

  // 广东's registrar of 荔湾区第一小学 asks for `child`, a student of 广西: the case
  // transfer.external_in (waiting at its county).
  Result<ApprovalCase> OpenReceivingCase(const registry::Student& child) {
    return ReceivingTransfers().Open(Person("liwan.registrar"),
                                     {child.student_number, child.name, kSchool2, "3", "05",
                                      "随父母工作调动", "2026-03-20", "45"});
  }

  // 广东's county and province approve `k`: it then waits at 广西's node (node:45).
  Result<ApprovalCase> ApproveInGuangdong(ApprovalCase k) {
    for (const char* account : {"liwan.county", "guangdong.province"}) {
      NEMIS_ASSIGN_OR_RETURN(k, Act(account, k, CaseAction::kApprove, ReceivingEnd()));
    }
    return k;
  }

  // 广东's school, county and province approve its sending case `k`: the child is released.
  Result<ApprovalCase> ReleaseInGuangdong(ApprovalCase k) {
    for (const char* account : {"school.a", "county.b", "province.c"}) {
      NEMIS_ASSIGN_OR_RETURN(k, Act(account, k, CaseAction::kApprove, ReleaseOnEnd()));
    }
    return k;
  }

  Result<ApprovalCase> OnlyCase() {
    auto id = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT id FROM wf_case ORDER BY id DESC"));
      if (rs.rows.empty()) return Error::NotFound("no case");
      return rs.rows[0].Int(0);
    });
    if (!id.ok()) return id.error();
    return cases_->Get(*id);
  }

  // 广东 (this node) holds a child the national node has from its first batch.
  registry::Student HeldHere() {
    registry::Student s = RegisterInProvince(1);
    auto applied = ApplyBatch(*national_, national_cipher_, NextBatch(0));
    EXPECT_OK(applied);
    return s;
  }

  std::vector<registry::StatusChange> Changes(int64_t student_id) {
    auto changes = db().Read<std::vector<registry::StatusChange>>(
        [&](db::Connection& c) { return registry::LoadStatusChanges(c, student_id); });
    EXPECT_OK(changes);
    return changes.ok() ? *changes : std::vector<registry::StatusChange>{};
  }

  FixedClock clock_{*ParseUtc(kNow)};
  std::unique_ptr<workflow::CaseStore> cases_;
  std::unique_ptr<registry::Transfers> transfers_;
};

}  // namespace nemis::exchange::testing
