#include "exchange/node_enrolment.hpp"

#include "base/date.hpp"
#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace nemis::exchange {
namespace {

constexpr size_t kCodeBytes = 15;  // 120 random bits, 24 base32 characters
constexpr std::string_view kInsertCode =
    "INSERT INTO exchange_enrolment (code_digest, node_code, expires_at, created_at) "
    "VALUES ($1, $2, $3, $4)";
// Used up only if still usable: unknown, used, expired and another province's codes all
// change nothing, and the caller cannot tell them apart.
constexpr std::string_view kUseCode =
    "UPDATE exchange_enrolment SET used_at = $4 WHERE code_digest = $1 AND node_code = $2 "
    "AND used_at IS NULL AND expires_at > $3";

// Without the dashes and in upper case, as typed by someone reading it off a letter.
std::string Normalise(std::string_view code) {
  std::string out;
  for (char ch : code) {
    if (ch == '-' || ch == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  return out;
}

std::string Digest(std::string_view code) { return crypto::ToHex(crypto::Sm3(Normalise(code))); }

std::string Grouped(const std::string& code) {
  std::string out;
  for (size_t i = 0; i < code.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += code[i];
  }
  return out;
}

}  // namespace

std::string CaFingerprint(const crypto::Sm2Certificate& ca) {
  return crypto::ToHex(crypto::Sm3(ca.ToPem())).substr(0, 32);
}

Result<EnrolmentCode> CreateEnrolmentCode(db::Database& db, const crypto::Sm2Certificate& ca,
                                          std::string_view code, int hours, int64_t now) {
  if (hours < 1 || hours > 24 * 30) {
    return Error::BadRequest("bad_parameter", "有效期须在 1 到 720 小时之间");
  }
  EnrolmentCode out;
  std::string raw = crypto::Base32Encode(crypto::RandomBytes(kCodeBytes));
  while (!raw.empty() && raw.back() == '=') raw.pop_back();
  out.code = Grouped(raw);
  out.ca_fingerprint = CaFingerprint(ca);
  out.expires_at = now + int64_t{hours} * 3600;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto held,
                           c.Query("SELECT 1 FROM org WHERE code = $1 AND level = 1", {code}));
    if (held.rows.empty()) {
      return Error::BadRequest("bad_node_code", std::string(code) + " 不是本节点区划树中的省份");
    }
    NEMIS_TRY(c.Query(kInsertCode,
                      {Digest(out.code), code, FormatUnixUtc(out.expires_at), FormatUnixUtc(now)}));
    return {};
  }));
  return out;
}

std::string EnrolmentProofText(std::string_view node_code, std::string_view enrolment_code,
                               std::string_view public_key_pem) {
  return "nemis.enrol.v1\n" + std::string(node_code) + "\n" + Normalise(enrolment_code) + "\n" +
         std::string(public_key_pem);
}

Result<Enrolled> Enrol(db::Database& db, const std::filesystem::path& dir,
                       const EnrolmentRequest& request, int64_t now) {
  NEMIS_ASSIGN_OR_RETURN(auto key, crypto::Sm2PublicKey::FromPem(request.public_key_pem));
  auto proof = crypto::Base64Decode(request.proof);
  if (!proof.ok() || !key.Verify(EnrolmentProofText(request.node_code, request.enrolment_code,
                                                    request.public_key_pem),
                                 *proof)) {
    return Error::BadRequest("bad_proof", "申请未用所附公钥对应的私钥签名");
  }
  NEMIS_ASSIGN_OR_RETURN(auto certificate,
                         MakeNodeCertificate(dir, request.node_code, request.public_key_pem, now));
  NEMIS_ASSIGN_OR_RETURN(NodeIdentity self, LoadNodeIdentity(dir));
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto used,
                           c.Query(kUseCode, {Digest(request.enrolment_code), request.node_code,
                                              FormatUnixUtc(now), FormatUnixUtc(now)}));
    if (used.affected != 1) {
      return Error{ErrorKind::kForbidden,
                   "enrolment_refused",
                   "注册码无效、已使用、已过期或不是发给该节点的",
                   {}};
    }
    return RecordNodeCertificate(c, request.node_code, certificate, now);
  }));
  return Enrolled{std::move(certificate), std::move(self.ca)};
}

}  // namespace nemis::exchange
