// Turns an unexpected OpenSSL failure into an exception that carries OpenSSL's own error
// queue, and clears the queue after expected failures (bad input) so that stale entries do
// not end up in the message of a later, unrelated exception.
#pragma once

#include <string_view>

namespace nemis::crypto::internal {

/// Throws std::runtime_error naming `operation` and the drained OpenSSL error queue.
[[noreturn]] void ThrowOpenSslError(std::string_view operation);

/// Forgets queued OpenSSL errors after a failure that is reported as a Result or bool.
void ClearOpenSslErrors();

}  // namespace nemis::crypto::internal
