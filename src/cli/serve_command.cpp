// nemis serve: the HTTP server on the configured store.
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/api_context.hpp"
#include "api/audit_trail.hpp"
#include "api/import_runner.hpp"
#include "audit/audit_log.hpp"
#include "audit/audit_settings.hpp"
#include "audit/signing_key.hpp"
#include "base/log.hpp"
#include "cli/audit_checkpointer.hpp"
#include "cli/cli_common.hpp"
#include "cli/division_refresher.hpp"
#include "cli/exchange_node.hpp"
#include "cli/log_sealer.hpp"
#include "http/server.hpp"
#include "identity/account_store.hpp"
#include "portal/portal.hpp"
#include "registry/registry_calendar.hpp"
#include "stats/stats_engine.hpp"
#include "workflow/node_calendar.hpp"

namespace nemis::cli {
namespace {

// How often the node looks for a division change recorded by another process.
constexpr std::chrono::seconds kDivisionRefreshInterval{5};

struct ServeFlags {
  CommonFlags common;
  std::optional<int> port;
  std::optional<std::string> address;
  std::optional<std::string> role;
};

http::ServerOptions ServerOptionsFrom(const Config& c) {
  http::ServerOptions o;
  o.address = c.GetString("server.address");
  o.port = static_cast<int>(c.GetInt("server.port"));
  o.io_threads = static_cast<int>(c.GetInt("server.io_threads"));
  o.workers = static_cast<int>(c.GetInt("server.workers"));
  o.max_header_bytes = static_cast<size_t>(c.GetInt("server.max_header_bytes"));
  o.max_body_bytes = static_cast<uint64_t>(c.GetInt("server.max_body_bytes"));
  o.max_upload_bytes = static_cast<uint64_t>(c.GetInt("server.max_upload_bytes"));
  o.request_timeout = std::chrono::milliseconds(c.GetInt("server.request_timeout_ms"));
  o.idle_timeout = std::chrono::milliseconds(c.GetInt("server.idle_timeout_ms"));
  o.shutdown_grace = std::chrono::milliseconds(c.GetInt("server.shutdown_grace_ms"));
  o.queue_limit = static_cast<size_t>(c.GetInt("server.queue_limit"));
  o.spool_dir = c.GetString("server.spool_dir");
  o.access_log = c.GetBool("log.access");
  return o;
}

// A node without accounts gets a security administrator (who then creates the
// others) with a one-time password, printed once and to be changed at first login.
bool EnsureFirstAdministrator(db::Database& db, const Config& config) {
  identity::AccountStore accounts(db, identity::IdentitySettings::FromConfig(config));
  auto any = accounts.AnyAccount();
  if (any.ok() && *any) return true;
  std::string node = config.GetString("node.code");
  auto created =
      any.ok()
          ? accounts.Create({"admin", "安全管理员", node, {}, true, {{"security_admin", node}}})
          : Result<identity::CreatedAccount>(any.error());
  if (!created.ok()) {
    std::cerr << "无法创建首个管理员账号: " << created.error().message << "\n";
    return false;
  }
  std::cout << "首次启动：已创建安全管理员账号 admin，一次性密码 " << created->generated_password
            << "（只显示这一次，首次登录后须修改）" << std::endl;
  log::Info("first_administrator_created", {{"login", "admin"}});
  return true;
}

// node.tls_port: the node-to-node routes on a port of their own over mutual TLS
// (exchange/node_tls.hpp), with their own I/O threads and workers, run beside the main server
// and stopped after it.
class NodeTlsPort {
 public:
  ~NodeTlsPort() { Stop(); }
  /// False (after printing why) when the port is set but cannot be served.
  bool Open(const Config& config, api::ApiContext& ctx) {
    const int64_t port = config.GetInt("node.tls_port");
    if (port <= 0) return true;
    if (!ctx.node || !ctx.node->tls) {
      std::cerr << "设置了 node.tls_port，但本节点没有 TLS 证书：请先执行 nemis node tls\n";
      return false;
    }
    api::AddNodeRoutes(router_, ctx);
    http::ServerOptions options = ServerOptionsFrom(config);
    options.port = static_cast<int>(port);
    options.tls = *ctx.node->tls;
    server_ = std::make_unique<http::Server>(options, router_);
    if (auto bound = server_->Listen(); !bound.ok()) {
      std::cerr << "无法在节点 TLS 端口 " << port << " 上监听 — " << bound.error().message << "\n";
      return false;
    }
    ctx.node_tls_only = true;
    return true;
  }
  void Start() {
    if (server_) thread_ = std::thread([this] { server_->Run(false); });
  }
  void Stop() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }

