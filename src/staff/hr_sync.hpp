// Taking in the human-resources department's staff records (hr_feed.hpp): the node reads the
// feed from where it stopped, a page at a time, and applies each page and the cursor after
// it in one transaction, so a run cut short, run again, neither misses nor doubles a record.
// A record is kept when it is sound: a valid resident ID, a name, a school of this node, a
// known post and status, a time; a person's row is replaced only by a newer state (a page
// delivered twice changes nothing). Records that are not sound are counted by reason and
// left out; the feed moves on (HR corrects them at its end and sends them again).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "staff/hr_feed.hpp"

namespace nemis::staff {

struct HrSyncOptions {
  int limit = 500;  // records asked for per page
  std::string now;  // UTC timestamp kept as updated_at and synced_at
  Date today;       // for checking birth dates in the IDs
};

struct HrSyncReport {
  int64_t pages = 0, records = 0;
  int64_t added = 0, updated = 0, unchanged = 0;
  int64_t older = 0;                        // an older state than the one kept: left out
  std::map<std::string, int64_t> rejected;  // by reason: bad_id, bad_name, unknown_unit, ...
  std::string cursor;                       // where the node stands in the feed now
  Status stopped;                           // why the run stopped short; ok at the feed's end
};

/// Applies HR's feed from the node's cursor to its end; see the file comment.
HrSyncReport SyncStaffFromHr(db::Database& db, const crypto::FieldCipher& cipher,
                             const ReadHrChanges& read, const HrSyncOptions& options);

}  // namespace nemis::staff
