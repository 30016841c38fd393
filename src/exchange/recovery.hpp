// Recovery after a restore (备份与灾难恢复): a province's node restored from an older backup has
// lost what was registered or changed after the backup, which the national node still holds as
// far as the national level may hold it (change_record.hpp: everything but a student's contact
// details and the guardians' document numbers). `nemis exchange recover` asks the national node
// for everything it holds of the province, page by page (POST /exchange/v1/recovery, signed,
// answered sealed), and writes back what this node lacks or holds differently: a missing
// institution or student is inserted; one held differently takes the national node's values,
// keeping the fields that never cross. Each page is one transaction and logs its changes (the
// national node takes them back as the same records). Afterwards `nemis exchange digest` agrees
// with the national node's. A student recovered has no contact details: its school enters them
// again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/change_record.hpp"

namespace nemis::exchange {

inline constexpr int64_t kRecoveryPageLimit = 2000;

struct RecoveryPage {
  std::vector<ChangeRecord> records;
  int64_t next = 0;  // the cursor of the next page; 0 when this was the last
};

/// National node: what it holds of `province` (its node code): its institutions (`kind`
/// "institutions") or students ("students") after the cursor `after` (0: from the start), at
/// most `limit`, in the order of this node's ids. validation_failed (field kind) otherwise.
Result<RecoveryPage> ReadRecoveryPage(db::Database& db, const crypto::FieldCipher& cipher,
                                      std::string_view province, std::string_view kind,
                                      int64_t after, int64_t limit);

/// The page as it crosses; read back, "bad_answer" naming what is malformed.
std::string RecoveryPageToJson(const RecoveryPage& page);
Result<RecoveryPage> RecoveryPageFromJson(std::string_view payload);

struct RecoveryReport {
  int64_t institutions = 0;       // inserted or brought in line
  int64_t students_inserted = 0;  // lost with the restore
  int64_t students_updated = 0;   // held here in an older state
  int64_t unchanged = 0;          // held here the same
  int64_t held_elsewhere = 0;     // another student here holds the number or document: left
};

/// Province: writes one page back (see above) in one transaction, adding to `report`.
Status ApplyRecoveryPage(db::Database& db, const crypto::FieldCipher& cipher,
                         std::string_view province, const RecoveryPage& page,
                         RecoveryReport& report, std::string_view now);

}  // namespace nemis::exchange
