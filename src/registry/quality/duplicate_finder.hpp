// Suspected duplicates among students held in memory, found by blocking keys (never by
// comparing all pairs): students are grouped by (birth date, gender), and within a group
// by name (same_name_birth, no_id_same_person), by the name's pinyin and by the name with
// one character left out (similar_name, scored by pair_score.hpp); across the node by
// (guardian ID number, child name) (same_guardian_name) and by document number
// (same_id_number). A pair found by several keys is reported once, by its surest kind.
#pragma once

#include <vector>

#include "registry/quality/finding.hpp"
#include "registry/quality/scan_row.hpp"

namespace nemis::registry::quality {

/// Keys shared by more students than this are common name shapes, not evidence; their
/// students are still compared through their other keys.
inline constexpr size_t kMaxBlockRun = 200;

/// The pairs among `rows` (reordered), similar_name pairs only from `threshold` up.
std::vector<Finding> FindDuplicates(std::vector<ScanRow>& rows, int threshold);

}  // namespace nemis::registry::quality
