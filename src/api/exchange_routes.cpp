// The exchange between nodes over HTTP (exchange/):
//   GET /exchange/v1/changes?after=SEQ&limit=N&format=F   a provincial node's change log
//       after SEQ, for the national node: one batch sealed for the caller and signed by this
//       node (exchange/batch_envelope.hpp; F the envelope format, v1 unless it names v2), its
//       certificate in X-Nemis-Certificate and the log's last sequence in X-Nemis-Head. Callers
//       sign their requests (exchange/node_request.hpp); no user session is involved. Every batch
//       served is audited.
//   POST /exchange/v1/students/lookup   the national view of a student for a provincial node
//       (exchange/student_lookup.hpp): signed request, sealed answer, audited.
//   GET /exchange/v1/conflicts   the national node's open one-person-one-number conflicts about
//       the calling province's students (exchange/conflict_notices.hpp) and those lately
//       resolved: signed request, sealed answer, audited. The province opens a case for each
//       (conflict_cases.hpp).
//   POST /exchange/v1/conflicts/verdicts   the province's verdicts (its cases' outcomes) on them
//       (exchange/conflict_resolution.hpp): signed, sealed answer, audited.
//   POST /exchange/v1/transfers   a province's cross-province transfers through the national
//       node (exchange/transfer_relay.hpp): its requests, verdicts and completions taken,
//       the answer (sealed) what it must act on; signed, audited when not empty.
//   POST /exchange/v1/recovery   what the national node holds of the calling province, a page
//       at a time, for its node to recover what a restore lost (exchange/recovery.hpp); signed,
//       sealed, every page audited.
//   GET /exchange/v1/divisions?after=SEQ   the division changes the national node recorded after
//       SEQ (exchange/division_feed.hpp), for a provincial node to receive: signed request,
//       sealed answer, audited when not empty.
//   POST /exchange/v1/tls-certificate   a national node certifies a province's TLS key
//       (exchange/node_tls.hpp) for its mutual-TLS calls: signed, sealed answer, audited.
//   POST /exchange/v1/enrol   a national node certifies a province's key against a one-time
//       enrolment code (exchange/node_enrolment.hpp); audited whether it succeeds or not.
//   GET /api/v1/exchange/sources   what a national node has applied of each province it
//       pulls from, with backlog, lag and the last error, and the cross-province transfers
//       awaiting the province's decision or in transit to it (system administrators).
#include <charconv>
#include <chrono>
#include <memory>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/public_throttle.hpp"
#include "audit/audit_entry.hpp"
#include "crypto/encoding.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_reader.hpp"
#include "exchange/conflict_notices.hpp"
#include "exchange/conflict_resolution.hpp"
#include "exchange/division_feed.hpp"
#include "exchange/node_enrolment.hpp"
#include "exchange/node_request.hpp"
#include "exchange/node_tls.hpp"
#include "exchange/recovery.hpp"
#include "exchange/source_puller.hpp"
#include "exchange/student_lookup.hpp"
#include "exchange/transfer_relay.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

Result<int64_t> Int64Param(const http::Request& req, std::string_view name, int64_t fallback,
                           int64_t min, int64_t max) {
  auto text = req.Query(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return Error::BadRequest("bad_parameter", "参数 " + std::string(name) + " 应为 " +
                                                  std::to_string(min) + " 到 " +
                                                  std::to_string(max) + " 之间的整数");
  }
  return value;
}

// The envelope format the caller asks for (`format`): v1 when it names none, as a node that
// does not know v2 asks.
Result<exchange::PayloadEncoding> FormatParam(const http::Request& req) {
  const auto name = req.Query("format");
  if (!name) return exchange::PayloadEncoding::kPlain;
  if (auto encoding = exchange::EncodingOfFormat(*name)) return *encoding;
  return Error::BadRequest("bad_parameter", "参数 format 应为 " +
                                                std::string(exchange::kBatchFormat) + " 或 " +
                                                std::string(exchange::kCompressedBatchFormat));
}

