// SM2 certificates with OpenSSL 3's X509 API. OpenSSL checks an SM2 signature of a
// certificate with the ID the certificate object carries, so every certificate made or read
// here carries the GM/T 0009 default ID it is signed with.
#include "crypto/sm2_certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>

#include "crypto/internal/openssl_error.hpp"
#include "crypto/internal/pkey.hpp"

namespace nemis::crypto {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
using X509Ptr = std::shared_ptr<X509>;

constexpr int kSerialBits = 127;  // positive, under the 20 octets RFC 5280 allows

Error BadCertificate(const char* message) {
  internal::ClearOpenSslErrors();
  return Error::BadRequest("bad_certificate", message);
}

Error Untrusted(const char* message) {
  internal::ClearOpenSslErrors();
  return Error{ErrorKind::kForbidden, "certificate_untrusted", message, {}};
}

void Check(int ok, const char* operation) {
  if (ok != 1) internal::ThrowOpenSslError(operation);
}

void AddEntry(X509_NAME* name, const char* field, std::string_view value) {
  Check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0),
        "X509_NAME_add_entry_by_txt");
}

void SetSubject(X509* cert, const CertificateSubject& subject) {
  X509_NAME* name = X509_get_subject_name(cert);
  AddEntry(name, "O", "NEMIS");
  AddEntry(name, "OU", subject.organizational_unit);
  AddEntry(name, "CN", subject.common_name);
}

void SetRandomSerial(X509* cert) {
  BnPtr bn(BN_new(), BN_free);
  if (!bn || BN_rand(bn.get(), kSerialBits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) {
    internal::ThrowOpenSslError("certificate serial");
  }
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) internal::ThrowOpenSslError("X509V3_EXT_conf_nid");
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  Check(ok, "X509_add_ext");
}

// Everything but the issuer's part: version, serial, validity, subject, key, extensions.
X509Ptr NewCertificate(evp_pkey_st* subject_key, const CertificateSubject& subject,
                       CertificateValidity validity) {
  X509Ptr cert(X509_new(), X509_free);
  if (!cert) internal::ThrowOpenSslError("X509_new");
  Check(X509_set_version(cert.get(), 2), "X509_set_version");
  SetRandomSerial(cert.get());
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), validity.not_before) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), validity.not_after) == nullptr) {
    internal::ThrowOpenSslError("ASN1_TIME_set");
  }
  SetSubject(cert.get(), subject);
  Check(X509_set_pubkey(cert.get(), subject_key), "X509_set_pubkey");
  CarrySm2DefaultId(cert.get());
  return cert;
}

void SignWith(X509* cert, evp_pkey_st* issuer_key) {
  internal::MdCtxPtr ctx =
      internal::StartDigestSignature(issuer_key, "SM3", kSm2DefaultUserId, /*sign=*/true);
  if (X509_sign_ctx(cert, ctx.get()) <= 0) internal::ThrowOpenSslError("X509_sign_ctx");
}

int64_t UnixTime(const ASN1_TIME* time) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(time, &tm) != 1) internal::ThrowOpenSslError("ASN1_TIME_to_tm");
  return static_cast<int64_t>(timegm(&tm));
}

std::string EntryText(X509_NAME* name, int nid) {
  int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return "";
  std::string text(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return text;
}

Result<X509Ptr> ReadPem(std::string_view pem) {
  if (pem.size() > static_cast<size_t>(INT_MAX)) return BadCertificate("证书过大");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  X509* raw = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (raw == nullptr) return BadCertificate("不是有效的 PEM 证书");
  X509Ptr cert(raw, X509_free);
  CarrySm2DefaultId(cert.get());
  return cert;
}

std::string ToPemText(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    internal::ThrowOpenSslError("PEM_write_bio_X509");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// The end-entity certificate's issuer, extensions (with `key_usage`) and signature.
void IssueFrom(X509* cert, X509* issuer, evp_pkey_st* issuer_key, const char* key_usage) {
  Check(X509_set_issuer_name(cert, X509_get_subject_name(issuer)), "X509_set_issuer_name");
  AddExtension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert, issuer, NID_key_usage, key_usage);
  AddExtension(cert, issuer, NID_subject_key_identifier, "hash");
  AddExtension(cert, issuer, NID_authority_key_identifier, "keyid");
  SignWith(cert, issuer_key);
}

CertificateSubject SubjectOf(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  return {EntryText(name, NID_commonName), EntryText(name, NID_organizationalUnitName)};
}

Status CheckSignedBy(X509* cert, X509* issuer, int64_t now) {
  if (X509_check_ca(issuer) != 1) return Untrusted("签发者不是证书颁发机构");
  if (X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(issuer)) != 0 ||
      X509_verify(cert, X509_get0_pubkey(issuer)) != 1) {
    return Untrusted("证书不是由本系统的证书颁发机构签发的");
  }
  const int64_t not_before = UnixTime(X509_get0_notBefore(cert));
  const int64_t not_after = UnixTime(X509_get0_notAfter(cert));
  if (now < not_before || now > not_after) {
    return Error{ErrorKind::kForbidden, "certificate_expired", "证书不在有效期内", {}};
  }
  return {};
}

}  // namespace

