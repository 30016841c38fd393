#include "workflow/definition_catalog.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace nemis::workflow {

// Generated at configure time from definitions/builtin.json (cmake/NemisEmbedText.cmake).
std::string_view BuiltinDefinitionsText();

namespace {

// The element's errors, their fields prefixed with its place in the array.
Error InElement(size_t index, Error error) {
  const std::string prefix = "[" + std::to_string(index) + "]";
  for (FieldError& f : error.fields) f.field = prefix + (f.field.empty() ? "" : "." + f.field);
  return error;
}

}  // namespace

Result<DefinitionCatalog> DefinitionCatalog::FromJson(std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array())
    return Error::Invalid({{"", "invalid_json", "流程定义目录须是 JSON 数组"}}, "流程定义无效");
  DefinitionCatalog catalog;
  for (size_t i = 0; i < doc.size(); ++i) {
    auto definition = WorkflowDefinition::FromJson(doc[i].dump());
    if (!definition.ok()) return InElement(i, std::move(definition).error());
    if (catalog.Find(definition->type) != nullptr) {
      return Error::Invalid({{"[" + std::to_string(i) + "].type", "duplicate_type",
                              "流程类型 " + definition->type + " 重复"}},
                            "流程定义无效");
    }
    catalog.definitions_.push_back(std::move(*definition));
  }
  return catalog;
}

const DefinitionCatalog& DefinitionCatalog::Builtin() {
  static const DefinitionCatalog builtin = [] {
    auto parsed = FromJson(BuiltinDefinitionsText());
    if (!parsed.ok())
      throw std::logic_error("built-in workflow definitions: " + parsed.error().message);
    return std::move(*parsed);
  }();
  return builtin;
}

const WorkflowDefinition* DefinitionCatalog::Find(std::string_view type) const {
  for (const WorkflowDefinition& d : definitions_)
    if (d.type == type) return &d;
  return nullptr;
}

}  // namespace nemis::workflow