// The signed request's node, if this node plays `self_role` and the caller `caller_role`
// ("national", "provincial"): a province's log goes to the national node only, the national
// view of a student to provinces only. On a mutual-TLS port the connection's certificate must
// be the signer's; see Authenticate for the plain port.
Result<exchange::NodeCaller> AuthenticateSigned(ApiContext& ctx, const http::Request& req,
                                                exchange::NodeRole self_role,
                                                std::string_view caller_role) {
  NEMIS_ASSIGN_OR_RETURN(
      exchange::NodeCaller caller,
      ctx.node_requests->Verify(ctx.db, *ctx.node, req.method, req.target, req.body,
                                req.Header("Authorization").value_or(""),
                                req.Header(exchange::kCertificateHeader).value_or(""),
                                ctx.clock.UnixSeconds()));
  if (ctx.node->role != self_role ||
      caller.certificate.Subject().organizational_unit != caller_role) {
    return Error{ErrorKind::kForbidden,
                 "exchange_direction",
                 "本节点不向 " + std::string(caller_role) + " 以外的节点提供此项交换",
                 {}};
  }
  if (!req.client_certificate.empty()) {
    NEMIS_TRY(exchange::CheckTlsPeer(*ctx.node, req.client_certificate, caller.code,
                                     ctx.clock.UnixSeconds()));
  }
  return caller;
}

// AuthenticateSigned, and a node with a mutual-TLS port takes node calls only there.
Result<exchange::NodeCaller> Authenticate(ApiContext& ctx, const http::Request& req,
                                          exchange::NodeRole self_role,
                                          std::string_view caller_role) {
  if (ctx.node_tls_only && req.client_certificate.empty()) {
    return Error{ErrorKind::kForbidden,
                 "tls_required",
                 "本节点只在双向 TLS 端口（node.tls_port）受理节点间调用",
                 {}};
  }
  return AuthenticateSigned(ctx, req, self_role, caller_role);
}

// The node's certificate, for the caller to check what this node signed.
void AddNodeCertificate(ApiContext& ctx, http::Response& r) {
  r.SetHeader(std::string(exchange::kCertificateHeader),
              crypto::Base64Encode(ctx.node->certificate.ToPem()));
}

http::Response Changes(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) {
    return ErrorJson(Error::NotFound("本节点未配置数据交换身份（nemis node init）"), req);
  }
  auto caller = Authenticate(ctx, req, exchange::NodeRole::kProvincial, "national");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto after = Int64Param(req, "after", 0, 0, std::numeric_limits<int64_t>::max());
  if (!after.ok()) return ErrorJson(after.error(), req);
  auto limit = Int64Param(req, "limit", ctx.config.GetInt("exchange.batch_changes"), 1,
                          exchange::kMaxBatchChanges);
  if (!limit.ok()) return ErrorJson(limit.error(), req);
  auto format = FormatParam(req);
  if (!format.ok()) return ErrorJson(format.error(), req);
  auto batch = exchange::ReadChanges(ctx.db, ctx.cipher, *after, *limit);
  if (!batch.ok()) return ErrorJson(batch.error(), req);
  const exchange::BatchHeader header = exchange::HeaderFor(*batch, ctx.node->code, caller->code);
  http::Response r;
  r.body = exchange::SealBatch(header, batch->payload, ctx.node->key,
                               caller->certificate.PublicKey(), *format);
  r.SetHeader("X-Nemis-Head", std::to_string(batch->head));
  AddNodeCertificate(ctx, r);
  // The batch carries personal data: its reading is audited like any other (who, which range).
  Status audited = RecordAuditFor(
      ctx, req, "node:" + caller->code,
      {"exchange.changes", std::to_string(batch->after) + "-" + std::to_string(batch->last),
       audit::kSuccess,
       "{\"records\":" + std::to_string(batch->count) + ",\"format\":\"" +
           std::string(exchange::FormatName(*format)) + "\"}"});
  if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败，未提供变更"), req);
  return r;
}

// Enrolment attempts per source address. A code is one of 2^120, so this is not against
// guessing but against filling the audit log with refusals: a few a minute are plenty for the
// thirty-odd provinces.
struct EnrolThrottle {
  explicit EnrolThrottle(const Config& config)
      : trusted(ParseTrustedProxies(config.GetString("public.trusted_proxies"))) {}
  PublicThrottle throttle{{/*per_minute=*/10, /*burst=*/5, /*max_clients=*/10000}};
  std::vector<std::string> trusted;
};

