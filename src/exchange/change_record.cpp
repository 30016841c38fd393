#include "exchange/change_record.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "crypto/encoding.hpp"

namespace nemis::exchange {
namespace {

using nlohmann::json;

template <class T>
void Put(json& j, const char* name, const std::optional<T>& v) {
  if (v) j[name] = *v;
}

json OrgJson(const org::ReplicaInstitution& r) {
  const org::Institution& i = r.institution;
  json j = {{"code", i.code},
            {"level", static_cast<int>(i.level)},
            {"parentCode", i.parent_code},
            {"name", i.name},
            {"open", i.open},
            {"promotions", r.promotions},
            {"promotedYear", r.promoted_year},
            {"createdAt", i.created_at}};
  Put(j, "provinceCode", i.province_code);
  Put(j, "cityCode", i.city_code);
  Put(j, "countyCode", i.county_code);
  Put(j, "category", i.category);
  Put(j, "schoolType", i.school_type);
  Put(j, "sponsor", i.sponsor);
  Put(j, "urbanRural", i.urban_rural);
  Put(j, "address", i.address);
  Put(j, "longitude", i.longitude);
  Put(j, "latitude", i.latitude);
  return j;
}

json GuardianJson(const registry::Guardian& g) {
  json j = json::object();
  Put(j, "name", g.name);
  Put(j, "relation", g.relation);
  return j;
}

json StudentJson(const registry::Student& s) {
  const registry::Enrolment& e = s.enrolment;
  json j = {{"studentNumber", s.student_number},
            {"numberKind", std::string(1, s.number_kind)},
            {"name", s.name},
            {"gender", s.gender},
            {"birthDate", s.birth_date},
            {"ethnicity", s.ethnicity},
            {"nationality", s.nationality},
            {"leftBehind", s.left_behind},
            {"migrantChild", s.migrant_child},
            {"orphan", s.orphan},
            {"martyrChild", s.martyr_child},
            {"inRegularClass", s.in_regular_class},
            {"guardian1", GuardianJson(s.guardian1)},
            {"guardian2", GuardianJson(s.guardian2)},
            {"schoolCode", e.school_code},
            {"provinceCode", e.province_code},
            {"stage", e.stage},
            {"grade", e.grade},
            {"gradeMark", e.grade_mark},
            {"classNo", e.class_no},
            {"entryDate", e.entry_date},
            {"status", e.status},
            {"createdAt", s.created_at},
            {"updatedAt", s.updated_at}};
  Put(j, "idType", s.id_type);
  Put(j, "idNumber", s.id_number);
  Put(j, "overseas", s.overseas);
  Put(j, "hukouType", s.hukou_type);
  Put(j, "category", s.category);
  Put(j, "boarding", s.boarding);
  Put(j, "entryMethod", s.entry_method);
  Put(j, "disabilityType", s.disability_type);
  Put(j, "cityCode", e.city_code);
  Put(j, "countyCode", e.county_code);
  return j;
}

// Reads the fields of one record, remembering the first one that is missing or of the
// wrong type, so that the record's error names it.
class Reader {
 public:
  explicit Reader(const json& j) : j_(j) {}

  template <class T>
  T Need(const char* name) {
    auto it = j_.find(name);
    if (it == j_.end() || !Fits<T>(*it)) {
      Fail(name);
      return T{};
    }
    return it->get<T>();
  }
  template <class T>
  std::optional<T> May(const char* name) {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return std::nullopt;
    if (!Fits<T>(*it)) {
      Fail(name);
      return std::nullopt;
    }
    return it->get<T>();
  }
  registry::Guardian Guardian(const char* name) {
    registry::Guardian g;
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_object()) return g;
    Reader inner(*it);
    g.name = inner.May<std::string>("name");
    g.relation = inner.May<std::string>("relation");
    if (inner.bad_field_) Fail(name);
    return g;
  }
  const char* bad_field() const { return bad_field_; }
  void Fail(const char* name) {
    if (bad_field_ == nullptr) bad_field_ = name;
  }

 private:
  template <class T>
  static bool Fits(const json& v) {
    if constexpr (std::is_same_v<T, std::string>) return v.is_string();
    if constexpr (std::is_same_v<T, bool>) return v.is_boolean();
    if constexpr (std::is_same_v<T, double>) return v.is_number();
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) return v.is_number_integer();
    return false;
  }
  const json& j_;
  const char* bad_field_ = nullptr;
};

org::ReplicaInstitution OrgFrom(Reader& r) {
  org::ReplicaInstitution out;
  org::Institution& i = out.institution;
  i.code = r.Need<std::string>("code");
  const int level = r.Need<int>("level");
  // A replica is a province's institution or one below it, never the national root.
  if (level < 1 || level > 4) r.Fail("level");
  i.level = static_cast<org::OrgLevel>(level);
  i.parent_code = r.Need<std::string>("parentCode");
  i.name = r.Need<std::string>("name");
  i.open = r.Need<bool>("open");
  out.promotions = r.Need<int64_t>("promotions");
  out.promoted_year = r.Need<int64_t>("promotedYear");
  i.created_at = r.Need<std::string>("createdAt");
  i.province_code = r.May<std::string>("provinceCode");
  i.city_code = r.May<std::string>("cityCode");
  i.county_code = r.May<std::string>("countyCode");
  i.category = r.May<std::string>("category");
  i.school_type = r.May<std::string>("schoolType");
  i.sponsor = r.May<std::string>("sponsor");
  i.urban_rural = r.May<std::string>("urbanRural");
  i.address = r.May<std::string>("address");
  i.longitude = r.May<double>("longitude");
  i.latitude = r.May<double>("latitude");
  return out;
}

