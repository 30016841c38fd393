// What the handlers share: the store, the module services and the node's settings.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/config.hpp"
#include "db/database.hpp"
#include "http/http.hpp"
#include "identity/account_admin.hpp"
#include "identity/account_store.hpp"
#include "identity/authenticator.hpp"
#include "identity/credentials.hpp"
#include "identity/mfa_store.hpp"
#include "identity/oidc_clients.hpp"
#include "identity/oidc_grants.hpp"
#include "identity/oidc_keys.hpp"
#include "identity/oidc_tokens.hpp"
#include "org/org_store.hpp"
#include "registry/student_store.hpp"
#include "workflow/working_calendar.hpp"

namespace nemis::workflow {
class CaseStore;
}
namespace nemis::stats {
class StatsEngine;
class SignerKeys;
class SubmissionStore;
}  // namespace nemis::stats
namespace nemis::registry {
class Graduations;
class StatusChangeCases;
class StudentCorrections;
class Transfers;
}  // namespace nemis::registry
namespace nemis::registry::quality {
class StudentMerges;
}

namespace nemis::exchange {
struct NodeIdentity;
struct SourceStatus;
struct NationalPollStatus;
class NodeRequestVerifier;
}  // namespace nemis::exchange

namespace nemis::api {

class AccessTally;
class ImportRunner;
class PromotionRunner;
class LoginThrottle;
class PrincipalCache;

struct ApiContext {
  /// `clock`: the registry's business clock (the year-end calendar, cases' dates); tests
  /// set the day.
  ApiContext(db::Database& db, const Config& config, crypto::FieldCipher cipher,
             ImportRunner* imports, std::function<bool()> draining,
             const Clock& clock = Clock::System());
  ~ApiContext();

  db::Database& db;
  const Config& config;
  crypto::FieldCipher cipher;  // the node's field keys
  const Clock& clock;
  org::OrgStore orgs;
  registry::StudentStore students;
  // Shipped and workflow.holiday_calendar_file years (workflow/node_calendar.hpp).
  workflow::WorkingCalendar working_calendar;
  std::unique_ptr<workflow::CaseStore> cases;  // approval cases (transfers, status changes, ...)
  std::unique_ptr<registry::Transfers> transfers;
  std::unique_ptr<registry::StatusChangeCases> status_changes;
  std::unique_ptr<registry::StudentCorrections> corrections;  // of protected fields
  std::unique_ptr<registry::Graduations> graduations;         // a school's own, by 30 July
  std::unique_ptr<registry::quality::StudentMerges> merges;   // of duplicate registrations
  std::unique_ptr<PromotionRunner> promotions;          // the annual promotion through the API
  std::unique_ptr<stats::SignerKeys> signers;           // SM2 keys of who signs statistics
  std::unique_ptr<stats::SubmissionStore> submissions;  // the annual statistics submissions
  identity::IdentitySettings identity;
  identity::AccountStore accounts;
  identity::AccountAdmin account_admin;
  identity::Authenticator authenticator;
  identity::CredentialStore credentials;
  identity::MfaStore mfa;
  identity::OidcKeyStore oidc_keys;
  identity::OidcClientStore oidc_clients;
  identity::OidcGrantStore oidc_grants;
  identity::OidcTokenSettings
      oidc;  // the issuer is the node's URL (oidc.issuer, or set once listening)
  std::unique_ptr<LoginThrottle> login_throttle;
  std::unique_ptr<PrincipalCache> token_principals;
  std::unique_ptr<AccessTally>
      access_tally;  // allowed reads, appended to the audit log each minute
  ImportRunner* imports = nullptr;
  // The in-memory statistics (stats/stats_engine.hpp), set by `nemis serve` unless
  // stats.engine is off; counts answer from the store's SQL until it has loaded.
  stats::StatsEngine* stats_engine = nullptr;
  // The node's identity for the exchange between nodes (exchange/node_identity.hpp), set by
  // `nemis serve` when node.key_dir holds one; without it the exchange routes answer 404.
  std::unique_ptr<exchange::NodeIdentity> node;
  std::unique_ptr<exchange::NodeRequestVerifier> node_requests;
  // The node serves the exchange on a mutual-TLS port (node.tls_port, exchange/node_tls.hpp):
  // signed node calls arriving without a client certificate are refused.
  bool node_tls_only = false;
  // The sources a national node pulls from, as their pullers see them (exchange/
  // source_puller.hpp); empty on a node that pulls from none.
  std::function<std::vector<exchange::SourceStatus>()> exchange_sources;
  /// A provincial node polling the national node for conflicts (exchange.national): its
  /// status for /metrics; empty otherwise.
  std::function<exchange::NationalPollStatus()> exchange_national_poll;
  std::function<bool()> draining;  // true while the server shuts down
  bool secure_cookies = false;     // served over HTTPS (directly or behind a proxy)
};

/// Who may call a route. Recorded in the route table (RouteOptions::access) so that
/// generated tests cover every route.
struct Access {
  enum class Kind { kPublic, kSignedIn, kPermission };
  Kind kind = Kind::kPermission;
  std::string_view permission;

