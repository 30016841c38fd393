// Enrolment of a provincial node with a one-time code (nemis node enrolment-code on the
// national node, nemis node enrol on the province): instead of carrying the public key and
// the certificate as files, the province sends its public key to the national node with the
// code the ministry gave it, signed with its private key (proof that it holds it), and gets
// its certificate and the CA's back. The code is valid once, for one province, until it
// expires; the national node keeps only its SM3. The province checks the CA it gets against
// the CA fingerprint given with the code, so that no one between them can pose as the CA.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"
#include "exchange/node_identity.hpp"

namespace nemis::exchange {

struct EnrolmentCode {
  std::string code;            // e.g. "K7QF-3MZP-XW2D-9TBN-HC4R" (100 random bits, base32)
  std::string ca_fingerprint;  // the first 32 hex digits of the SM3 of the CA certificate
  int64_t expires_at = 0;      // unix seconds
};

/// The CA fingerprint a province checks (SM3 of the certificate's PEM, 32 hex digits).
std::string CaFingerprint(const crypto::Sm2Certificate& ca);

/// On the national node: a new one-time code for the province `code`, valid `hours`.
Result<EnrolmentCode> CreateEnrolmentCode(db::Database& db, const crypto::Sm2Certificate& ca,
                                          std::string_view code, int hours, int64_t now);

struct EnrolmentRequest {
  std::string node_code, enrolment_code, public_key_pem;
  std::string proof;  // SM2 signature of EnrolmentProofText by the node's key
};

/// What the province signs: binds its code, the one-time code and its key together.
std::string EnrolmentProofText(std::string_view node_code, std::string_view enrolment_code,
                               std::string_view public_key_pem);

struct Enrolled {
  crypto::Sm2Certificate certificate;
  crypto::Sm2Certificate ca;
};

/// On the national node (`dir`: its key folder): checks the code (unknown, used, expired or
/// for another province are one refusal, 403 "enrolment_refused", so the answer tells
/// nothing about which) and the proof ("bad_proof"), issues the certificate, records the
/// node and uses the code up, all or nothing.
Result<Enrolled> Enrol(db::Database& db, const std::filesystem::path& dir,
                       const EnrolmentRequest& request, int64_t now);

}  // namespace nemis::exchange
