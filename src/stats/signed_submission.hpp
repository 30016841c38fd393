// A submission as a self-contained signed document (GET .../signed, `nemis stats verify`):
// the frozen snapshot, the explanations of its warnings, their SM3 digest, and every
// signature made on it with the signer's certificate. Anyone holding the node's
// statistics signing authority's public key verifies it offline: the digest recomputed
// from the content, each signature over a statement naming that digest, each certificate
// signed by the authority. Changing one figure, one explanation or one signature fails it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "crypto/sm2.hpp"

namespace nemis::stats {

inline constexpr std::string_view kSignedSubmissionFormat = "nemis-stats-submission/1";

/// One signature: `signed_text` is the canonical statement SignedStatement gives.
struct SubmissionSignature {
  std::string action;  // submit, approve
  std::string account, at;
  std::string signed_text;
  std::string signature;  // DER, raw bytes
  nlohmann::json certificate;
};

/// What a signer signs: who did what to which unit's submission with which digest, when.
std::string SignedStatement(const std::string& action, int year, const std::string& org_code,
                            const std::string& digest, const std::string& account,
                            const std::string& at);

nlohmann::json SignedSubmissionDocument(int year, const std::string& org_code,
                                        const std::string& state, const nlohmann::json& snapshot,
                                        const std::map<std::string, std::string>& explanations,
                                        const std::vector<SubmissionSignature>& signatures,
                                        const std::string& authority_public_pem);

struct SignatureCheck {
  std::string action, account, at;
  std::string problem;  // empty: valid
};

struct DocumentCheck {
  std::string digest;  // recomputed
  std::vector<SignatureCheck> signatures;
  std::vector<std::string> problems;  // of the document as a whole
  bool ok() const;
};

/// Verifies `document`. `trusted_authority_pem`: the authority key the verifier holds; when
/// absent, the document's own is used (and only proves the document is unchanged since a
/// holder of that key signed it: compare its fingerprint with the node's).
DocumentCheck VerifySignedSubmission(const nlohmann::json& document,
                                     const std::optional<std::string>& trusted_authority_pem);

/// SM3 of a public key's PEM, hex, 16 characters: to compare keys by eye.
std::string KeyFingerprint(const std::string& public_pem);

}  // namespace nemis::stats
