#include "codes/code_tables.hpp"

namespace nemis::codes {

// Linear scans: the tables hold at most a few dozen rows of short strings.
const CodeEntry* CodeTable::Find(std::string_view code) const {
  for (const CodeEntry& e : entries_)
    if (e.code == code) return &e;
  return nullptr;
}

const CodeEntry* CodeTable::FindByName(std::string_view name) const {
  for (const CodeEntry& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<const CodeTable*> AllCodeTables() {
  return {&GenderCodes(),         &EthnicityCodes(),        &IdTypeCodes(),
          &OverseasCodes(),       &NationalityCodes(),      &HukouTypeCodes(),
          &DisabilityTypeCodes(), &GuardianRelationCodes(), &YesNoCodes(),
          &SchoolCategoryCodes(), &SchoolTypeCodes(),       &SponsorCodes(),
          &UrbanRuralCodes(),     &StudentCategoryCodes(),  &StudentStatusCodes(),
          &StatusChangeCodes(),   &LeftBehindCodes(),       &EntryMethodCodes(),
          &BoardingCodes()};
}

std::string_view UrbanRuralClass(std::string_view code) {
  if (UrbanRuralCodes().Find(code) == nullptr) return {};
  if (code.substr(0, 2) == "11") return "城区";
  if (code.substr(0, 2) == "12") return "镇区";
  return "乡村";
}

}  // namespace nemis::codes
