#include "api/promotion_runner.hpp"

#include <nlohmann/json.hpp>

namespace nemis::api {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kInterrupt =
    "UPDATE promotion_run SET state = 'failed', error_code = 'interrupted', error_message = $1, "
    "finished_at = $2 WHERE state = 'running'";
constexpr std::string_view kInsert =
    "INSERT INTO promotion_run (org, year, state, started_by, started_at, updated_at) "
    "VALUES ($1, $2, 'running', $3, $4, $4) RETURNING id";
constexpr std::string_view kProgress =
    "UPDATE promotion_run SET done = $1, total = $2, updated_at = $3 WHERE id = $4";
constexpr std::string_view kFinish =
    "UPDATE promotion_run SET state = $1, done = $2, total = $3, report = $4, error_code = $5, "
    "error_message = $6, finished_at = $7 WHERE id = $8";
constexpr std::string_view kSelect =
    "SELECT id, org, year, state, done, total, report, error_code, error_message, started_by, "
    "started_at, finished_at, updated_at FROM promotion_run WHERE id = $1";
constexpr std::string_view kInterrupted = "节点停止，升级已中断；再次开始即从中断处继续";
// A batch takes about a second: a run silent this long died with its node.
constexpr int64_t kSilentSeconds = 300;

// {"code": [promoted, graduated, held], ...}
std::string ReportText(const registry::PromotionReport& report) {
  Json schools = Json::object();
  for (const auto& [code, t] : report.schools) schools[code] = {t.promoted, t.graduated, t.held};
  return schools.dump();
}

registry::PromotionReport ReportOf(const std::string& text) {
  registry::PromotionReport report;
  const Json schools = Json::parse(text, nullptr, false);
  if (!schools.is_object()) return report;
  for (const auto& item : schools.items()) {
    const Json& t = item.value();
    const auto at = [&t](size_t i) -> int64_t {
      return t.is_array() && t.size() > i && t[i].is_number_integer() ? t[i].get<int64_t>() : 0;
    };
    const registry::PromotionTally tally{at(0), at(1), at(2)};
    report.schools[item.key()] = tally;
    report.total.promoted += tally.promoted;
    report.total.graduated += tally.graduated;
    report.total.held += tally.held;
  }
  return report;
}

PromotionRun RunOf(const db::Row& row, std::chrono::system_clock::time_point now) {
  PromotionRun run;
  run.id = row.Int(0);
  run.org = row.Text(1);
  run.year = static_cast<int>(row.Int(2));
  run.state = row.Text(3);
  run.done = row.Int(4);
  run.of = row.Int(5);
  if (auto report = row.OptText(6)) run.report = ReportOf(*report);
  run.error_code = row.OptText(7).value_or("");
  run.error_message = row.OptText(8).value_or("");
  run.started_by = row.Text(9);
  run.started_at = row.Text(10);
  run.finished_at = row.OptText(11).value_or("");
  const auto heartbeat = ParseUtc(row.Text(12));
  if (run.state == "running" &&
      (!heartbeat || now - *heartbeat > std::chrono::seconds(kSilentSeconds))) {
    run.state = "failed";
    run.error_code = "interrupted";
    run.error_message = std::string(kInterrupted);
  }
  return run;
}

}  // namespace

PromotionRunner::~PromotionRunner() {
  stopping_ = true;
  if (worker_.joinable()) worker_.join();
}

Result<PromotionRun> PromotionRunner::Start(const std::string& account, const std::string& org,
                                            registry::PromotionOptions options) {
  std::lock_guard lock(mutex_);
  if (current_)
    return Error::Conflict("promotion_running", "第 " + std::to_string(current_->id) + " 次升级（" +
                                                    current_->org +
                                                    "）正在进行，请待其结束后再发起");
  if (worker_.joinable()) worker_.join();  // the last run has ended: its thread is done
  PromotionRun run;
  run.org = org;
  run.year = options.year;
  run.started_by = account;
  run.started_at = FormatUtc(clock_.Now());
  // No run of this process is going: one the store says is running died with its node.
  NEMIS_ASSIGN_OR_RETURN(run.id, db_.Write<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_TRY(c.Query(kInterrupt, {kInterrupted, run.started_at}));
    NEMIS_ASSIGN_OR_RETURN(auto rs,
                           c.Query(kInsert, {run.org, run.year, run.started_by, run.started_at}));
    return rs.rows.at(0).Int(0);
  }));
  current_ = run;
  options.stop = &stopping_;
  worker_ = std::thread([this, run, options] { Run(run, options); });
  return run;
}

void PromotionRunner::Run(PromotionRun run, const registry::PromotionOptions& options) {
  auto report = registry::Promote(db_, clock_, options, [&](int64_t done, int64_t of) {
    {
      std::lock_guard lock(mutex_);
      current_->done = run.done = done;
      current_->of = run.of = of;
    }
    // Progress is a courtesy: a failed write of it leaves the last one shown.
    (void)db_.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(kProgress, {done, of, FormatUtc(clock_.Now()), run.id}));
      return {};
    });
  });
  Finish(run, std::move(report));
}

void PromotionRunner::Finish(PromotionRun& run, Result<registry::PromotionReport> report) {
  run.finished_at = FormatUtc(clock_.Now());
  if (report.ok()) {
    run.state = "done";
    run.report = std::move(*report);
  } else {
    run.state = "failed";
    run.error_code = report.error().code;
    run.error_message = report.error().message;
  }
  const std::string report_text = report.ok() ? ReportText(run.report) : "";
  Status stored = db_.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query(
        kFinish, {run.state, run.done, run.of, report.ok() ? db::Param(report_text) : db::Param(),
                  run.error_code, run.error_message, run.finished_at, run.id}));
    return {};
  });
  // The store refused the end: the run stays 'running' there and the next start ends it
  // as interrupted; the work itself is committed batch by batch.
  (void)stored;
  std::lock_guard lock(mutex_);
  current_.reset();
}

Result<std::optional<PromotionRun>> PromotionRunner::Get(int64_t id) const {
  {
    std::lock_guard lock(mutex_);
    if (current_ && current_->id == id) return std::optional<PromotionRun>(*current_);
  }
  return db_.Read<std::optional<PromotionRun>>(
      [&](db::Connection& c) -> Result<std::optional<PromotionRun>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelect, {id}));
        if (rs.empty()) return std::optional<PromotionRun>();
        return std::optional<PromotionRun>(RunOf(rs.rows[0], clock_.Now()));
      });
}

}  // namespace nemis::api
