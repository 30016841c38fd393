// Institutions as they cross between nodes (exchange/): read whole by internal id on the
// source node, written by code (their natural key) on the receiving one. What a node keeps of
// another's tree is a replica: the source's values as they are, including the promotion
// count students' grades are derived from (registry/current_grade.hpp), so a replicated
// student's grade is the one its own node shows.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"

namespace nemis::org {

struct ReplicaInstitution {
  Institution institution;
  int64_t promotions = 0;     // org.promotions
  int64_t promoted_year = 0;  // org.promoted_year
};

/// The institutions of `ids` that exist, in id order.
Result<std::vector<ReplicaInstitution>> LoadInstitutionsForExchange(db::Connection& c,
                                                                    std::span<const int64_t> ids);

/// Inserts or replaces the institution of the same code, inside the write transaction `c`,
/// and logs the change. A source writes only its own province: an institution outside
/// `source_province` (or the national root) is refused with "record_outside_source"; one
/// whose parent this node does not hold with "unknown_parent".
Status WriteReplicaInstitution(db::Connection& c, const ReplicaInstitution& replica,
                               std::string_view source_province, std::string_view now);

}  // namespace nemis::org