  static Access Public() { return {Kind::kPublic, {}}; }
  /// Any signed-in account, whatever its grants (its own profile, logout).
  static Access SignedIn() { return {Kind::kSignedIn, {}}; }
  /// Holders of `permission`; the caller's scope is where their grants give it.
  static Access Needs(std::string_view permission) { return {Kind::kPermission, permission}; }
  /// "public", "signed_in" or the permission.
  std::string Describe() const;
};

/// A handler that runs for an identified caller (see caller.hpp).
using ScopedHandler = std::function<http::Response(http::Request&, const struct Caller&)>;

/// Adds a route whose handler runs only for callers the access rule admits:
/// 401 without valid credentials, 403 without the permission.
void AddApiRoute(http::Router& router, ApiContext& ctx, std::string method, std::string pattern,
                 Access access, ScopedHandler handler, http::RouteOptions options = {});

void AddHealthRoutes(http::Router& router, ApiContext& ctx);
void AddAuthRoutes(http::Router& router, ApiContext& ctx);
void AddOrgRoutes(http::Router& router, ApiContext& ctx);
void AddStudentRoutes(http::Router& router, ApiContext& ctx);
void AddGraduationRoutes(http::Router& router, ApiContext& ctx);
void AddPromotionRoutes(http::Router& router, ApiContext& ctx);
void AddCorrectionRoutes(http::Router& router, ApiContext& ctx);
void AddProblemRecordRoutes(http::Router& router, ApiContext& ctx);
void AddStatsRoutes(http::Router& router, ApiContext& ctx);
void AddStatsSubmissionRoutes(http::Router& router, ApiContext& ctx);
void AddImportRoutes(http::Router& router, ApiContext& ctx);
void AddAuditRoutes(http::Router& router, ApiContext& ctx);
void AddAuditVerificationRoute(http::Router& router, ApiContext& ctx);
void AddAccountRoutes(http::Router& router, ApiContext& ctx);
void AddCaseRoutes(http::Router& router, ApiContext& ctx);
void AddTransferRoutes(http::Router& router, ApiContext& ctx);
void AddOidcRoutes(http::Router& router, ApiContext& ctx);
void AddOidcLoginRoutes(http::Router& router, ApiContext& ctx);
void AddOidcClientRoutes(http::Router& router, ApiContext& ctx);
void AddExchangeRoutes(http::Router& router, ApiContext& ctx);
/// The node-to-node routes alone (/exchange/v1/...): what a node's mutual-TLS port serves.
void AddNodeRoutes(http::Router& router, ApiContext& ctx);
void AddConflictDecisionRoutes(http::Router& router, ApiContext& ctx);
void AddDivisionChangeRoutes(http::Router& router, ApiContext& ctx);

/// Every route of the API.
void AddAllRoutes(http::Router& router, ApiContext& ctx);

}  // namespace nemis::api
