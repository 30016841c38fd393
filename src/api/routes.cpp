#include "api/access_tally.hpp"
#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/class_assignment_routes.hpp"
#include "api/login_throttle.hpp"
#include "api/principal_cache.hpp"
#include "api/promotion_runner.hpp"
#include "api/public_routes.hpp"
#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/node_request.hpp"
#include "registry/graduation.hpp"
#include "registry/quality/student_merge.hpp"
#include "registry/status_change_cases.hpp"
#include "registry/student_correction.hpp"
#include "registry/transfer.hpp"
#include "stats/signer_keys.hpp"
#include "stats/submission_store.hpp"
#include "workflow/case_store.hpp"
#include "workflow/node_calendar.hpp"

namespace nemis::api {

namespace {

// The year-end calendar as configured; `nemis serve` refused to start with a bad one.
registry::RegistryCalendar CalendarFrom(const Config& config) {
  auto calendar = registry::RegistryCalendarFromConfig(config);
  return calendar.ok() ? *calendar : registry::RegistryCalendar::National();
}

// `nemis serve` refuses a bad file before it gets here (serve_command.cpp).
workflow::WorkingCalendar WorkingCalendarFrom(const Config& config) {
  auto calendar =
      workflow::NodeCalendar(config.GetString(std::string(workflow::kHolidayCalendarSetting)));
  if (calendar.ok()) return std::move(calendar).value();
  return workflow::WorkingCalendar::Shipped();
}

registry::TransferRules TransferRulesFrom(const Config& config) {
  auto rules =
      registry::TransferRules::Parse(config.GetString("registry.transfer_same_grade_provinces"));
  rules.calendar = CalendarFrom(config);
  return rules;
}

registry::StatusChangeSettings StatusChangeSettingsFrom(const Config& config) {
  auto settings = registry::StatusChangeSettings::Parse(
      config.GetString("registry.compulsory_grade_change_provinces"));
  settings.calendar = CalendarFrom(config);
  return settings;
}

}  // namespace

// Distinct API tokens in use at once on a node: other systems and nodes, a few hundred.
constexpr size_t kTokenCacheEntries = 10000;

ApiContext::ApiContext(db::Database& db, const Config& config, crypto::FieldCipher cipher,
                       ImportRunner* imports, std::function<bool()> draining, const Clock& clock)
    : db(db),
      config(config),
      cipher(std::move(cipher)),
      clock(clock),
      orgs(db),
      students(db, this->cipher),
      working_calendar(WorkingCalendarFrom(config)),
      cases(std::make_unique<workflow::CaseStore>(db, clock, working_calendar)),
      transfers(std::make_unique<registry::Transfers>(db, this->cipher, *cases, clock,
                                                      TransferRulesFrom(config))),
      status_changes(std::make_unique<registry::StatusChangeCases>(
          db, this->cipher, *cases, clock, StatusChangeSettingsFrom(config))),
      corrections(std::make_unique<registry::StudentCorrections>(db, this->cipher, *cases, clock)),
      graduations(std::make_unique<registry::Graduations>(db, *cases, clock, CalendarFrom(config))),
      merges(std::make_unique<registry::quality::StudentMerges>(db, this->cipher, *cases, clock)),
      promotions(std::make_unique<PromotionRunner>(db, clock)),
      signers(std::make_unique<stats::SignerKeys>(
          this->cipher, stats::AuthorityKeyFile(config.GetString("stats.signing_key_file")))),
      submissions(std::make_unique<stats::SubmissionStore>(
          db, clock, *cases, *signers,
          stats::SubmissionSettings{static_cast<int>(config.GetInt("stats.year_on_year_percent")),
                                    config.GetBool("stats.acceptance_required")})),
      identity(identity::IdentitySettings::FromConfig(config)),
      accounts(db, identity),
      account_admin(db, accounts, identity, *cases),
      authenticator(db, identity),
      credentials(db, identity),
      mfa(db, this->cipher),
      oidc_keys(db, this->cipher),
      oidc_clients(db),
      oidc_grants(db, {config.GetInt("oidc.code_seconds"),
                       config.GetInt("oidc.refresh_token_days") * 86400}),
      oidc{config.GetString("oidc.issuer"), config.GetInt("oidc.access_token_seconds"),
           config.GetInt("oidc.id_token_seconds")},
      login_throttle(std::make_unique<LoginThrottle>(
          static_cast<int>(config.GetInt("identity.login_attempts_per_minute")))),
      token_principals(std::make_unique<PrincipalCache>(
          std::chrono::seconds(config.GetInt("identity.token_cache_seconds")), kTokenCacheEntries)),
      access_tally(std::make_unique<AccessTally>()),
      imports(imports),
      draining(std::move(draining)),
      secure_cookies(config.GetBool("identity.secure_cookies")) {}

ApiContext::~ApiContext() = default;

std::string Access::Describe() const {
  switch (kind) {
    case Kind::kPublic:
      return "public";
    case Kind::kSignedIn:
      return "signed_in";
    case Kind::kPermission:
      return std::string(permission);
  }
  return "";
}

namespace {

bool IsWrite(std::string_view method) { return method != "GET" && method != "HEAD"; }

// A write's entry goes into the write's own transaction: the handler hands the caller's
// `write` attachment to each write it makes, so the write and its entry commit together or
// not at all: if the entry cannot be appended, nothing is written and the caller gets 503.
// A request that committed nothing (refused by validation, not found, ...) or failed after
// committing gets an entry of its own afterwards, with the response's status.
http::Response AuditedWrite(ApiContext& ctx, const http::Route& route, const Access& access,
                            const ScopedHandler& handler, http::Request& request,
                            const Caller& caller) {
  AuditEvent event{std::string(access.permission), http::MaskedPath(route, request.path_params),
                   audit::kSuccess, Json{{"method", request.method}}.dump()};
  const audit::AuditEntry entry = AuditEntryFor(request, &caller, event);
  db::WriteAttachment entry_of_write(
      [&entry](db::Connection& c) { return audit::AsRefusal(entry, audit::Append(c, entry)); });
  Caller writing = caller;
  writing.write = &entry_of_write;
  http::Response response = handler(request, writing);
  if (entry_of_write.committed() && response.status < 400) return response;
  event.outcome = response.status < 400 ? audit::kSuccess : audit::kFailure;
  event.details = Json{{"method", request.method}, {"status", response.status}}.dump();
  Status audited = RecordAudit(ctx, request, &caller, event);
  if (!audited.ok() && response.status < 400)
    response.SetHeader("Warning", "199 - \"audit log unavailable\"");
  return response;
}

// What a caller was allowed to read goes into its tally (access_tally.hpp).
// The route's shape carries its access rule, described, as the permission.
void TallyRead(ApiContext& ctx, const http::Route& route, const http::Request& request,
               const Caller& caller) {
  ctx.access_tally->Count(caller.account, route.method + " " + route.pattern, route.options.access,
                          request.remote_address, request.request_id,
                          std::chrono::system_clock::now(),
                          [&](audit::AuditEntry& e) { e = AuditEntryFor(request, &caller, {}); });
}

// A request whose caller could not be identified is refused into a tally (access_tally.hpp).
http::Response RefuseAnonymous(ApiContext& ctx, const http::Route& route, const Access& access,
                               const http::Request& request, const Error& error) {
  ctx.access_tally->CountAnonymousRefusal(route.method + " " + route.pattern, access.Describe(),
                                          error.code, request.remote_address, request.request_id,
                                          std::chrono::system_clock::now());
  return ErrorJson(error, request);
}

// An identified caller's refusal gets an entry of its own.
http::Response Refuse(ApiContext& ctx, const http::Route& route, const Access& access,
                      const http::Request& request, const Caller& caller, const Error& error) {
  Json details = {{"code", error.code}, {"access", access.Describe()}, {"method", request.method}};
  (void)RecordAudit(
      ctx, request, &caller,
      {"authz.deny", http::MaskedPath(route, request.path_params), audit::kDenied, details.dump()});
  return ErrorJson(error, request);
}

// Refusals are audited, and so is every write a permission allows: the auth routes
// (public or signed-in) audit their own events with more detail. Allowed reads and
// anonymous refusals are tallied.
http::Response Guarded(ApiContext& ctx, const http::Route& route, const Access& access,
                       const ScopedHandler& handler, http::Request& request) {
  if (access.kind == Access::Kind::kPublic) return handler(request, Caller{});
  auto caller = Identify(ctx, request);
  if (!caller.ok()) return RefuseAnonymous(ctx, route, access, request, caller.error());
  if (Status acting = ActUnder(*caller, request); !acting.ok())
    return Refuse(ctx, route, access, request, *caller, acting.error());
  if (Status allowed = Authorize(*caller, access); !allowed.ok())
    return Refuse(ctx, route, access, request, *caller, allowed.error());
  if (access.kind == Access::Kind::kPermission && IsWrite(request.method)) {
    return AuditedWrite(ctx, route, access, handler, request, *caller);
  }
  if (!IsWrite(request.method)) TallyRead(ctx, route, request, *caller);
  return handler(request, *caller);
}

}  // namespace

void AddApiRoute(http::Router& router, ApiContext& ctx, std::string method, std::string pattern,
                 Access access, ScopedHandler handler, http::RouteOptions options) {
  options.access = access.Describe();
  // A copy of the route without handler: what MaskedPath needs to mask its parameters.
  http::Route shape{method, pattern, nullptr, options};
  router.Add(
      std::move(method), std::move(pattern),
      [&ctx, access, shape = std::move(shape), handler = std::move(handler)](
          http::Request& request) { return Guarded(ctx, shape, access, handler, request); },
      std::move(options));
}

void AddAllRoutes(http::Router& router, ApiContext& ctx) {
  AddHealthRoutes(router, ctx);
  AddAuthRoutes(router, ctx);
  AddOrgRoutes(router, ctx);
  AddStudentRoutes(router, ctx);
  AddGraduationRoutes(router, ctx);
  AddPromotionRoutes(router, ctx);
  AddClassAssignmentRoutes(router, ctx);
  AddCorrectionRoutes(router, ctx);
  AddProblemRecordRoutes(router, ctx);
  AddStatsRoutes(router, ctx);
  AddStatsSubmissionRoutes(router, ctx);
  AddImportRoutes(router, ctx);
  AddAuditRoutes(router, ctx);
  AddAuditVerificationRoute(router, ctx);
  AddOidcRoutes(router, ctx);
  AddOidcLoginRoutes(router, ctx);
  AddOidcClientRoutes(router, ctx);
  AddExchangeRoutes(router, ctx);
  AddConflictDecisionRoutes(router, ctx);
  AddDivisionChangeRoutes(router, ctx);
  AddAccountRoutes(router, ctx);
  AddCaseRoutes(router, ctx);
  AddTransferRoutes(router, ctx);
  AddPublicRoutes(router, ctx);
}

}  // namespace nemis::api
