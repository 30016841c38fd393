#include "registry/duplicate_student.hpp"

namespace nemis::registry {

FieldError DuplicateDocument(const org::Scope& scope, const org::Institution& school) {
  if (scope.Contains(school))
    return {"idNumber", std::string(kDuplicateStudent),
            "该身份证件号已在" + school.name + "（学校标识码 " + school.code +
                "）注册学籍，一人一号，不能重复注册"};
  return {
      "idNumber", std::string(kRegisteredElsewhere),
      "该身份证件号已在其他学校注册学籍，一人一号，不能重复注册；请联系本区县学籍主管部门核查处理重复学籍"};
}

Error DuplicateDocumentError(const org::Scope& scope, const org::Institution& school) {
  FieldError field = DuplicateDocument(scope, school);
  Error e = Error::Conflict(field.code, field.message);
  e.fields.push_back(std::move(field));
  return e;
}

}  // namespace nemis::registry
