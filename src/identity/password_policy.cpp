#include "identity/password_policy.hpp"

#include <algorithm>
#include <cctype>

#include "base/text.hpp"
#include "crypto/random.hpp"

namespace nemis::identity {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int ClassesIn(std::string_view password) {
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (std::islower(c))
      lower = true;
    else if (std::isupper(c))
      upper = true;
    else if (std::isdigit(c))
      digit = true;
    else
      other = true;  // punctuation, and any non-ASCII character
  }
  return lower + upper + digit + other;
}

Error Weak(std::string code, std::string message) {
  return Error::Invalid({{"password", std::move(code), std::move(message)}}, "密码不符合安全要求");
}

}  // namespace

Status CheckPasswordStrength(std::string_view password, std::string_view login,
                             const PasswordPolicy& policy) {
  if (!IsValidUtf8(password)) return Weak("bad_encoding", "密码不是有效的 UTF-8 文本");
  if (static_cast<int>(Utf8Length(password)) < policy.min_length)
    return Weak("too_short", "密码至少 " + std::to_string(policy.min_length) + " 个字符");
  if (ClassesIn(password) < policy.min_classes)
    return Weak("too_simple", "密码须包含小写字母、大写字母、数字、其他符号中的至少 " +
                                  std::to_string(policy.min_classes) + " 类");
  if (login.size() >= 3 && Lower(password).find(Lower(login)) != std::string::npos)
    return Weak("contains_login", "密码不能包含登录名");
  return {};
}

std::string GeneratePassword(size_t length) {
  // No look-alikes (0/O, 1/l/I), so that a password read off a screen is typed right.
  static constexpr std::string_view kSets[] = {"abcdefghijkmnpqrstuvwxyz",
                                               "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "#%+-=@_"};
  length = std::max<size_t>(length, 4);
  std::string random = crypto::RandomBytes(length * 3);
  std::string out;
  for (size_t i = 0; i < length; ++i) {
    std::string_view set = kSets[i < 4 ? i : static_cast<unsigned char>(random[i]) % 4];
    out += set[static_cast<unsigned char>(random[length + i]) % set.size()];
  }
  // The first four characters cover every class; move them to random places.
  for (size_t i = out.size() - 1; i > 0; --i)
    std::swap(out[i], out[static_cast<unsigned char>(random[2 * length + i]) % (i + 1)]);
  return out;
}

}  // namespace nemis::identity
