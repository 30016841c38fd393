// One-time recovery codes: the way back in when the authenticator is lost. Users see
// them once as "XXXXX-XXXXX"; only their hashes are stored, and each works once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::identity {

/// Digits and capitals without the look-alikes 0/O and 1/I: 32 symbols, 5 bits each.
inline constexpr std::string_view kRecoveryCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr size_t kRecoveryCodeLength = 10;  // symbols, without the hyphen
inline constexpr int kRecoveryCodeCount = 10;

/// `count` distinct codes formatted "XXXXX-XXXXX".
std::vector<std::string> GenerateRecoveryCodes(int count = kRecoveryCodeCount);

/// What gets stored: hex SHA-256 of the code uppercased, without spaces and hyphens.
std::string RecoveryCodeHash(std::string_view code);

/// The index of the stored hash that `entered` matches, or nullopt. A used code's hash
/// should be removed or blanked by the caller: an empty entry never matches.
std::optional<size_t> MatchRecoveryCode(std::string_view entered,
                                        const std::vector<std::string>& stored_hashes);

}  // namespace nemis::identity
