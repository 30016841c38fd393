// A province's question to the national node (exchange/student_lookup.hpp): whether the
// country holds a registration of a document or student number, and where. Signed with
// this node's certificate; the answer is checked (the national node's certificate from the
// CA, its signature) and opened with this node's key.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "db/database.hpp"
#include "exchange/node_identity.hpp"

namespace nemis::cli {

/// The national node's view of the student `query` names ({"idType", "idNumber"} or
/// {"studentNumber"}), nullopt when it holds none. Errors: "peer_unavailable", "peer_refused"
/// (the national node's refusal, its message), and the answer's own check failures.
Result<std::optional<nlohmann::json>> AskNationalNode(db::Database& db,
                                                      const exchange::NodeIdentity& self,
                                                      const std::string& national_url,
                                                      const nlohmann::json& query);

}  // namespace nemis::cli