 private:
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

int Serve(ServeFlags& flags) {
  if (flags.port) flags.common.overrides["server.port"] = std::to_string(*flags.port);
  if (flags.address) flags.common.overrides["server.address"] = *flags.address;
  if (flags.role) flags.common.overrides["node.role"] = *flags.role;
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  if (auto calendar = registry::RegistryCalendarFromConfig(*config); !calendar.ok()) {
    std::cerr << calendar.error().fields.front().message << "\n";
    return kExitUsage;
  }
  if (auto holidays =
          workflow::NodeCalendar(config->GetString(std::string(workflow::kHolidayCalendarSetting)));
      !holidays.ok()) {
    std::cerr << holidays.error().message << "\n";
    return kExitUsage;
  }
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto cipher = LoadFieldCipher(*config);
  if (!cipher) return kExitFailed;
  std::filesystem::create_directories(config->GetString("server.spool_dir"));
  api::ImportRunner imports(
      *db, *cipher,
      (std::filesystem::path(config->GetString("server.spool_dir")) / "imports").string());
  http::Router router;
  http::Server* server_ptr = nullptr;
  if (!EnsureFirstAdministrator(*db, *config)) return kExitFailed;
  auto audit_settings = audit::AuditSettings::FromConfig(*config);
  auto audit_key = audit::LoadOrCreateSigningKey(audit_settings.signing_key_file);
  if (!audit_key.ok()) {
    std::cerr << "无法读取审计签名密钥: " << audit_key.error().message << "\n";
    return kExitFailed;
  }
  api::ApiContext ctx(*db, *config, *cipher, &imports,
                      [&server_ptr] { return server_ptr && server_ptr->draining(); });
  // Before the checkpointer, so that it seals once more after the last checkpoint.
  LogSealer sealer(*db, std::chrono::milliseconds(config->GetInt("store.seal_interval_ms")));
  // After the context (its tallies are flushed when the checkpointer stops), before the
  // server (which stops first). What the checkpoint signs is sealed first. It signs a
  // checkpoint of what the log holds now before the server takes requests.
  AuditCheckpointer checkpointer(*db, std::move(*audit_key), audit_settings, [&ctx] {
    (void)api::FlushAccessTally(ctx);  // a failure is logged there
    (void)audit::SealAll(ctx.db);      // and by the sealer, which retries
  });
  // A division change recorded beside the running node, or one whose day has come, reaches the
  // tree and the lookups within seconds.
  DivisionRefresher divisions(*db, config->GetString("node.code"), kDivisionRefreshInterval);
  // Loads on its own thread: until it has, counts come from the store's SQL.
  std::unique_ptr<stats::StatsEngine> stats_engine;
  if (config->GetBool("stats.engine")) {
    stats::EngineOptions engine_options;
    engine_options.poll_interval =
        std::chrono::milliseconds(config->GetInt("stats.poll_interval_ms"));
    engine_options.rollups =
        static_cast<size_t>(std::max<int64_t>(config->GetInt("stats.rollups"), 0));
    engine_options.rollup_max_keys =
        static_cast<size_t>(std::max<int64_t>(config->GetInt("stats.rollup_max_keys"), 0));
    stats_engine = std::make_unique<stats::StatsEngine>(*db, engine_options, ctx.clock);
    stats_engine->Start();
    ctx.stats_engine = stats_engine.get();
  }
  // The exchange between nodes: its identity for the routes, a national node's pullers.
  std::unique_ptr<ExchangeNode> exchange_node = ExchangeNode::Open(*config, ctx);
  if (!exchange_node) return kExitUsage;
  api::AddAllRoutes(router, ctx);
  NodeTlsPort node_tls;
  if (!node_tls.Open(*config, ctx)) return kExitUsage;
  auto portal =
      std::make_shared<portal::Portal>(portal::ResolvePortalDir(config->GetString("portal.dir")));
  // The server starts anyway: "/" then answers 503 with a page saying how to build it, and
  // serves the portal as soon as it is built.
  if (!portal->Built())
    log::Warn("portal_not_built",
              {{"dir", portal->root().string()}, {"build", "cd web && npm ci && npm run build"}});
  portal::AddPortal(router, portal);
  http::Server server(ServerOptionsFrom(*config), router);
  server_ptr = &server;
  auto port = server.Listen();
  if (!port.ok()) {
    std::cerr << "无法监听 " << config->GetString("server.address") << ":"
              << config->GetInt("server.port") << " — " << port.error().message << "\n";
    return kExitFailed;
  }
  std::string url =
      "http://" + config->GetString("server.address") + ":" + std::to_string(*port) + "/";
  if (ctx.oidc.issuer.empty())
    ctx.oidc.issuer = url.substr(0, url.size() - 1);  // before the first request
  std::cout << "NEMIS 已启动: " << url << std::endl;
  std::cout << (portal->Built() ? "门户: " + url
                                : "门户尚未构建（" + portal->root().string() +
                                      "）：cd web && npm ci && npm run build")
            << std::endl;
  log::Info("server_started",
            {{"url", url},
             {"store", db->backend() == db::Backend::kSqlite ? "sqlite" : "postgresql"},
             {"portal", portal->root().string()}});
  exchange_node->Start();
  node_tls.Start();
  server.Run(true);
  node_tls.Stop();
  exchange_node->Stop();
  log::Info("server_stopped");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the HTTP server");
  AddCommonFlags(*cmd, flags->common);
  cmd->add_option("--port", flags->port, "TCP port (overrides server.port; 0 picks a free one)");
  cmd->add_option("--address", flags->address, "Listen address (overrides server.address)");
  cmd->add_option("--role", flags->role,
                  "national or provincial: the node's part in the exchange (overrides node.role)");
  cmd->callback([flags, &exit_code] { exit_code = Serve(*flags); });
}

}  // namespace nemis::cli