void CarrySm2DefaultId(X509* cert) {
  ASN1_OCTET_STRING* id = ASN1_OCTET_STRING_new();
  if (id == nullptr ||
      ASN1_OCTET_STRING_set(id, reinterpret_cast<const unsigned char*>(kSm2DefaultUserId.data()),
                            static_cast<int>(kSm2DefaultUserId.size())) != 1) {
    ASN1_OCTET_STRING_free(id);
    internal::ThrowOpenSslError("ASN1_OCTET_STRING_set");
  }
  X509_set0_distinguishing_id(cert, id);  // takes ownership
}

Result<Sm2Certificate> Sm2Certificate::FromPem(std::string_view pem) {
  NEMIS_ASSIGN_OR_RETURN(X509Ptr cert, ReadPem(pem));
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  if (key == nullptr || !internal::IsKeyOn(key, "SM2", "SM2")) {
    return BadCertificate("证书的公钥不是 SM2 密钥");
  }
  return Sm2Certificate(std::move(cert));
}

Sm2Certificate Sm2Certificate::SelfSignCa(const Sm2PrivateKey& key,
                                          const CertificateSubject& subject,
                                          CertificateValidity validity) {
  X509Ptr cert = NewCertificate(key.key_.get(), subject, validity);
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())),
        "X509_set_issuer_name");
  AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  SignWith(cert.get(), key.key_.get());
  return Sm2Certificate(std::move(cert));
}

Sm2Certificate Sm2Certificate::Issue(const Sm2PrivateKey& issuer_key, const Sm2Certificate& issuer,
                                     const Sm2PublicKey& subject_key,
                                     const CertificateSubject& subject,
                                     CertificateValidity validity) {
  X509Ptr cert = NewCertificate(subject_key.key_.get(), subject, validity);
  IssueFrom(cert.get(), issuer.cert_.get(), issuer_key.key_.get(),
            "critical,digitalSignature,keyEncipherment");
  return Sm2Certificate(std::move(cert));
}

Result<std::string> Sm2Certificate::IssueTls(const Sm2PrivateKey& issuer_key,
                                             const Sm2Certificate& issuer,
                                             std::string_view public_key_pem,
                                             const CertificateSubject& subject,
                                             CertificateValidity validity) {
  NEMIS_ASSIGN_OR_RETURN(internal::PkeyPtr key, internal::ReadPublicKeyPem(public_key_pem));
  if (!internal::IsKeyOn(key.get(), "EC", "prime256v1")) {
    return Error::BadRequest("bad_key", "TLS 公钥应为 P-256 椭圆曲线密钥");
  }
  X509Ptr cert = NewCertificate(key.get(), subject, validity);
  AddExtension(cert.get(), issuer.cert_.get(), NID_ext_key_usage, "serverAuth,clientAuth");
  IssueFrom(cert.get(), issuer.cert_.get(), issuer_key.key_.get(), "critical,digitalSignature");
  return ToPemText(cert.get());
}

Result<TlsCertificateInfo> Sm2Certificate::ReadTls(std::string_view pem,
                                                   const Sm2Certificate& issuer, int64_t now) {
  NEMIS_ASSIGN_OR_RETURN(X509Ptr cert, ReadPem(pem));
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  if (key == nullptr || !internal::IsKeyOn(key, "EC", "prime256v1")) {
    return BadCertificate("TLS 证书的公钥不是 P-256 密钥");
  }
  NEMIS_TRY(CheckSignedBy(cert.get(), issuer.cert_.get(), now));
  return TlsCertificateInfo{
      SubjectOf(cert.get()),
      {UnixTime(X509_get0_notBefore(cert.get())), UnixTime(X509_get0_notAfter(cert.get()))},
      internal::WritePublicKeyPem(key)};
}

std::string Sm2Certificate::ToPem() const { return ToPemText(cert_.get()); }

CertificateSubject Sm2Certificate::Subject() const { return SubjectOf(cert_.get()); }

std::string Sm2Certificate::SerialHex() const {
  BnPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr), BN_free);
  char* hex = bn ? BN_bn2hex(bn.get()) : nullptr;
  if (hex == nullptr) internal::ThrowOpenSslError("BN_bn2hex");
  std::string text(hex);
  OPENSSL_free(hex);
  return text;
}

CertificateValidity Sm2Certificate::Validity() const {
  return {UnixTime(X509_get0_notBefore(cert_.get())), UnixTime(X509_get0_notAfter(cert_.get()))};
}

bool Sm2Certificate::IsCa() const { return X509_check_ca(cert_.get()) == 1; }

Sm2PublicKey Sm2Certificate::PublicKey() const {
  EVP_PKEY* key = X509_get0_pubkey(cert_.get());
  EVP_PKEY_up_ref(key);
  return Sm2PublicKey(internal::AdoptPkey(key));
}

Status Sm2Certificate::CheckIssuedBy(const Sm2Certificate& issuer, int64_t now) const {
  return CheckSignedBy(cert_.get(), issuer.cert_.get(), now);
}

}  // namespace nemis::crypto