http::Response Enrol(ApiContext& ctx, EnrolThrottle& limit, http::Request& req) {
  if (!ctx.node || ctx.node->role != exchange::NodeRole::kNational) {
    return ErrorJson(Error::NotFound("本节点不是国家节点，不受理节点注册"), req);
  }
  if (int64_t wait =
          limit.throttle.Take(ClientAddress(req, limit.trusted), PublicThrottle::Clock::now())) {
    return RateLimited(wait, req);
  }
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  exchange::EnrolmentRequest request{MemberText(*body, "nodeCode"),
                                     MemberText(*body, "enrolmentCode"),
                                     MemberText(*body, "publicKey"), MemberText(*body, "proof")};
  auto enrolled = exchange::Enrol(ctx.db, ctx.config.GetString("node.key_dir"), request,
                                  ctx.clock.UnixSeconds());
  const std::string account = "node:" + request.node_code;
  if (!enrolled.ok()) {
    (void)RecordAuditFor(ctx, req, account,
                         {"exchange.enrol", request.node_code, audit::kFailure,
                          Json{{"code", enrolled.error().code}}.dump()});
    return ErrorJson(enrolled.error(), req);
  }
  Status audited = RecordAuditFor(ctx, req, account,
                                  {"exchange.enrol", request.node_code, audit::kSuccess,
                                   Json{{"serial", enrolled->certificate.SerialHex()}}.dump()});
  if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败"), req);
  return JsonResponse(200, {{"certificate", enrolled->certificate.ToPem()},
                            {"caCertificate", enrolled->ca.ToPem()}});
}

Json ViewJson(const exchange::NationalView& v) {
  return {{"provinceCode", v.province_code},
          {"schoolCode", v.school_code},
          {"schoolName", v.school_name},
          {"stage", v.stage},
          {"grade", v.grade},
          {"status", v.status},
          {"name", v.masked_name}};
}

// The national view of a student a province asks about (exchange/student_lookup.hpp), sealed
// for the asking node and audited here.
http::Response StudentLookup(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) return ErrorJson(Error::NotFound("本节点未配置数据交换身份"), req);
  auto caller = Authenticate(ctx, req, exchange::NodeRole::kNational, "provincial");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  const exchange::StudentQuery query{MemberText(*body, "idType"), MemberText(*body, "idNumber"),
                                     MemberText(*body, "studentNumber")};
  auto view = exchange::LookUpStudent(ctx.db, ctx.cipher, query);
  if (!view.ok()) return ErrorJson(view.error(), req);
  Json answer = {{"found", view->has_value()}};
  if (*view) answer["student"] = ViewJson(**view);
  Status audited =
      RecordAuditFor(ctx, req, "node:" + caller->code,
                     {"exchange.lookup", query.id_number.empty() ? "student_number" : "document",
                      audit::kSuccess, Json{{"found", view->has_value()}}.dump()});
  if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败，未提供查询结果"), req);
  const std::string payload = answer.dump();
  http::Response r;
  r.body = exchange::SealBatch({ctx.node->code, caller->code, 0, 0, 1, "", ""}, payload,
                               ctx.node->key, caller->certificate.PublicKey());
  AddNodeCertificate(ctx, r);
  return r;
}

// At most this many conflicts in one answer ("complete" says whether that was all of them);
// resolved ones are told for this long, for the province that yielded to act on.
constexpr int64_t kMaxConflicts = 10000;
constexpr auto kResolvedToldFor = std::chrono::hours(24 * 30);

// An answer sealed for the calling node, with this node's certificate.
http::Response SealedFor(ApiContext& ctx, const exchange::NodeCaller& caller,
                         const std::string& payload, int64_t count) {
  http::Response r;
  r.body = exchange::SealBatch({ctx.node->code, caller.code, 0, 0, count, "", ""}, payload,
                               ctx.node->key, caller.certificate.PublicKey());
  AddNodeCertificate(ctx, r);
  return r;
}

