// Toneless pinyin of Han characters, for comparing names by sound (张小明 and 张晓明 are both
// "zhang xiao ming"). The table (codes/pinyin/pinyin_table.txt, from pinyin-pro, MIT) is
// compiled in; each character has its most common reading only, so a polyphonic surname
// read otherwise in a name (单 shan, 曾 zeng) compares by its common reading on both sides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nemis::codes {

/// The toneless syllable of one code point (ü as v), or "" when it is not a Han
/// character the table knows.
std::string_view PinyinOf(char32_t code_point);

/// The code points of a UTF-8 string; a malformed byte becomes U+FFFD.
std::vector<char32_t> DecodeUtf8(std::string_view text);

/// The name's syllables joined by spaces: "zhang xiao ming". Characters without a
/// syllable (the middle dot of minority names, letters) stand for themselves.
std::string NamePinyin(std::string_view name);

}  // namespace nemis::codes
