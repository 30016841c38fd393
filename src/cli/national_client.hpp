// A province's calls to the national node: signed with this node's certificate
// (exchange/node_request.hpp); the answer checked (the national node's certificate from the
// CA, its signature) and opened with this node's key (exchange/batch_envelope.hpp).
//   - the national view of a student (exchange/student_lookup.hpp): whether the country holds
//     a registration of a document or student number, and where;
//   - the one-person-one-number conflicts about this province's students
//     (exchange/conflict_notices.hpp) and its verdicts on them (conflict_resolution.hpp);
//   - the cross-province transfers (exchange/transfer_messages.hpp);
//   - what it holds of this province, for the recovery after a restore (exchange/recovery.hpp);
//   - the division changes it recorded (exchange/division_feed.hpp);
//   - a TLS certificate for this node's TLS key (exchange/node_tls.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/config.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "exchange/conflict_notices.hpp"
#include "exchange/conflict_resolution.hpp"
#include "exchange/national_poller.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/recovery.hpp"
#include "exchange/transfer_messages.hpp"

namespace nemis::cli {

/// The national node's address: `flag` (--national) when given, else exchange.national;
/// "not_configured" when neither names it.
Result<std::string> NationalNodeUrl(const std::string& flag, const Config& config);

/// The national node's view of the student `query` names ({"idType", "idNumber"} or
/// {"studentNumber"}), nullopt when it holds none. Errors: "peer_unavailable", "peer_refused"
/// (the national node's refusal, its message), and the answer's own check failures.
Result<std::optional<nlohmann::json>> AskNationalNode(db::Database& db,
                                                      const exchange::NodeIdentity& self,
                                                      const std::string& national_url,
                                                      const nlohmann::json& query);

/// The national node's open conflicts about this province; errors as AskNationalNode's.
Result<exchange::ReportedConflicts> FetchConflicts(db::Database& db,
                                                   const exchange::NodeIdentity& self,
                                                   const std::string& national_url);

/// Sends this province's verdicts on conflicts (exchange/conflict_resolution.hpp); errors as
/// AskNationalNode's.
Status ReportVerdicts(db::Database& db, const exchange::NodeIdentity& self,
                      const std::string& national_url,
                      const std::vector<exchange::ConflictVerdict>& verdicts);

/// Posts this province's transfer requests, verdicts and completions and returns the
/// national node's answer (exchange/transfer_messages.hpp); errors as AskNationalNode's.
Result<exchange::TransferAnswer> ExchangeTransfers(db::Database& db,
                                                   const exchange::NodeIdentity& self,
                                                   const std::string& national_url,
                                                   const exchange::TransferPost& post);

/// One page of what the national node holds of this province (exchange/recovery.hpp); errors as
/// AskNationalNode's.
Result<exchange::RecoveryPage> FetchRecoveryPage(db::Database& db,
                                                 const exchange::NodeIdentity& self,
                                                 const std::string& national_url,
                                                 std::string_view kind, int64_t after);

/// The division changes the national node recorded after `after` (exchange/division_feed.hpp);
/// errors as AskNationalNode's.
Result<exchange::DivisionFeed> FetchDivisionChanges(db::Database& db,
                                                    const exchange::NodeIdentity& self,
                                                    const std::string& national_url, int64_t after);

/// All of them, as the poller of the national node calls them (exchange/national_poller.hpp).
exchange::NationalPoller::National NationalCalls(db::Database& db,
                                                 const exchange::NodeIdentity& self,
                                                 const std::string& national_url);

/// The national node's certificate for this node's TLS key `public_key_pem`; errors as
/// AskNationalNode's.
Result<std::string> RequestTlsCertificate(db::Database& db, const exchange::NodeIdentity& self,
                                          const std::string& national_url,
                                          const std::string& public_key_pem);

}  // namespace nemis::cli