// The open conflicts about the calling province's students, sealed for it.
http::Response Conflicts(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) return ErrorJson(Error::NotFound("本节点未配置数据交换身份"), req);
  auto caller = Authenticate(ctx, req, exchange::NodeRole::kNational, "provincial");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto reported = exchange::ConflictsFor(ctx.db, ctx.cipher, caller->code, kMaxConflicts,
                                         FormatUtc(ctx.clock.Now() - kResolvedToldFor));
  if (!reported.ok()) return ErrorJson(reported.error(), req);
  // An answer naming students is audited; an empty one, the poll's usual answer every few
  // seconds, tells nothing of anyone.
  if (!reported->items.empty() || !reported->resolved.empty()) {
    Status audited = RecordAuditFor(
        ctx, req, "node:" + caller->code,
        {"exchange.conflicts", caller->code, audit::kSuccess,
         Json{{"conflicts", reported->items.size()}, {"resolved", reported->resolved.size()}}
             .dump()});
    if (!audited.ok())
      return ErrorJson(Error::Unavailable("审计日志写入失败，未提供冲突清单"), req);
  }
  return SealedFor(ctx, *caller, exchange::ConflictsToJson(*reported),
                   static_cast<int64_t>(reported->items.size()));
}

// {"verdicts": [{"id": 7, "verdict": "keep"}]}; validation_failed naming the item otherwise.
Result<std::vector<exchange::ConflictVerdict>> VerdictsOf(const Json& body) {
  if (!body.contains("verdicts") || !body["verdicts"].is_array())
    return Error::Invalid({{"verdicts", "required", "须给出 verdicts 数组"}});
  std::vector<exchange::ConflictVerdict> out;
  for (const Json& v : body["verdicts"]) {
    const std::string at = "verdicts[" + std::to_string(out.size()) + "]";
    if (!v.is_object() || !v.contains("id") || !v["id"].is_number_integer() ||
        !v.contains("verdict") || !v["verdict"].is_string())
      return Error::Invalid({{at, "invalid", "每项须有整数 id 和文字 verdict"}});
    out.push_back({v["id"].get<int64_t>(), v["verdict"].get<std::string>()});
  }
  return out;
}

// A province's verdicts on conflicts about its students (exchange/conflict_resolution.hpp).
http::Response ConflictVerdicts(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) return ErrorJson(Error::NotFound("本节点未配置数据交换身份"), req);
  auto caller = Authenticate(ctx, req, exchange::NodeRole::kNational, "provincial");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto verdicts = VerdictsOf(*body);
  if (!verdicts.ok()) return ErrorJson(verdicts.error(), req);
  auto report = exchange::RecordVerdicts(ctx.db, ctx.cipher, caller->code, *verdicts,
                                         FormatUtc(ctx.clock.Now()));
  if (!report.ok()) return ErrorJson(report.error(), req);
  Status audited = RecordAuditFor(ctx, req, "node:" + caller->code,
                                  {"exchange.conflict_verdicts", caller->code, audit::kSuccess,
                                   Json{{"recorded", report->recorded},
                                        {"resolved", report->resolved},
                                        {"disputed", report->disputed}}
                                       .dump()});
  if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败"), req);
  const std::string payload = Json{
      {"recorded", report->recorded},
      {"resolved", report->resolved},
      {"disputed",
       report->disputed}}.dump();
  return SealedFor(ctx, *caller, payload, report->recorded);
}

// A province's cross-province transfers (exchange/transfer_relay.hpp): what it posts is
// taken, the answer tells it what to act on. Audited when anything was taken or told.
http::Response Transfers(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) return ErrorJson(Error::NotFound("本节点未配置数据交换身份"), req);
  auto caller = Authenticate(ctx, req, exchange::NodeRole::kNational, "provincial");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto post = exchange::PostFromJson(req.body);
  if (!post.ok()) return ErrorJson(post.error(), req);
  auto relayed =
      exchange::RelayTransfers(ctx.db, ctx.cipher, caller->code, *post, FormatUtc(ctx.clock.Now()));
  if (!relayed.ok()) return ErrorJson(relayed.error(), req);
  const exchange::RelayCounts& t = relayed->taken;
  if (t.any() || !relayed->answer.empty()) {
    Status audited = RecordAuditFor(ctx, req, "node:" + caller->code,
                                    {"exchange.transfers", caller->code, audit::kSuccess,
                                     Json{{"requested", t.requested},
                                          {"refusedAtOnce", t.refused_at_once},
                                          {"released", t.released},
                                          {"refused", t.refused},
                                          {"completed", t.completed},
                                          {"withdrawals", t.withdrawals},
                                          {"withdrawn", t.withdrawn},
                                          {"progress", t.progress},
                                          {"unknown", t.unknown},
                                          {"incoming", relayed->answer.incoming.size()},
                                          {"outcomes", relayed->answer.outcomes.size()}}
                                         .dump()});
    if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败"), req);
  }
  return SealedFor(
      ctx, *caller, exchange::AnswerToJson(relayed->answer),
      static_cast<int64_t>(relayed->answer.incoming.size() + relayed->answer.outcomes.size()));
}

