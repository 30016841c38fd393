// OpenSSL error queue -> exception text.
#include "crypto/internal/openssl_error.hpp"

#include <openssl/err.h>

#include <stdexcept>
#include <string>

namespace nemis::crypto::internal {

void ThrowOpenSslError(std::string_view operation) {
  std::string message = "OpenSSL " + std::string(operation) + " failed";
  char text[256];
  for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
    ERR_error_string_n(code, text, sizeof text);
    message += "; ";
    message += text;
  }
  throw std::runtime_error(message);
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace nemis::crypto::internal
