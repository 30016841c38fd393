// A unit's annual statistics frozen for submission (统计上报): its forms as of the point in
// time and its head count. A school's come from the registry; a region's are the sum of its
// units' approved snapshots, so what a county sends up is exactly what it approved. The
// canonical JSON (keys sorted, no spaces) is what the SM3 digest and the signatures cover.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "stats/form_table.hpp"

namespace nemis::stats {

struct Snapshot {
  int year = 0;  // the school year's first calendar year (2026 for 2026-2027学年)
  std::string org_code;
  Date point;            // its point in time (1 September)
  int64_t students = 0;  // students in school (在校生) at the point in time
  int64_t schools = 0;   // schools summed (1 for a school)
  std::vector<std::string> schools_without_students;
  std::vector<FormTable> forms;  // the forms that count anyone, in catalogue order
};

/// The point in time of `year`'s statistics: 1 September of that year.
Date PointOfYear(int year);

/// Whether a filled form counts anyone (a primary school has no senior-high form).
bool CountsAnyone(const FormTable& t);

nlohmann::json SnapshotJson(const Snapshot& s);
/// Reads SnapshotJson's form back (a stored snapshot, or one in a signed document).
Result<Snapshot> SnapshotFromJson(const nlohmann::json& j);

/// `parts` summed as `org_code`'s (a cell one part cannot compute stays uncomputed), with
/// the forms' cross-checks run on the sums.
Snapshot SumSnapshots(int year, const std::string& org_code, const std::vector<Snapshot>& parts);

/// What a submission's signatures cover: the snapshot with the explanations of its warnings.
std::string SubmissionText(const nlohmann::json& snapshot,
                           const std::map<std::string, std::string>& explanations);
/// SM3 of SubmissionText, in hex.
std::string SubmissionDigest(const nlohmann::json& snapshot,
                             const std::map<std::string, std::string>& explanations);

}  // namespace nemis::stats