// What the national node holds of the calling province, a page at a time, for its recovery
// after a restore (exchange/recovery.hpp); every page audited.
http::Response Recovery(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) return ErrorJson(Error::NotFound("本节点未配置数据交换身份"), req);
  auto caller = Authenticate(ctx, req, exchange::NodeRole::kNational, "provincial");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  const Json after = body->value("after", Json(0)), limit = body->value("limit", Json(0));
  if (!after.is_number_integer() || after.get<int64_t>() < 0)
    return ErrorJson(Error::Invalid({{"after", "invalid", "after 须为非负整数"}}), req);
  if (!limit.is_number_integer() || limit.get<int64_t>() < 1 ||
      limit.get<int64_t>() > exchange::kRecoveryPageLimit)
    return ErrorJson(Error::Invalid({{"limit", "invalid", "limit 须为 1–2000 的整数"}}), req);
  const std::string kind = MemberText(*body, "kind");
  auto page = exchange::ReadRecoveryPage(ctx.db, ctx.cipher, caller->code, kind,
                                         after.get<int64_t>(), limit.get<int64_t>());
  if (!page.ok()) return ErrorJson(page.error(), req);
  Status audited = RecordAuditFor(
      ctx, req, "node:" + caller->code,
      {"exchange.recovery", caller->code, audit::kSuccess,
       Json{{"kind", kind}, {"after", after}, {"records", page->records.size()}}.dump()});
  if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败，未提供恢复数据"), req);
  return SealedFor(ctx, *caller, exchange::RecoveryPageToJson(*page),
                   static_cast<int64_t>(page->records.size()));
}

// The division changes after `after` for the calling province (exchange/division_feed.hpp).
http::Response Divisions(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) return ErrorJson(Error::NotFound("本节点未配置数据交换身份"), req);
  auto caller = Authenticate(ctx, req, exchange::NodeRole::kNational, "provincial");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto after = Int64Param(req, "after", 0, 0, std::numeric_limits<int64_t>::max());
  if (!after.ok()) return ErrorJson(after.error(), req);
  auto feed = exchange::ReadDivisionFeed(ctx.db, *after);
  if (!feed.ok()) return ErrorJson(feed.error(), req);
  // The poll's usual answer is empty and tells nothing: only one carrying changes is audited.
  if (!feed->changes.empty()) {
    Status audited =
        RecordAuditFor(ctx, req, "node:" + caller->code,
                       {"exchange.divisions", caller->code, audit::kSuccess,
                        Json{{"after", *after}, {"changes", feed->changes.size()}}.dump()});
    if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败"), req);
  }
  return SealedFor(ctx, *caller, exchange::DivisionFeedToJson(*feed),
                   static_cast<int64_t>(feed->changes.size()));
}

Json SourceJson(const exchange::SourceStatus& s) {
  return {{"source", s.source},
          {"checkpoint", s.checkpoint},
          {"head", s.head},
          {"backlog", s.Backlog()},
          {"lagSeconds", s.lag_seconds},
          {"batches", s.batches},
          {"records", s.records},
          {"conflicts", s.conflicts},
          {"failures", s.failures},
          {"lastError", s.last_error},
          {"lastErrorCode", s.last_error_code},
          {"lastContactAt", s.last_contact_at}};
}

