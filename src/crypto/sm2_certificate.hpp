// X.509 v3 certificates of SM2 keys signed with SM2 over SM3 (GM/T 0015, the distinguishing
// identifier of GM/T 0009): the identities of NEMIS nodes. The national node's CA certificate
// signs itself; it issues each node's certificate at enrolment (exchange/node_identity.hpp).
// A node certificate names the node in its subject: the common name is the node's code (the
// province's division code, 000000 for the national node), the organizational unit its role.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/sm2.hpp"

struct x509_st;  // OpenSSL's X509

namespace nemis::crypto {

struct CertificateSubject {
  std::string common_name;          // the node's code
  std::string organizational_unit;  // the node's role: "national", "provincial" (CA: "ca")
  bool operator==(const CertificateSubject&) const = default;
};

/// Unix seconds, UTC.
struct CertificateValidity {
  int64_t not_before = 0;
  int64_t not_after = 0;
};

/// Gives `cert` the GM/T 0009 default identifier, which OpenSSL checks an SM2 signature of a
/// certificate with: a certificate parsed elsewhere (a TLS handshake's chain) carries none.
void CarrySm2DefaultId(x509_st* cert);

/// What a node's TLS certificate says (see Sm2Certificate::IssueTls).
struct TlsCertificateInfo {
  CertificateSubject subject;
  CertificateValidity validity;
  std::string public_key_pem;  // the P-256 key, SubjectPublicKeyInfo PEM
};

class Sm2Certificate {
 public:
  /// One PEM "CERTIFICATE" of an SM2 key; "bad_certificate" otherwise (including RSA or
  /// ECDSA certificates).
  static Result<Sm2Certificate> FromPem(std::string_view pem);

  /// A CA certificate for `key`, signed by `key` (basicConstraints CA:TRUE, keyCertSign).
  static Sm2Certificate SelfSignCa(const Sm2PrivateKey& key, const CertificateSubject& subject,
                                   CertificateValidity validity);
  /// An end-entity certificate for `subject_key`, signed by `issuer_key`, which belongs to
  /// the CA certificate `issuer`. The serial number is 127 random bits.
  static Sm2Certificate Issue(const Sm2PrivateKey& issuer_key, const Sm2Certificate& issuer,
                              const Sm2PublicKey& subject_key, const CertificateSubject& subject,
                              CertificateValidity validity);

  /// A node's TLS certificate (mutual TLS between nodes): its ECDSA P-256 key
  /// (`public_key_pem`), signed by this SM2 CA over SM3, for serverAuth and clientAuth.
  /// Stock OpenSSL 3.0 refuses an SM2 key as a TLS certificate ("unknown certificate type";
  /// RFC 8998 and GM/T TLCP need Tongsuo), so TLS carries a P-256 key that the CA vouches
  /// for; what crosses stays signed and sealed with SM2 as well. "bad_key" unless P-256.
  static Result<std::string> IssueTls(const Sm2PrivateKey& issuer_key, const Sm2Certificate& issuer,
                                      std::string_view public_key_pem,
                                      const CertificateSubject& subject,
                                      CertificateValidity validity);
  /// A TLS certificate issued by `issuer`, valid at `now`: "bad_certificate" (not a PEM
  /// certificate of a P-256 key) and the 403s of CheckIssuedBy.
  static Result<TlsCertificateInfo> ReadTls(std::string_view pem, const Sm2Certificate& issuer,
                                            int64_t now);

  std::string ToPem() const;
  CertificateSubject Subject() const;
  /// Uppercase hex of the serial number: how a node is named in revocations.
  std::string SerialHex() const;
  CertificateValidity Validity() const;
  bool IsCa() const;
  Sm2PublicKey PublicKey() const;

  /// Ok when `issuer` is a CA certificate, names this certificate's issuer, signed it, and
  /// `now` (unix seconds) is within this certificate's validity. Errors (403):
  /// "certificate_untrusted" and "certificate_expired".
  Status CheckIssuedBy(const Sm2Certificate& issuer, int64_t now) const;

 private:
  explicit Sm2Certificate(std::shared_ptr<x509_st> cert) : cert_(std::move(cert)) {}
  std::shared_ptr<x509_st> cert_;
};

}  // namespace nemis::crypto
