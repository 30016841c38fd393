#include "cli/exchange_node.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "base/log.hpp"
#include "cli/http_change_source.hpp"
#include "cli/national_client.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/node_request.hpp"

namespace nemis::cli {
namespace {

bool IsNodeUrl(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

struct SourceSetting {
  std::string code, url;
};

// "440000=http://a:8080;450000=https://b:8443" (";", "," or spaces between pairs: --set splits
// its own argument at commas); nullopt (after printing why) when malformed.
std::optional<std::vector<SourceSetting>> ParseSources(const std::string& text) {
  std::vector<SourceSetting> out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find_first_of(";, ", at), text.size());
    const std::string item = text.substr(at, end - at);
    at = end + 1;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || !IsNodeUrl(item.substr(eq + 1))) {
      std::cerr << "exchange.sources 的 \"" << item
                << "\" 应为 省代码=http://主机:端口 或 省代码=https://主机:TLS端口\n";
      return std::nullopt;
    }
    out.push_back({item.substr(0, eq), item.substr(eq + 1)});
  }
  return out;
}

exchange::PullerOptions OptionsFrom(const Config& config) {
  exchange::PullerOptions o;
  o.batch_changes = config.GetInt("exchange.batch_changes");
  o.batch_min_changes = config.GetInt("exchange.batch_min_changes");
  o.poll_interval = std::chrono::milliseconds(config.GetInt("exchange.poll_interval_ms"));
  o.retry_max = std::chrono::milliseconds(config.GetInt("exchange.retry_max_ms"));
  return o;
}

}  // namespace

std::unique_ptr<ExchangeNode> ExchangeNode::Open(const Config& config, api::ApiContext& ctx) {
  auto role = exchange::ParseNodeRole(config.GetString("node.role"));
  if (!role.ok()) {
    std::cerr << "node.role：" << role.error().message << "\n";
    return nullptr;
  }
  auto sources = ParseSources(config.GetString("exchange.sources"));
  if (!sources) return nullptr;
  const std::filesystem::path dir = config.GetString("node.key_dir");
  auto node = std::make_unique<ExchangeNode>();
  if (!std::filesystem::exists(dir / "node.crt")) {
    if (!sources->empty()) {
      std::cerr << "配置了 exchange.sources，但 " << dir.string()
                << " 中没有节点证书：请先执行 nemis node init\n";
      return nullptr;
    }
    return node;  // a node without an identity takes no part in the exchange
  }
  auto identity = exchange::LoadNodeIdentity(dir);
  if (!identity.ok()) {
    std::cerr << "无法读取节点身份：" << identity.error().message << "\n";
    return nullptr;
  }
  if (identity->role != *role || identity->code != config.GetString("node.code")) {
    std::cerr << "节点证书为 " << identity->code << "（" << exchange::NodeRoleId(identity->role)
              << "），与 node.code / node.role 的设置不一致\n";
    return nullptr;
  }
  const std::string national = config.GetString("exchange.national");
  const bool calls_over_tls =
      national.starts_with("https://") ||
      std::any_of(sources->begin(), sources->end(),
                  [](const SourceSetting& s) { return s.url.starts_with("https://"); });
  if (calls_over_tls && !identity->tls) {
    std::cerr << "exchange.sources 或 exchange.national 使用 https://，但本节点没有 TLS 证书："
                 "请先执行 nemis node tls\n";
    return nullptr;
  }
  if (*role == exchange::NodeRole::kProvincial && !sources->empty()) {
    std::cerr << "exchange.sources 只用于国家节点\n";
    return nullptr;
  }
  for (const SourceSetting& s : *sources) {
    node->pullers_.push_back(std::make_unique<exchange::SourcePuller>(
        ctx.db, ctx.cipher, *identity, s.code,
        MakeHttpChangeSource(*identity, s.code, s.url,
                             config.GetBool("exchange.compress")
                                 ? exchange::PayloadEncoding::kZstd
                                 : exchange::PayloadEncoding::kPlain),
        OptionsFrom(config)));
  }
  if (*role == exchange::NodeRole::kProvincial && !national.empty()) {
    if (!IsNodeUrl(national)) {
      std::cerr << "exchange.national 应为 http://主机:端口 或 https://主机:TLS端口\n";
      return nullptr;
    }
    node->national_poll_ = std::make_unique<exchange::NationalPoller>(
        ctx.db, ctx.cipher, *ctx.cases, identity->code, NationalCalls(ctx.db, *identity, national),
        std::chrono::milliseconds(
            std::max<int64_t>(config.GetInt("exchange.conflict_poll_ms"), 100)));
  }
  if (node->national_poll_) {
    exchange::NationalPoller* poller = node->national_poll_.get();
    ctx.exchange_national_poll = [poller] { return poller->Status(); };
  }
  ctx.node = std::make_unique<exchange::NodeIdentity>(std::move(*identity));
  ctx.node_requests = std::make_unique<exchange::NodeRequestVerifier>();
  ExchangeNode* self = node.get();
  ctx.exchange_sources = [self] {
    std::vector<exchange::SourceStatus> out;
    for (const auto& p : self->pullers_) out.push_back(p->Status());
    return out;
  };
  return node;
}

ExchangeNode::~ExchangeNode() { Stop(); }

void ExchangeNode::Start() {
  if (national_poll_) {
    national_poll_->Start();
    log::Info("exchange_national_poll_started");
  }
  for (auto& p : pullers_) {
    p->Start();
    log::Info("exchange_pull_started", {{"source", p->source_code()}});
  }
}

void ExchangeNode::Stop() {
  if (national_poll_) national_poll_->Stop();
  for (auto& p : pullers_) p->Stop();
}

}  // namespace nemis::cli
