// The division changes (codes/division_changes.hpp) a node holds, numbered by the national
// node: the national node records them (nemis division record, POST /api/v1/divisions/changes)
// and each province receives them, in order and without gaps, from the national node
// (exchange/division_feed.hpp). A change takes effect on its day (effectiveOn, China): a node
// holds it from when it is recorded or received, and on that day carries it into the
// organisation tree (division_tree.hpp) and lays it over the compiled table that every lookup
// reads — at once for a change dated today or before, in the same transaction that stores it;
// otherwise the running node does so within seconds of the day's start (ApplyDue…, called by
// `nemis serve`). Changes take effect in their order: each is dated no earlier than the one
// before.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "codes/division_changes.hpp"
#include "db/database.hpp"
#include "db/write_attachment.hpp"
#include "org/division_tree.hpp"

namespace nemis::org {

inline constexpr size_t kMaxDivisionReferenceChars = 100;

struct DivisionChangeRecord {
  int64_t seq = 0;  // the national node's number
  codes::DivisionChange change;
  std::string effective_on;  // YYYY-MM-DD, as the approval says
  std::string reference;     // the approval (批准文号)
  std::string recorded_at;   // on the national node
  std::string received_at;   // on this node
  std::string applied_at;    // when this node carried it into its tree; "" while scheduled
  SchoolSuccessors school_successors{};  // retire: schools going elsewhere than the successor
};

/// What recording one takes (the national node numbers and dates it).
struct DivisionChangeInput {
  codes::DivisionChange change;
  std::string effective_on;
  std::string reference;
  SchoolSuccessors school_successors{};
};

/// At most this many schools named in one change.
inline constexpr size_t kMaxSchoolSuccessors = 2000;

/// Lays the changes in effect here over the compiled table (at the node's start).
Status InstallStoredDivisionChanges(db::Database& db);
/// The same when the store holds another last change in effect than the one laid (one
/// recorded by another process, `nemis division record` beside a running node); whether it
/// did.
Result<bool> RefreshDivisionChanges(db::Database& db);
/// Carries the scheduled changes whose day has come (by `now`, UTC, in China) into the tree,
/// in order, in one transaction, and lays them; how many.
Result<int> ApplyDueDivisionChanges(db::Database& db, std::string_view node_code,
                                    std::string_view now);

/// The newest `limit` changes, newest first.
Result<std::vector<DivisionChangeRecord>> ListDivisionChanges(db::Database& db, int limit);
/// The changes numbered after `after`, in order, at most `limit`.
Result<std::vector<DivisionChangeRecord>> DivisionChangesAfter(db::Database& db, int64_t after,
                                                               int limit);
/// The number of the last change this node holds (0: none).
Result<int64_t> LastDivisionChange(db::Database& db);

/// On the national node (`node_code` 000000): checks the change against the table as it will
/// stand once every change held is in effect (validation_failed naming each field: code,
/// name, successor, effectiveOn — bad_date, before_scheduled when dated before a change held and
/// scheduled —, reference; schoolSuccessors.<school> — not_applicable unless retiring, bad_school,
/// and a successor's codes; schoolSuccessors too_many), numbers it after the last and stores it;
/// due (dated today or before), carries it into the tree in the same transaction with `attachment`,
/// and every lookup knows it; otherwise it is scheduled (applied_at ""). A retirement's name is the
/// table's.
Result<DivisionChangeRecord> RecordDivisionChange(db::Database& db, DivisionChangeInput input,
                                                  std::string_view node_code, std::string_view now,
                                                  db::WriteAttachment* attachment = nullptr);

/// On a provincial node: stores the national node's changes that follow the last it holds
/// (those it holds already are skipped; a number beyond the next is "division_change_gap"),
/// carrying those due into its tree, all in one transaction; then every lookup knows them.
/// Returns how many were new.
Result<int> ReceiveDivisionChanges(db::Database& db, std::span<const DivisionChangeRecord> records,
                                   std::string_view node_code, std::string_view now);

}  // namespace nemis::org
