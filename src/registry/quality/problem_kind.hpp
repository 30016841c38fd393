// The kinds of record-quality findings (一人一籍, 问题学籍) the scan reports: suspected
// duplicates (pairs of students) and problem records (one student each).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace nemis::registry::quality {

enum class ProblemKind : uint8_t {
  // Pairs, most certain first: a pair found by several rules is reported by the first.
  kSameIdNumber,      // one document number in two records (the unique index should prevent it)
  kNoIdSamePerson,    // two students without a document: same name, gender and birth date
  kSameNameBirth,     // same name, gender and birth date
  kSameGuardianName,  // same guardian ID number and the same child name
  kSimilarName,       // same gender and birth date, names alike by sound or one character
  // One student each.
  kIdMismatch,       // the ID number fails its check or disagrees with birth date or gender
  kPopulationCheck,  // the population check: no such person, or not this name (人口信息比对)
  kTempNumberOverdue,  // a J or L number held longer than registry.temp_number_max_days
  kGuardianIdMissing,  // no document of its own and no guardian's ID number
  kNoGuardian,         // a minor's record without any guardian
  kAgeOffGrade,        // age further from the grade's norm than registry.age_tolerance_years
  kOverdueCase,        // an open approval case past its deadline
};

/// Every kind, in the order above.
std::span<const ProblemKind> AllProblemKinds();
/// Stable machine-readable id, e.g. "same_name_birth".
std::string_view ProblemKindId(ProblemKind kind);
/// The kind's name for users, in Chinese.
std::string_view ProblemKindName(ProblemKind kind);
std::optional<ProblemKind> ParseProblemKind(std::string_view id);
/// Whether findings of the kind name two students.
bool IsPairKind(ProblemKind kind);

}  // namespace nemis::registry::quality
