// What `nemis serve` runs of the exchange between nodes: the node's identity (node.key_dir)
// for the exchange routes; on a national node one puller per provincial node named in
// exchange.sources; on a provincial node with exchange.national, the poller of the national
// node (its conflicts about this province's students and the cross-province transfers,
// exchange/national_poller.hpp). Started with the server and stopped before it.
#pragma once

#include <memory>
#include <vector>

#include "api/api_context.hpp"
#include "base/config.hpp"
#include "exchange/national_poller.hpp"
#include "exchange/source_puller.hpp"

namespace nemis::cli {

class ExchangeNode {
 public:
  /// Reads the identity and the sources; prints what is wrong and returns null when the
  /// settings do not fit together (a role other than the certificate's, sources on a
  /// provincial node, sources without an identity, a malformed source).
  static std::unique_ptr<ExchangeNode> Open(const Config& config, api::ApiContext& ctx);
  ~ExchangeNode();

  void Start();
  void Stop();

 private:
  std::vector<std::unique_ptr<exchange::SourcePuller>> pullers_;
  std::unique_ptr<exchange::NationalPoller> national_poll_;
};

}  // namespace nemis::cli
