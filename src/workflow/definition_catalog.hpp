// The workflow definitions a node knows, by type. The built-in ones are data
// (definitions/builtin.json, compiled in): the transfer chains as practised in the national
// registry system (STANDARDS.md) — same county: receiving school applies, sending school,
// county; across counties: receiving county, sending school, sending county; across
// provinces: each side's province added after its county.
#pragma once

#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "workflow/workflow_definition.hpp"

namespace nemis::workflow {

class DefinitionCatalog {
 public:
  /// A JSON array of definitions (WorkflowDefinition::FromJson's form). Errors name the
  /// element and field ("[2].steps[0].party"); a type given twice is refused.
  static Result<DefinitionCatalog> FromJson(std::string_view text);
  /// The built-in definitions, parsed on first use (a defect in them fails the tests
  /// that parse the same text, so it is never shipped).
  static const DefinitionCatalog& Builtin();

  /// The definition of `type`, or null.
  const WorkflowDefinition* Find(std::string_view type) const;
  const std::vector<WorkflowDefinition>& all() const { return definitions_; }

 private:
  std::vector<WorkflowDefinition> definitions_;
};

}  // namespace nemis::workflow
