#include "importer/school_registrar.hpp"

#include "org/org_store.hpp"
#include "org/org_validation.hpp"

namespace nemis::importer {

using registry::StudentField;

Status SchoolRegistrar::Observe(const RecordBatch& batch, const RosterLayout& layout) {
  const int code_at = layout.mapping.field(StudentField::kSchoolCode);
  const int name_at = layout.mapping.field(StudentField::kSchoolName);
  const int type_at = layout.mapping.field(StudentField::kSchoolType);
  const int division_at = layout.mapping.field(StudentField::kSchoolDivision);
  if (code_at < 0 || name_at < 0 || type_at < 0 || division_at < 0) return {};
  const size_t width = layout.headers.size();
  for (size_t i = 0; i < batch.size(); ++i) {
    BatchRecord r = batch.record(i);
    if (r.problem() || r.size() != width) continue;
    std::string_view code = r.field(static_cast<size_t>(code_at));
    if (code.empty() || schools_.Find(code) || refused_.contains(code)) continue;
    NEMIS_TRY(Consider(code, r.field(static_cast<size_t>(name_at)),
                       r.field(static_cast<size_t>(type_at)),
                       r.field(static_cast<size_t>(division_at))));
  }
  return {};
}

const std::optional<org::Institution>& SchoolRegistrar::Parent(const std::string& code) {
  auto it = parents_.find(code);
  if (it != parents_.end()) return it->second;
  std::optional<org::Institution> parent;
  // Inside a load the writer's connection reads too: the store may have no reader meanwhile.
  auto loaded = writer_ ? org::OrgStore::Load(*writer_, code)
                        : db_.Read<std::optional<org::Institution>>(
                              [&](db::Connection& c) { return org::OrgStore::Load(c, code); });
  if (loaded.ok() && *loaded && scope_.Contains(**loaded)) parent = std::move(**loaded);
  return parents_.emplace(code, std::move(parent)).first->second;
}

Status SchoolRegistrar::Consider(std::string_view code, std::string_view name,
                                 std::string_view type, std::string_view division) {
  org::InstitutionInput input;
  input.code = std::string(code);
  input.name = std::string(name);
  input.school_type = std::string(type);
  input.parent_code = std::string(division);
  auto school = org::ValidateNewInstitution(input, Parent(*input.parent_code));
  if (!school.ok()) {
    std::string reason;
    for (const auto& f : school.error().fields) reason += (reason.empty() ? "" : "；") + f.message;
    refusals_.push_back("学校 " + std::string(code) + " 无法登记：" + reason);
    refused_.emplace(code);
    return {};
  }
  if (writer_) {
    NEMIS_ASSIGN_OR_RETURN(*school, org::OrgStore::Insert(*writer_, std::move(*school), now_));
  }
  pending_.push_back(*school);
  schools_.Add(std::move(*school));
  return {};
}

}  // namespace nemis::importer
