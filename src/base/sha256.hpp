// SHA-256 digests (OpenSSL), for file fingerprints and request-body identities.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace nemis {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  /// Lowercase hex of the digest; the object is spent afterwards.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(std::string_view data);

}  // namespace nemis