registry::Student StudentFrom(Reader& r) {
  registry::Student s;
  s.student_number = r.Need<std::string>("studentNumber");
  const std::string kind = r.Need<std::string>("numberKind");
  s.number_kind = kind.size() == 1 ? kind[0] : 'G';
  s.name = r.Need<std::string>("name");
  s.gender = r.Need<int>("gender");
  s.birth_date = r.Need<std::string>("birthDate");
  s.ethnicity = r.Need<std::string>("ethnicity");
  s.nationality = r.Need<std::string>("nationality");
  s.left_behind = r.Need<int>("leftBehind");
  s.migrant_child = r.Need<int>("migrantChild");
  s.orphan = r.Need<int>("orphan");
  s.martyr_child = r.Need<int>("martyrChild");
  s.in_regular_class = r.Need<int>("inRegularClass");
  s.guardian1 = r.Guardian("guardian1");
  s.guardian2 = r.Guardian("guardian2");
  s.created_at = r.Need<std::string>("createdAt");
  s.updated_at = r.Need<std::string>("updatedAt");
  s.id_type = r.May<std::string>("idType");
  s.id_number = r.May<std::string>("idNumber");
  s.overseas = r.May<std::string>("overseas");
  s.hukou_type = r.May<std::string>("hukouType");
  s.category = r.May<std::string>("category");
  s.boarding = r.May<int>("boarding");
  s.entry_method = r.May<std::string>("entryMethod");
  s.disability_type = r.May<std::string>("disabilityType");
  registry::Enrolment& e = s.enrolment;
  e.school_code = r.Need<std::string>("schoolCode");
  e.province_code = r.Need<std::string>("provinceCode");
  e.city_code = r.May<std::string>("cityCode");
  e.county_code = r.May<std::string>("countyCode");
  e.stage = r.Need<std::string>("stage");
  e.grade = r.Need<int>("grade");
  e.grade_mark = r.Need<int64_t>("gradeMark");
  e.class_no = r.Need<std::string>("classNo");
  e.entry_date = r.Need<std::string>("entryDate");
  e.status = r.Need<std::string>("status");
  return s;
}

Error BadRecord(size_t index, const std::string& what) {
  return Error::BadRequest("bad_batch", "批次第 " + std::to_string(index + 1) + " 条记录" + what);
}

}  // namespace

json RecordToJson(const ChangeRecord& record) {
  if (const auto* org = std::get_if<org::ReplicaInstitution>(&record.value)) {
    return {{"seq", record.seq}, {"entity", "org"}, {"org", OrgJson(*org)}};
  }
  return {{"seq", record.seq},
          {"entity", "student"},
          {"student", StudentJson(std::get<registry::Student>(record.value))}};
}

Result<ChangeRecord> RecordFromJson(const json& j, size_t index) {
  if (!j.is_object()) return BadRecord(index, "不是对象");
  Reader top(j);
  ChangeRecord out;
  out.seq = top.Need<int64_t>("seq");
  const std::string entity = top.Need<std::string>("entity");
  if (top.bad_field()) return BadRecord(index, std::string("缺少或错误的字段 ") + top.bad_field());
  auto body = j.find(entity);
  if ((entity != "org" && entity != "student") || body == j.end() || !body->is_object()) {
    return BadRecord(index, "的类型 " + entity + " 无法识别");
  }
  Reader r(*body);
  if (entity == "org") {
    out.value = OrgFrom(r);
  } else {
    out.value = StudentFrom(r);
  }
  if (r.bad_field()) return BadRecord(index, std::string("缺少或错误的字段 ") + r.bad_field());
  return out;
}

std::string SealStudentRecord(const crypto::FieldCipher& cipher, const ChangeRecord& record) {
  return crypto::Base64UrlEncode(cipher.Seal(RecordToJson(record).dump()));
}

std::string CanonicalRecord(const ChangeRecord& record) {
  nlohmann::json j = RecordToJson(record);
  j.erase("seq");
  return j.dump();
}

Result<registry::Student> OpenStudentRecord(const crypto::FieldCipher& cipher,
                                            std::string_view sealed) {
  NEMIS_ASSIGN_OR_RETURN(std::string bytes, crypto::Base64UrlDecode(sealed));
  NEMIS_ASSIGN_OR_RETURN(std::string text, cipher.Open(bytes));
  NEMIS_ASSIGN_OR_RETURN(ChangeRecord record,
                         RecordFromJson(nlohmann::json::parse(text, nullptr, false), 0));
  if (auto* s = std::get_if<registry::Student>(&record.value)) return std::move(*s);
  return Error::Internal("冲突记录不是学生");
}

}  // namespace nemis::exchange
