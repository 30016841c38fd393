// Cross-province transfers whose sending province is on another node (registry/
// transfer_external.hpp): what the exchange between nodes needs to carry the case there (the
// number and name as the family gave them, sealed with the node's field key), beside the
// case itself, which waits at the other node's step until the exchange answers.
#include <string_view>

namespace nemis::db {

std::string_view Migration0016ExternalTransfer() {
  return R"SQL(
CREATE TABLE external_transfer (
  case_id BIGINT PRIMARY KEY REFERENCES wf_case (id),
  node TEXT NOT NULL,          -- the other node, as its party is named: node:PP
  person TEXT NOT NULL,        -- sealed JSON: studentNumber, name
  created_at TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
