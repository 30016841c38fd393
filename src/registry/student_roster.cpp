#include "registry/student_roster.hpp"

#include "registry/student_texts.hpp"

namespace nemis::registry {

std::array<std::string, kStudentFieldCount> RosterTexts(const Student& s) {
  return internal::TextsOf(s);
}

}  // namespace nemis::registry
