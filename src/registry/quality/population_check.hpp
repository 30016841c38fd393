// The online population check (人口信息比对): the resident IDs and names of students in a scope
// sent, a batch at a time, to the population register through a department adapter
// (exchange/population_register.hpp), and its answers kept on the students as the file path
// keeps them (population_verdicts.hpp). What is sent is exactly what the register needs to
// answer — the ID number and the name — and nothing of a student without a resident ID.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/quality/population_verdicts.hpp"

namespace nemis::registry::quality {

struct PersonToCheck {
  std::string id_number, name;
};

/// The register's answers for `persons`, in any order; a person it does not answer is left
/// unchecked. Fails ("peer_unavailable", "bad_answer") when the register cannot be asked.
using VerifyPersons =
    std::function<Result<std::vector<PopulationVerdict>>(std::span<const PersonToCheck> persons)>;

struct PopulationCheckOptions {
  int batch = 500;       // persons per request to the register
  bool recheck = false;  // false: only students never checked or not found 一致
  std::string today;     // YYYY-MM-DD in China: the date the verdicts are kept as of
  bool dry_run = false;  // ask, count, keep nothing
};

struct PopulationCheckReport {
  int64_t sent = 0;        // persons sent to the register (answered or not)
  int64_t unanswered = 0;  // of them, persons the register gave no verdict for
  VerdictReport kept;      // what became of the verdicts (population_verdicts.hpp)
  Status stopped;          // why the run stopped short; ok when it went through
};

/// Checks the students with a resident ID in `scope`, in id order; the verdicts of a batch
/// are kept before the next is sent, so a run cut short by a failure (report.stopped) keeps
/// what it had and the next run asks only for the rest. `sent` counts every person whose ID
/// and name left the node, the batch that failed included: the caller audits it.
PopulationCheckReport CheckPopulation(db::Database& db, const crypto::FieldCipher& cipher,
                                      const org::Scope& scope, const VerifyPersons& verify,
                                      const PopulationCheckOptions& options);

}  // namespace nemis::registry::quality
