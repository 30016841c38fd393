// The annual statistics submissions (采集 审核 上报) and their approval up the levels, on
// DHIS2's proven rules: a unit submits (approves its own data) only once every unit below
// it is approved (or, where acceptance is not required, has submitted: the level's
// submission then approves them); its submission is a workflow case (stats.submission) for the
// level above to approve or return with a reason; approval locks the data; nothing below an
// approved or pending unit can be withdrawn or returned; a return reopens the unit, and a
// level whose own submission is reopened may reopen what it had approved below. A
// school's snapshot is its forms as of the point in time (from the registry's history); a
// region's is the sum of its units' approved snapshots. Each submission and approval is
// signed with the acting person's SM2 key (signer_keys.hpp).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"
#include "stats/signed_submission.hpp"
#include "stats/signer_keys.hpp"
#include "stats/submission_checks.hpp"
#include "workflow/case_store.hpp"

namespace nemis::stats {

class StatsEngine;

enum class SubmissionState { kSubmitted, kApproved, kReturned, kWithdrawn };
std::string_view SubmissionStateName(SubmissionState state);  // "submitted", ...

/// Whether a workflow case is a submission's review (stats.submission).
bool IsSubmissionCase(std::string_view type);

// NOLINTNEXTLINE(bugprone-exception-escape): the implicit members of a JSON-holding record
struct Submission {
  int year = 0;
  std::string org_code;
  SubmissionState state = SubmissionState::kSubmitted;
  int64_t case_id = 0;
  nlohmann::json snapshot;
  std::string digest;
  std::map<std::string, std::string> explanations;
  std::string submitted_by, submitted_at, decided_by, decided_at, return_reason;
  int64_t version = 0;
};

/// What a unit would submit now: the snapshot, the review's findings and, for a region,
/// the units below it not approved yet (their figures are not in the snapshot).
struct SubmissionDraft {
  Snapshot snapshot;
  std::vector<Finding> findings;
  std::vector<std::string> units_not_approved;
};

struct SubmissionSettings {
  int year_on_year_percent = 20;
  // DHIS2's "acceptance required before approval": a level submits only once it has
  // approved each unit below (true), or once each has submitted, approving in the same
  // write (signed by the submitter) those still awaiting it (false).
  bool acceptance_required = true;
};

/// The institutions that report to `parent_code` in a year: its open child schools and its
/// child bureaus with at least one open school below them.
Result<std::vector<org::Institution>> ReportingUnitsUnder(db::Connection& c,
                                                          const std::string& parent_code);

class SubmissionStore {
 public:
  SubmissionStore(db::Database& db, const Clock& clock, workflow::CaseStore& cases,
                  const SignerKeys& signers, SubmissionSettings settings = {});

  /// The draft of `unit`'s submission for `year` (the engine must be loaded; 422
  /// point_not_reached before the year's point in time has passed).
  Result<SubmissionDraft> Prepare(StatsEngine& engine, int year, const org::Institution& unit);

  /// Submits `unit`'s statistics for `year`, signed by the actor. Errors: 409
  /// already_submitted, locked_above (a level above has submitted), units_not_approved;
  /// 422 validation_failed (errors, each named), explanation_required (warnings without an
  /// explanation, each named); 403 without stats.submit at the unit.
  Result<Submission> Submit(const workflow::Actor& actor, StatsEngine& engine, int year,
                            const org::Institution& unit,
                            const std::map<std::string, std::string>& explanations);
  /// The level above approves a submitted unit (signed): 409 not_submitted, version_conflict;
  /// 403 for the submitter themself or without stats.approve at the unit's parent.
  Result<Submission> Approve(const workflow::Actor& actor, int year, const std::string& org_code,
                             int64_t expected_version);
  /// The level above returns a submitted unit, or reopens one it approved while its own
  /// submission is not pending or approved; a reason is required (422 reason_required).
  Result<Submission> Return(const workflow::Actor& actor, int year, const std::string& org_code,
                            const std::string& reason, int64_t expected_version);
  /// The submitter takes a submission back before the level above has decided.
  Result<Submission> Withdraw(const workflow::Actor& actor, int year, const std::string& org_code,
                              int64_t expected_version);

  /// What the end of a review case does, inside the action's transaction (also when the
  /// case is acted on through the case routes): approved — the submission is approved and
  /// signed by the approver; rejected — returned with the reason; cancelled — withdrawn.
  Status OnEnd(db::Connection& c, const workflow::ApprovalCase& kase) const;

  Result<std::optional<Submission>> Get(int year, const std::string& org_code);
  Result<std::vector<SubmissionSignature>> Signatures(int year, const std::string& org_code);
  /// The signed document of the unit's current submission (signed_submission.hpp).
  Result<nlohmann::json> SignedDocument(int year, const std::string& org_code);

 private:
  Result<Snapshot> SchoolSnapshot(StatsEngine& engine, int year, const org::Institution& school);
  Result<ReviewFacts> FactsFor(StatsEngine& engine, int year, const org::Institution& unit,
                               const Snapshot& snapshot);
  Result<SubmissionDraft> RegionDraft(int year, const org::Institution& unit);
  // Whether a unit below in `state` counts towards its level's submission.
  bool Counts(SubmissionState state) const;
  // Inside the submission's write: every unit below counts, and those still awaiting the
  // level (acceptance not required) are approved by the submitter, signed.
  Status AcceptUnitsBelow(db::Connection& c, const workflow::Actor& actor, int year,
                          const org::Institution& unit);
  Result<Submission> Decide(const workflow::Actor& actor, int year, const std::string& org_code,
                            workflow::CaseAction action, const std::string& reason,
                            int64_t expected_version);
  Result<Submission> Reopen(const workflow::Actor& actor, const Submission& approved,
                            const std::string& reason);

  db::Database& db_;
  const Clock& clock_;
  workflow::CaseStore& cases_;
  const SignerKeys& signers_;
  SubmissionSettings settings_;
};

}  // namespace nemis::stats
