// The population department's answers about students' resident IDs (人口信息比对): a file of
// rows "身份证件号,姓名,核查结果" as the public-security population register returns them for
// the IDs and names the node sent, 核查结果 one of 一致, 查无此人, 姓名不符 (or match,
// unknown, name_mismatch). Each verdict is kept on the student holding that ID
// (student.population_check) while the student's name is still the one checked; the
// record-quality scan turns 查无此人 and 姓名不符 into problem records (population_check),
// and a later 一致 (after a correction, say) clears them at the next scan.
//
// The whole file is checked first: any bad row (named by its line) and nothing is written.
// Then verdicts are written in batches, each its own transaction; the same file again
// changes nothing more, so an interrupted run is finished by running it again. The online
// interface to the population register is the data exchange issue's; this is the file path
// the departments use today; the online interface (population_check.hpp) keeps its answers
// through KeepPopulationVerdicts, the same way.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::registry::quality {

struct VerdictLineError {
  uint64_t line = 0;  // in the file, the header being line 1
  std::string column, code, message;
};

struct VerdictReport {
  bool dry_run = false;
  int64_t rows = 0;
  int64_t match = 0, unknown = 0, name_mismatch = 0;  // verdicts kept on a student
  int64_t not_registered = 0;                         // no student holds the ID
  int64_t renamed = 0;  // the student's name is no longer the one checked: not kept
  std::vector<VerdictLineError> errors;  // non-empty: nothing was written
};

/// One answer of the population register: "match", "unknown" or "name_mismatch" for the
/// resident ID and the name that were sent.
struct PopulationVerdict {
  std::string id_number, name, verdict;
};

/// The verdict code of the register's text (一致, 查无此人, 姓名不符, or the codes themselves).
std::optional<std::string> PopulationVerdictCode(std::string_view text);

/// Keeps checked `verdicts` (IDs normalised, codes as above) on their students as of `today`,
/// a transaction per thousand; the report's rows and errors are left to the caller.
Result<VerdictReport> KeepPopulationVerdicts(db::Database& db, const crypto::FieldCipher& cipher,
                                             std::span<const PopulationVerdict> verdicts,
                                             const std::string& today, bool dry_run);

/// Reads the file from `in` (UTF-8, an optional BOM, a header naming the three columns in
/// Chinese or English: idNumber, name, verdict) and keeps its verdicts as of `today`
/// (YYYY-MM-DD, in China). Fails only when the store does.
Result<VerdictReport> ApplyPopulationVerdicts(db::Database& db, const crypto::FieldCipher& cipher,
                                              std::istream& in, const std::string& today,
                                              bool dry_run);

}  // namespace nemis::registry::quality
