#include "exchange/batch_payload.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "exchange/json_scanner.hpp"
#include "exchange/json_writer.hpp"

namespace nemis::exchange {
namespace {

using registry::Guardian;
using registry::Student;

// A student's field as the record's JSON names it (change_record.cpp), and the member
// holding it. The accessors only name a member; the writer calls them on a const record.
template <class T>
using Member = T& (*)(Student&);
using StudentMember =
    std::variant<Member<std::string>, Member<std::optional<std::string>>, Member<int>,
                 Member<std::optional<int>>, Member<int64_t>, Member<char>, Member<Guardian>>;
struct StudentField {
  std::string_view name;
  StudentMember member;
};

// In the order nlohmann writes an object's keys (bytewise), so the writer follows the table
// and the reader finds the next key where it looked last.
constexpr std::array<StudentField, 34> kStudentFields = {{
    {"birthDate", +[](Student& s) -> std::string& { return s.birth_date; }},
    {"boarding", +[](Student& s) -> std::optional<int>& { return s.boarding; }},
    {"category", +[](Student& s) -> std::optional<std::string>& { return s.category; }},
    {"cityCode", +[](Student& s) -> std::optional<std::string>& { return s.enrolment.city_code; }},
    {"classNo", +[](Student& s) -> std::string& { return s.enrolment.class_no; }},
    {"countyCode",
     +[](Student& s) -> std::optional<std::string>& { return s.enrolment.county_code; }},
    {"createdAt", +[](Student& s) -> std::string& { return s.created_at; }},
    {"disabilityType",
     +[](Student& s) -> std::optional<std::string>& { return s.disability_type; }},
    {"entryDate", +[](Student& s) -> std::string& { return s.enrolment.entry_date; }},
    {"entryMethod", +[](Student& s) -> std::optional<std::string>& { return s.entry_method; }},
    {"ethnicity", +[](Student& s) -> std::string& { return s.ethnicity; }},
    {"gender", +[](Student& s) -> int& { return s.gender; }},
    {"grade", +[](Student& s) -> int& { return s.enrolment.grade; }},
    {"gradeMark", +[](Student& s) -> int64_t& { return s.enrolment.grade_mark; }},
    {"guardian1", +[](Student& s) -> Guardian& { return s.guardian1; }},
    {"guardian2", +[](Student& s) -> Guardian& { return s.guardian2; }},
    {"hukouType", +[](Student& s) -> std::optional<std::string>& { return s.hukou_type; }},
    {"idNumber", +[](Student& s) -> std::optional<std::string>& { return s.id_number; }},
    {"idType", +[](Student& s) -> std::optional<std::string>& { return s.id_type; }},
    {"inRegularClass", +[](Student& s) -> int& { return s.in_regular_class; }},
    {"leftBehind", +[](Student& s) -> int& { return s.left_behind; }},
    {"martyrChild", +[](Student& s) -> int& { return s.martyr_child; }},
    {"migrantChild", +[](Student& s) -> int& { return s.migrant_child; }},
    {"name", +[](Student& s) -> std::string& { return s.name; }},
    {"nationality", +[](Student& s) -> std::string& { return s.nationality; }},
    {"numberKind", +[](Student& s) -> char& { return s.number_kind; }},
    {"orphan", +[](Student& s) -> int& { return s.orphan; }},
    {"overseas", +[](Student& s) -> std::optional<std::string>& { return s.overseas; }},
    {"provinceCode", +[](Student& s) -> std::string& { return s.enrolment.province_code; }},
    {"schoolCode", +[](Student& s) -> std::string& { return s.enrolment.school_code; }},
    {"stage", +[](Student& s) -> std::string& { return s.enrolment.stage; }},
    {"status", +[](Student& s) -> std::string& { return s.enrolment.status; }},
    {"studentNumber", +[](Student& s) -> std::string& { return s.student_number; }},
    {"updatedAt", +[](Student& s) -> std::string& { return s.updated_at; }},
}};
static_assert(std::ranges::is_sorted(kStudentFields, {}, &StudentField::name));

// The fields a record must have: all but the optional ones and the guardians (a record
// without a guardian's object has an empty guardian, RecordFromJson).
constexpr uint64_t RequiredFields() {
  uint64_t bits = 0;
  for (size_t i = 0; i < kStudentFields.size(); ++i) {
    const StudentMember& m = kStudentFields[i].member;
    const bool optional = std::holds_alternative<Member<std::optional<std::string>>>(m) ||
                          std::holds_alternative<Member<std::optional<int>>>(m) ||
                          std::holds_alternative<Member<Guardian>>(m);
    if (!optional) bits |= uint64_t{1} << i;
  }
  return bits;
}
constexpr uint64_t kRequiredFields = RequiredFields();

// ---- Writing, as nlohmann's dump does (no whitespace, ensure_ascii off).

bool AppendValue(std::string& out, const std::string& v) { return AppendJsonString(out, v); }
bool AppendValue(std::string& out, char v) {
  return AppendJsonString(out, std::string_view(&v, 1));
}
bool AppendValue(std::string& out, int v) {
  AppendJsonInteger(out, v);
  return true;
}
bool AppendValue(std::string& out, int64_t v) {
  AppendJsonInteger(out, v);
  return true;
}
bool AppendValue(std::string& out, const Guardian& g) {
  bool ok = true;
  out += '{';
  if (g.name) {
    AppendJsonKey(out, "name");
    ok = AppendJsonString(out, *g.name);
  }
  if (g.relation) {
    if (g.name) out += ',';
    AppendJsonKey(out, "relation");
    ok = AppendJsonString(out, *g.relation) && ok;
  }
  out += '}';
  return ok;
}

template <class T>
const T* Present(const T& v) {
  return &v;
}
template <class T>
const T* Present(const std::optional<T>& v) {
  return v ? &*v : nullptr;
}

// {"entity":"student","seq":N,"student":{...}}; false (`out` then holds part of it) when a
// text is not UTF-8.
bool AppendStudentRecord(std::string& out, int64_t seq, const Student& student) {
  out += R"({"entity":"student","seq":)";
  AppendJsonInteger(out, seq);
  out += R"(,"student":{)";
  auto& s = const_cast<Student&>(student);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  bool ok = true, first = true;
  for (const StudentField& field : kStudentFields) {
    std::visit(
        [&](auto member) {
          const auto* value = Present(member(s));
          if (value == nullptr) return;
          if (!first) out += ',';
          first = false;
          AppendJsonKey(out, field.name);
          ok = AppendValue(out, *value) && ok;
        },
        field.member);
  }
  out += "}}";
  return ok;
}

void AppendRecord(std::string& out, const ChangeRecord& record) {
  const size_t start = out.size();
  if (const auto* student = std::get_if<Student>(&record.value)) {
    if (AppendStudentRecord(out, record.seq, *student)) return;
    out.resize(start);
  }
  out += RecordToJson(record).dump();  // throws, as it always did, for text not UTF-8
}

// ---- Reading the narrow kind: what AppendStudentRecord writes, in any order of a student's
// fields, with JSON whitespace; nullopt for anything else.

bool TakeKey(JsonScanner& s, std::string_view name) {
  const auto key = s.AsciiString();
  return key && *key == name && s.Take(':');
}

bool ReadValue(JsonScanner& s, std::string& v) {
  const auto text = s.Utf8String();
  if (!text) return false;
  v.assign(*text);
  return true;
}
bool ReadValue(JsonScanner& s, char& v) {
  const auto text = s.Utf8String();
  if (!text) return false;
  v = text->size() == 1 ? text->front() : 'G';  // as RecordFromJson reads a numberKind
  return true;
}
bool ReadValue(JsonScanner& s, int64_t& v) {
  const auto n = s.Integer();
  if (!n) return false;
  v = *n;
  return true;
}
bool ReadValue(JsonScanner& s, int& v) {
  const auto n = s.Integer();
  if (!n || *n < INT_MIN || *n > INT_MAX) return false;
  v = static_cast<int>(*n);
  return true;
}
template <class T>
bool ReadValue(JsonScanner& s, std::optional<T>& v) {
  if (s.Null()) {
    v.reset();
    return true;
  }
  T value{};
  if (!ReadValue(s, value)) return false;
  v = std::move(value);
  return true;
}
bool ReadValue(JsonScanner& s, Guardian& g) {
  if (!s.Take('{')) return false;
  if (s.Take('}')) return true;
  bool named = false, related = false;
  do {
    const auto key = s.AsciiString();
    if (!key || !s.Take(':')) return false;
    if (*key == "name" && !named) {
      named = ReadValue(s, g.name);
      if (!named) return false;
    } else if (*key == "relation" && !related) {
      related = ReadValue(s, g.relation);
      if (!related) return false;
    } else {
      return false;
    }
  } while (s.Take(','));
  return s.Take('}');
}

// The field named `key`, looking from `hint` on first (the writer's order).
std::optional<size_t> FieldIndex(std::string_view key, size_t hint) {
  for (size_t k = 0; k < kStudentFields.size(); ++k) {
    const size_t i = (hint + k) % kStudentFields.size();
    if (kStudentFields[i].name == key) return i;
  }
  return std::nullopt;
}

std::optional<Student> ReadStudent(JsonScanner& s) {
  if (!s.Take('{')) return std::nullopt;
  Student out;
  uint64_t seen = 0;
  size_t hint = 0;
  if (!s.Take('}')) {
    do {
      const auto key = s.AsciiString();
      if (!key || !s.Take(':')) return std::nullopt;
      const auto index = FieldIndex(*key, hint);
      if (!index || (seen & (uint64_t{1} << *index)) != 0) return std::nullopt;
      seen |= uint64_t{1} << *index;
      hint = *index + 1;
      const bool read = std::visit([&](auto member) { return ReadValue(s, member(out)); },
                                   kStudentFields[*index].member);
      if (!read) return std::nullopt;
    } while (s.Take(','));
    if (!s.Take('}')) return std::nullopt;
  }
  if ((seen & kRequiredFields) != kRequiredFields) return std::nullopt;
  return out;
}

std::optional<ChangeRecord> ReadStudentRecord(JsonScanner& s) {
  if (!s.Take('{') || !TakeKey(s, "entity") || s.AsciiString() != "student" || !s.Take(',') ||
      !TakeKey(s, "seq")) {
    return std::nullopt;
  }
  const auto seq = s.Integer();
  if (!seq || !s.Take(',') || !TakeKey(s, "student")) return std::nullopt;
  auto student = ReadStudent(s);
  if (!student || !s.Take('}')) return std::nullopt;
  return ChangeRecord{*seq, std::move(*student)};
}

}  // namespace

std::string WritePayload(const std::vector<ChangeRecord>& records) {
  std::string out = R"({"records":[)";
  for (size_t i = 0; i < records.size(); ++i) {
    if (i > 0) out += ',';
    AppendRecord(out, records[i]);
  }
  out += "]}";
  return out;
}

Result<std::vector<ChangeRecord>> ReadPayload(std::string_view payload, int64_t count) {
  if (auto fast = internal::ReadStudentsFast(payload, count)) return std::move(*fast);
  return internal::ReadWithDom(payload, count);
}

namespace internal {

std::optional<std::vector<ChangeRecord>> ReadStudentsFast(std::string_view payload, int64_t count) {
  JsonScanner s(payload);
  if (!s.Take('{') || !TakeKey(s, "records") || !s.Take('[')) return std::nullopt;
  std::vector<ChangeRecord> out;
  // The count is the source's word: no more room than the payload could fill (a student's
  // record, its required fields alone, is several hundred bytes).
  constexpr size_t kFewestRecordBytes = 256;
  out.reserve(std::min(static_cast<size_t>(std::max<int64_t>(count, 0)),
                       payload.size() / kFewestRecordBytes));
  if (!s.Take(']')) {
    do {
      auto record = ReadStudentRecord(s);
      if (!record) return std::nullopt;
      out.push_back(std::move(*record));
    } while (s.Take(','));
    if (!s.Take(']')) return std::nullopt;
  }
  if (!s.Take('}') || !s.AtEnd() || static_cast<int64_t>(out.size()) != count) {
    return std::nullopt;
  }
  return out;
}

Result<std::vector<ChangeRecord>> ReadWithDom(std::string_view payload, int64_t count) {
  nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("records") || !j["records"].is_array()) {
    return Error::BadRequest("bad_batch", "批次内容不是 {\"records\": [...]}");
  }
  const nlohmann::json& records = j["records"];
  if (static_cast<int64_t>(records.size()) != count) {
    return Error::BadRequest("bad_batch", "批次记录数与批次头不一致");
  }
  std::vector<ChangeRecord> out;
  out.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    NEMIS_ASSIGN_OR_RETURN(ChangeRecord record, RecordFromJson(records[i], i));
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace internal

}  // namespace nemis::exchange
