// Operations endpoints: liveness, readiness (the store answers and the server is
// not draining), Prometheus metrics, and the API description (docs_routes.cpp).
#include <cstdio>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/docs_routes.hpp"
#include "base/metrics.hpp"
#include "exchange/national_poller.hpp"
#include "exchange/source_puller.hpp"
#include "stats/stats_engine.hpp"

namespace nemis::api {
namespace {

http::Response Text(std::string content_type, std::string body) {
  http::Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

// The statistics engine's state as gauges (base/metrics.hpp has counters only).
std::string StatsEngineGauges(const stats::StatsEngine* engine) {
  if (engine == nullptr) return {};
  const stats::EngineFigures f = engine->Figures();
  std::string out;
  const auto gauge = [&out](std::string_view name, std::string_view help, int64_t value) {
    out += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " +
           std::string(name) + " gauge\n" + std::string(name) + " " + std::to_string(value) + "\n";
  };
  gauge("nemis_stats_ready", "1 once the statistics engine has loaded the registry", f.ready);
  gauge("nemis_stats_students", "Students in the statistics engine's projection", f.students);
  gauge("nemis_stats_applied_seq", "Last change-log sequence number the engine applied",
        f.applied_seq);
  gauge("nemis_stats_memory_bytes", "Memory of the statistics engine's projection",
        static_cast<int64_t>(f.memory_bytes));
  return out;
}

// A national node's pull from each province, as gauges labelled by source.
std::string ExchangeGauges(const ApiContext& ctx) {
  if (!ctx.exchange_sources) return {};
  const std::vector<exchange::SourceStatus> sources = ctx.exchange_sources();
  if (sources.empty()) return {};
  std::string out;
  const auto family = [&](std::string_view name, std::string_view help, auto value) {
    out += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " +
           std::string(name) + " gauge\n";
    for (const exchange::SourceStatus& s : sources) {
      char number[32];
      std::snprintf(number, sizeof number, "%.15g", static_cast<double>(value(s)));
      out += std::string(name) + "{source=\"" + s.source + "\"} " + number + "\n";
    }
  };
  family("nemis_exchange_backlog", "Changes of the source not applied here yet",
         [](const exchange::SourceStatus& s) { return s.Backlog(); });
  family("nemis_exchange_lag_seconds", "Seconds since the pull from the source was last caught up",
         [](const exchange::SourceStatus& s) { return s.lag_seconds; });
  family("nemis_exchange_checkpoint", "The source's last change applied here",
         [](const exchange::SourceStatus& s) { return s.checkpoint; });
  family("nemis_exchange_failures", "Failed pulls from the source since the node started",
         [](const exchange::SourceStatus& s) { return s.failures; });
  return out;
}

// A provincial node's poll of the national node: conflicts, transfers and divisions.
std::string NationalPollGauges(const ApiContext& ctx) {
  if (!ctx.exchange_national_poll) return {};
  const exchange::NationalPollStatus s = ctx.exchange_national_poll();
  std::string out;
  const auto gauge = [&](std::string_view name, std::string_view help, int64_t value) {
    out += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " +
           std::string(name) + " gauge\n" + std::string(name) + " " + std::to_string(value) + "\n";
  };
  gauge("nemis_exchange_conflict_poll_ok",
        "1 when the last poll of the national node (conflicts, transfers, divisions) went through",
        s.last_ok ? 1 : 0);
  gauge("nemis_exchange_conflict_poll_failures", "Failed polls of the national node since start",
        s.failures);
  gauge("nemis_exchange_conflict_cases_opened", "Cross-province duplicate cases opened since start",
        s.cases_opened);
  gauge("nemis_exchange_conflict_registrations_ended",
        "Registrations ended here since start: conflicts resolved for another province",
        s.registrations_ended);
  gauge("nemis_exchange_transfer_cases_opened",
        "Cross-province transfer cases opened here since start: transfers asked of this province",
        s.transfer_cases_opened);
  gauge("nemis_exchange_transfers_enrolled",
        "Students enrolled here since start from a transfer another province released",
        s.transfers_enrolled);
  gauge("nemis_exchange_transfer_failures",
        "Transfer items that could not be carried out since start (retried every round)",
        s.transfer_failures);
  gauge("nemis_exchange_division_changes_received",
        "Division changes received from the national node since start",
        s.division_changes_received);
  return out;
}

}  // namespace

void AddHealthRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions on_io{.inline_on_io = true, .access = "public"};
  router.Add(
      "GET", "/healthz",
      [](http::Request&) {
        return JsonResponse(200, {{"status", "ok"}});
      },
      on_io);
  router.Add(
      "GET", "/readyz",
      [&ctx](http::Request& request) {
        if (ctx.draining && ctx.draining())
          return ErrorJson({ErrorKind::kUnavailable, "draining", "服务正在停止", {}}, request);
        Status ping = ctx.db.Ping();
        if (!ping.ok())
          return ErrorJson(Error::Unavailable("数据库不可用：" + ping.error().message), request);
        return JsonResponse(200, {{"status", "ready"}});
      },
      {.access = "public"});
  router.Add(
      "GET", "/metrics",
      [&ctx](http::Request&) {
        return Text("text/plain; version=0.0.4; charset=utf-8",
                    MetricsRegistry::Global().RenderText() + StatsEngineGauges(ctx.stats_engine) +
                        ExchangeGauges(ctx) + NationalPollGauges(ctx));
      },
      on_io);
  AddDocsRoutes(router);
}

}  // namespace nemis::api
