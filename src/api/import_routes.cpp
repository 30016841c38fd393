// /api/v1/imports: roster uploads imported in the background, their progress and reports.
#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "api/duplicate_probe.hpp"
#include "api/import_runner.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

Result<importer::TextEncoding> EncodingParam(const http::Request& req) {
  auto v = req.Query("encoding").value_or("auto");
  if (v == "auto") return importer::TextEncoding::kAuto;
  if (v == "utf-8" || v == "utf8") return importer::TextEncoding::kUtf8;
  if (v == "gb18030" || v == "gbk") return importer::TextEncoding::kGb18030;
  return Error::BadRequest("bad_parameter", "encoding 应为 auto、utf-8 或 gb18030");
}

// The task, if the caller may see it: a task belongs to the account that submitted it.
std::optional<ImportTask> VisibleTask(ApiContext& ctx, const http::Request& req,
                                      const Caller& caller) {
  auto task = ctx.imports->Get(req.PathParam("id"));
  if (!task || task->owner != caller.account) return std::nullopt;
  return task;
}

Result<bool> BoolParam(const http::Request& req, std::string_view name) {
  auto v = req.Query(name).value_or("false");
  if (v == "true" || v == "false") return v == "true";
  return Error::BadRequest("bad_parameter", std::string(name) + " 应为 true 或 false");
}

http::Response Submit(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto skip = BoolParam(req, "skipInvalid");
  if (!skip.ok()) return ErrorJson(skip.error(), req);
  auto dry_run = BoolParam(req, "dryRun");
  if (!dry_run.ok()) return ErrorJson(dry_run.error(), req);
  auto encoding = EncodingParam(req);
  if (!encoding.ok()) return ErrorJson(encoding.error(), req);
  importer::ImportOptions options;
  options.skip_invalid = *skip;
  options.dry_run = *dry_run;
  options.scope = caller.scope;
  options.csv.encoding = *encoding;
  options.batch_rows = static_cast<size_t>(ctx.config.GetInt("import.batch_rows"));
  options.first_load_min_rows =
      static_cast<size_t>(ctx.config.GetInt("import.first_load_min_rows"));
  options.threads = static_cast<int>(ctx.config.GetInt("import.threads"));
  options.max_errors = static_cast<size_t>(ctx.config.GetInt("import.max_errors"));
  options.csv.max_field_bytes = static_cast<size_t>(ctx.config.GetInt("import.max_field_bytes"));
  // Rows registered at schools outside the caller's scope are hits like refused
  // registrations: audited, counted, and an account probing guessed IDs is stopped.
  auto probe = std::make_shared<DuplicateProbeWatch>(ctx, req, caller);
  if (Status s = probe->Check(); !s.ok()) return ErrorJson(s.error(), req);
  options.on_registered_elsewhere = [probe](uint64_t line, std::string_view id_number) {
    return probe->RecordHit(id_number, {{"via", "import"}, {"line", line}});
  };
  auto id = ctx.imports->Submit(req.body_file, std::move(options), caller.account);
  if (!id.ok()) return ErrorJson(id.error(), req);
  http::Response r =
      JsonResponse(202, {{"id", *id}, {"state", "queued"}, {"href", "/api/v1/imports/" + *id}});
  r.SetHeader("Location", "/api/v1/imports/" + *id);
  return r;
}

http::Response TaskStatus(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto task = VisibleTask(ctx, req, caller);
  if (!task) return ErrorJson(Error::NotFound("导入任务不存在"), req);
  Json body = {{"id", task->id},
               {"state", task->state},
               {"progress",
                {{"phase", task->progress.phase},
                 {"rows", task->progress.rows},
                 {"bytes", task->progress.bytes},
                 {"totalBytes", task->progress.total_bytes}}}};
  if (!task->report_json.empty()) body["report"] = Json::parse(task->report_json, nullptr, false);
  return JsonResponse(200, body);
}

http::Response TaskReport(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto format = req.Query("format").value_or("json");
  if (format != "json" && format != "csv")
    return ErrorJson(Error::BadRequest("bad_parameter", "format 应为 json 或 csv"), req);
  auto task = VisibleTask(ctx, req, caller);
  if (!task) return ErrorJson(Error::NotFound("导入任务不存在"), req);
  if (task->state != "finished")
    return ErrorJson(Error::Conflict("import_not_finished", "导入尚未完成，报告暂不可用"), req);
  http::Response r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = ctx.imports->ReportCsv(task->id).value_or("");
  } else {
    r.body = task->report_json;
  }
  r.SetHeader("Content-Disposition",
              "attachment; filename=\"import-" + task->id + "." + std::string(format) + "\"");
  return r;
}

}  // namespace

// Imports need the runner; a context without one (tests of other routes) answers 503.
ScopedHandler NeedsRunner(ApiContext& ctx,
                          http::Response (*handler)(ApiContext&, http::Request&, const Caller&)) {
  return [&ctx, handler](http::Request& req, const Caller& caller) {
    if (!ctx.imports)
      return ErrorJson(Error{ErrorKind::kUnavailable, "imports_disabled", "本节点未启用导入", {}},
                       req);
    return handler(ctx, req, caller);
  };
}

void AddImportRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "POST", "/api/v1/imports/students", Access::Needs(perm::kImportCreate),
              NeedsRunner(ctx, Submit), {.upload = true});
  AddApiRoute(router, ctx, "GET", "/api/v1/imports/{id}", Access::Needs(perm::kImportCreate),
              NeedsRunner(ctx, TaskStatus));
  AddApiRoute(router, ctx, "GET", "/api/v1/imports/{id}/report", Access::Needs(perm::kImportCreate),
              NeedsRunner(ctx, TaskReport));
}

}  // namespace nemis::api
