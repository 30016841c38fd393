#include "workflow/workflow_definition.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace nemis::workflow {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDeadline = 365;

class Reader {
 public:
  std::string Text(const Json& object, std::string_view key, const std::string& path) {
    auto it = object.find(std::string(key));
    if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) {
      errors_.push_back({path + std::string(key), "required", "必须是非空字符串"});
      return {};
    }
    return it->get<std::string>();
  }
  Duty ReadDuty(const Json& object, const std::string& path) {
    if (!object.is_object()) {
      errors_.push_back({path, "invalid", "必须是对象"});
      return {};
    }
    return {Text(object, "party", path + "."), Text(object, "permission", path + ".")};
  }
  void Fail(std::string field, std::string code, std::string message) {
    errors_.push_back({std::move(field), std::move(code), std::move(message)});
  }
  std::vector<FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<FieldError> errors_;
};

std::vector<Step> ReadSteps(const Json& doc, Reader& reader) {
  std::vector<Step> steps;
  auto it = doc.find("steps");
  if (it == doc.end() || !it->is_array() || it->empty()) {
    reader.Fail("steps", "required", "至少需要一个审批步骤");
    return steps;
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& step = (*it)[i];
    std::string path = "steps[" + std::to_string(i) + "]";
    if (!step.is_object()) {
      reader.Fail(path, "invalid", "必须是对象");
      continue;
    }
    steps.push_back({reader.Text(step, "name", path + "."), reader.ReadDuty(step, path)});
  }
  return steps;
}

int ReadDeadline(const Json& doc, Reader& reader) {
  auto it = doc.find("stepDeadlineWorkingDays");
  if (it == doc.end()) return WorkflowDefinition{}.step_deadline_working_days;
  if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > kMaxDeadline) {
    reader.Fail("stepDeadlineWorkingDays", "out_of_range",
                "必须是 1 到 " + std::to_string(kMaxDeadline) + " 之间的整数");
    return 0;
  }
  return it->get<int>();
}

}  // namespace

Result<WorkflowDefinition> WorkflowDefinition::FromJson(std::string_view text) {
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Error::Invalid({{"", "invalid_json", "流程定义不是合法的 JSON 对象"}}, "流程定义无效");
  Reader reader;
  WorkflowDefinition def;
  def.type = reader.Text(doc, "type", "");
  def.title = reader.Text(doc, "title", "");
  def.opener = doc.contains("opener") ? reader.ReadDuty(doc["opener"], "opener") : Duty{};
  if (!doc.contains("opener")) reader.Fail("opener", "required", "必须说明由谁发起");
  def.steps = ReadSteps(doc, reader);
  def.step_deadline_working_days = ReadDeadline(doc, reader);
  std::vector<FieldError> errors = reader.Take();
  if (!errors.empty()) return Error::Invalid(std::move(errors), "流程定义无效");
  return def;
}

std::vector<std::string> WorkflowDefinition::Parties() const {
  std::vector<std::string> parties = {opener.party};
  for (const Step& step : steps) parties.push_back(step.duty.party);
  std::sort(parties.begin(), parties.end());
  parties.erase(std::unique(parties.begin(), parties.end()), parties.end());
  return parties;
}

}  // namespace nemis::workflow
