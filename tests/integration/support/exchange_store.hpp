// What the exchange's integration tests read of a node's store: query results read directly,
// read-only, while the node runs (its `nemis serve` a child of the test) or after it was
// killed; and `nemis exchange digest` of a province, with its lines and counts.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nemis::it {

// Every row of a query on the store at `url` (cells as text, NULL as ""). Throws
// std::runtime_error when it cannot be read.
std::vector<std::vector<std::string>> QueryRows(const std::string& url, const std::string& sql);
// The integer of the first row's first cell. Throws std::runtime_error when it cannot be read,
// or there is no row, or that cell is NULL.
int64_t QueryInt(const std::string& url, const std::string& sql);
// One cell, or "(N rows)" when the query does not give exactly one row.
std::string QueryText(const std::string& url, const std::string& sql);

// "institutions N SM3\nstudents N SM3\n" of what the store of the node with `settings` holds
// of `province` (`nemis exchange digest --province`); a failure of the test when it fails.
std::string Digest(const std::map<std::string, std::string>& settings,
                   const std::string& province = "440000");
// The count of `table` ("institutions", "students") in a digest; -1 when it is not there.
int64_t DigestCount(const std::string& digest, const std::string& table);
// The line of `table` in a digest; "" when it is not there.
std::string DigestLine(const std::string& digest, const std::string& table);

}  // namespace nemis::it