http::Response Sources(ApiContext& ctx, const http::Request& req) {
  Json items = Json::array();
  if (ctx.exchange_sources) {
    auto transfers = exchange::TransfersByProvince(ctx.db, ctx.clock.TodayInChina());
    if (!transfers.ok()) return ErrorJson(transfers.error(), req);
    for (const exchange::SourceStatus& s : ctx.exchange_sources()) {
      Json item = SourceJson(s);
      const exchange::ProvinceTransfers t =
          transfers->contains(s.source) ? transfers->at(s.source) : exchange::ProvinceTransfers{};
      item["transfersAwaiting"] = t.awaiting;
      item["awaitingSince"] = t.awaiting_since;
      item["transfersOverdue"] = t.overdue;
      item["transfersInTransit"] = t.in_transit;
      item["inTransitSince"] = t.in_transit_since;
      items.push_back(std::move(item));
    }
  }
  return JsonResponse(200, {{"items", items}});
}

// A province's TLS certificate: its P-256 key certified by the CA, valid as long as its node
// certificate. Taken on the plain port too, or a province could never get its first one.
http::Response TlsCertificate(ApiContext& ctx, http::Request& req) {
  if (!ctx.node) return ErrorJson(Error::NotFound("本节点未配置数据交换身份"), req);
  auto caller = AuthenticateSigned(ctx, req, exchange::NodeRole::kNational, "provincial");
  if (!caller.ok()) return ErrorJson(caller.error(), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  const std::string public_key = MemberText(*body, "publicKey");
  if (public_key.empty()) {
    return ErrorJson(Error::Invalid({{"publicKey", "required", "须给出 TLS 公钥（PEM）"}}), req);
  }
  auto ca = exchange::LoadCertificateAuthority(ctx.config.GetString("node.key_dir"));
  if (!ca.ok()) return ErrorJson(ca.error(), req);
  auto certificate =
      exchange::IssueTlsCertificate(*ca, caller->certificate, public_key, ctx.clock.UnixSeconds());
  if (!certificate.ok()) {
    Error error = certificate.error();
    if (error.code == "bad_key") error = Error::Invalid({{"publicKey", "bad_key", error.message}});
    return ErrorJson(error, req);
  }
  Status audited = RecordAuditFor(ctx, req, "node:" + caller->code,
                                  {"exchange.tls_certificate", caller->code, audit::kSuccess, ""});
  if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败，未签发证书"), req);
  return SealedFor(ctx, *caller, Json{{"certificate", *certificate}}.dump(), 1);
}

}  // namespace

void AddNodeRoutes(http::Router& router, ApiContext& ctx) {
  // "public" to the user-facing access layer (no session or token of an account): the
  // handler authenticates the calling node by its signature and certificate instead.
  router.Add("GET", "/exchange/v1/changes",
             [&ctx](http::Request& req) { return Changes(ctx, req); }, {.access = "public"});
  router.Add("POST", "/exchange/v1/students/lookup",
             [&ctx](http::Request& req) { return StudentLookup(ctx, req); }, {.access = "public"});
  router.Add("GET", "/exchange/v1/conflicts",
             [&ctx](http::Request& req) { return Conflicts(ctx, req); }, {.access = "public"});
  router.Add("POST", "/exchange/v1/conflicts/verdicts",
             [&ctx](http::Request& req) { return ConflictVerdicts(ctx, req); },
             {.access = "public"});
  router.Add("POST", "/exchange/v1/recovery",
             [&ctx](http::Request& req) { return Recovery(ctx, req); }, {.access = "public"});
  router.Add("POST", "/exchange/v1/transfers",
             [&ctx](http::Request& req) { return Transfers(ctx, req); }, {.access = "public"});
  router.Add("GET", "/exchange/v1/divisions",
             [&ctx](http::Request& req) { return Divisions(ctx, req); }, {.access = "public"});
  auto enrol_limit = std::make_shared<EnrolThrottle>(ctx.config);
  router.Add("POST", "/exchange/v1/enrol",
             [&ctx, enrol_limit](http::Request& req) { return Enrol(ctx, *enrol_limit, req); },
             {.access = "public"});
  router.Add("POST", "/exchange/v1/tls-certificate",
             [&ctx](http::Request& req) { return TlsCertificate(ctx, req); }, {.access = "public"});
}

void AddExchangeRoutes(http::Router& router, ApiContext& ctx) {
  AddNodeRoutes(router, ctx);
  AddApiRoute(router, ctx, "GET", "/api/v1/exchange/sources",
              Access::Needs(identity::perm::kSystemAdminister),
              [&ctx](http::Request& req, const Caller&) { return Sources(ctx, req); });
}

}  // namespace nemis::api
