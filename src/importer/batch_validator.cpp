#include "importer/batch_validator.hpp"

#include "codes/id_number.hpp"
#include "registry/duplicate_student.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_bulk.hpp"
#include "registry/student_number.hpp"
#include "registry/temporary_record.hpp"

namespace nemis::importer {
namespace {

using registry::StudentField;

void AddFieldErrors(RowVerdict& v, const Error& error, const RosterLayout& layout) {
  for (const auto& f : error.fields) {
    std::string column;
    for (const auto& spec : registry::kStudentFields)
      if (spec.english == f.field) column = layout.ColumnOf(spec.field);
    v.errors.push_back({v.line, f.field, column, f.code, f.message});
  }
}

void SetKeys(RowVerdict& v, const registry::Student& s) {
  if (s.id_type && s.id_number) {
    if (*s.id_type == "1")
      v.id_key = codes::PackIdNumber(*s.id_number);
    else
      v.other_key = *s.id_type + ":" + *s.id_number;
  }
  v.number_key = s.student_number;
}

struct StoreFindings {
  std::vector<registry::RegisteredHolder> holders;
  std::vector<registry::TemporaryRecordHit> temporary;
};

// Rows whose document or supplied number the store holds (outside this import).
void MarkHolders(BatchVerdict& verdict, const BatchValidation& how,
                 const std::vector<registry::RegisteredHolder>& holders,
                 const std::vector<const registry::Student*>& students,
                 const std::vector<size_t>& rows) {
  for (const auto& h : holders) {
    if (how.own_import_id != 0 && h.import_id == how.own_import_id) continue;
    RowVerdict& v = verdict.rows[rows[h.index]];
    FieldError refusal = registry::DuplicateDocument(*how.context.scope, h.school);
    if (refusal.code == registry::kRegisteredElsewhere) {
      if (!v.registered_elsewhere.empty())
        continue;  // found by document and by number: one refusal
      const registry::Student& s = *students[h.index];
      v.registered_elsewhere = s.id_number ? *s.id_number : s.student_number;
    }
    v.errors.push_back({v.line, refusal.field, how.layout->ColumnOf(StudentField::kIdNumber),
                        std::move(refusal.code), std::move(refusal.message)});
  }
}

// A row with a document whose child the scope holds as a J or L record without one: the
// document goes on that record (a correction), not on a second registration.
void MarkTemporaryRecords(BatchVerdict& verdict, const BatchValidation& how,
                          std::vector<registry::TemporaryRecordHit>& hits,
                          const std::vector<size_t>& rows) {
  for (auto& hit : hits) {
    RowVerdict& v = verdict.rows[rows[hit.index]];
    if (!v.errors.empty()) continue;  // already refused as registered
    v.errors.push_back({v.line, "idNumber", how.layout->ColumnOf(StudentField::kIdNumber),
                        std::string(registry::kTemporaryRecordExists),
                        std::move(hit.refusal.message) + "（单个注册页面可确认后注册）"});
  }
}

// Marks rows whose document or supplied number the store already holds, and rows of a child
// the scope holds as a J or L record.
void CheckStore(BatchVerdict& verdict, const BatchValidation& how) {
  std::vector<const registry::Student*> students;
  std::vector<size_t> rows;
  for (size_t i = 0; i < verdict.rows.size(); ++i) {
    if (!verdict.rows[i].errors.empty() || !verdict.rows[i].student) continue;
    students.push_back(&*verdict.rows[i].student);
    rows.push_back(i);
  }
  if (students.empty()) return;
  auto found =
      how.check_store->Read<StoreFindings>([&](db::Connection& c) -> Result<StoreFindings> {
        StoreFindings out;
        NEMIS_ASSIGN_OR_RETURN(out.holders, registry::FindRegistered(c, *how.cipher, students));
        NEMIS_ASSIGN_OR_RETURN(out.temporary,
                               registry::FindTemporaryRecords(c, *how.cipher, *how.context.scope,
                                                              students, how.own_import_id));
        return out;
      });
  if (!found.ok()) {
    // The store's own words may name its server: the report says only what failed.
    for (size_t i : rows)
      verdict.rows[i].errors.push_back({verdict.rows[i].line, "", "", "store_unavailable",
                                        "数据存储暂时不可用，无法查询库中已有学籍"});
    return;
  }
  MarkHolders(verdict, how, found->holders, students, rows);
  MarkTemporaryRecords(verdict, how, found->temporary, rows);
}

// The writer's share of a student done here, in parallel: its G number (the ID) and the
// sealing of its personal data. J numbers need the store: the writer issues and seals those.
void Prepare(registry::Student& s, const crypto::FieldCipher& cipher) {
  registry::AssignGNumber(s);
  if (!s.student_number.empty()) registry::SealPersonal(cipher, s);
}

}  // namespace

BatchVerdict ValidateBatch(const RecordBatch& batch, const BatchValidation& how) {
  BatchVerdict verdict;
  verdict.end = batch.end();
  verdict.rows.reserve(batch.size());
  registry::StudentInput input;
  for (size_t i = 0; i < batch.size(); ++i) {
    BatchRecord record = batch.record(i);
    RowVerdict v;
    v.line = record.line();
    RowError shape_error;
    RowShape shape = ReadStudentRow(record, *how.layout, input, shape_error);
    if (shape == RowShape::kBlank) continue;
    if (shape == RowShape::kBroken) {
      v.errors.push_back(std::move(shape_error));
    } else if (auto student = registry::ValidateStudent(input, how.context); !student.ok()) {
      AddFieldErrors(v, student.error(), *how.layout);
    } else {
      SetKeys(v, *student);
      v.student = std::move(*student);
      if (how.keep_students) Prepare(*v.student, *how.cipher);
    }
    verdict.rows.push_back(std::move(v));
  }
  if (how.check_store) CheckStore(verdict, how);
  if (!how.keep_students)
    for (auto& v : verdict.rows) v.student.reset();
  return verdict;
}

}  // namespace nemis::importer
