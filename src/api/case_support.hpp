// What the case routes and the routes that open cases (transfers, ...) share: the caller
// as a workflow actor, a case as JSON, and what each case type does when a case ends.
#pragma once

#include "api/api_json.hpp"
#include "base/date.hpp"
#include "org/scope.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::api {

struct ApiContext;
struct Caller;

/// Every scope the caller's grants give, whatever the permission.
org::Scope AnyGrantScope(const Caller& caller);

/// The caller as the engine sees it: may(permission, institution) from its grants.
workflow::Actor ActorOf(const http::Request& req, const Caller& caller);

/// The case without its history; `details` are the type's own, masked by contract.
Json CaseJson(const workflow::ApprovalCase& kase, Date today);

/// The actions the caller may take on the case now ("approve", "return", "reject",
/// "cancel", "withdraw" for a transfer waiting at another node), as the engine would decide
/// them: for the portal's buttons.
Result<Json> AllowedActions(ApiContext& ctx, const Caller& caller,
                            const workflow::ApprovalCase& kase);

/// A transfer.external_in case: where the other node's side stands (the sending case's step
/// and deadline, a withdrawal asked); null for any other case.
Result<Json> OtherNodeJson(ApiContext& ctx, const workflow::ApprovalCase& kase, Date today);

/// The case with its history, `allowed` (AllowedActions), `other_node` (OtherNodeJson) when
/// not null, and its version as ETag.
http::Response CaseResponse(const workflow::ApprovalCase& kase, const Json& allowed,
                            int status = 200, const Json& other_node = nullptr);

/// What ends a case of `type` for `actor` (a transfer moves the student when approved).
workflow::CaseEnd CaseEndFor(ApiContext& ctx, const workflow::Actor& actor, std::string_view type);

}  // namespace nemis::api
