// The national node's way to a province's changes over HTTP: GET /exchange/v1/changes on the
// province's node, signed with this node's certificate (exchange/node_request.hpp).
#pragma once

#include <memory>
#include <string>

#include "exchange/batch_envelope.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/source_puller.hpp"

namespace nemis::cli {

/// A source at `base_url` (http://host:port) for the node `self`; `source_code` is the
/// province's node code the requests are addressed to. Batches are asked for `encoding`
/// (a province that predates v2 answers v1 whatever is asked).
std::unique_ptr<exchange::ChangeSource> MakeHttpChangeSource(exchange::NodeIdentity self,
                                                             std::string source_code,
                                                             std::string base_url,
                                                             exchange::PayloadEncoding encoding);

}  // namespace nemis::cli
