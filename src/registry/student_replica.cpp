#include "registry/student_replica.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "db/change_log.hpp"
#include "registry/personal_record.hpp"
#include "registry/shard_loader.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry {
namespace {

// Values per IN list: bounded so that a statement stays small on both back ends.
constexpr size_t kPerQuery = 500;

// "$k+1, ..., $k+n".
std::string ParamList(size_t n, size_t k = 0) {
  std::string list;
  for (size_t i = 1; i <= n; ++i) list += (i > 1 ? ", $" : "$") + std::to_string(k + i);
  return list;
}

// "($k+1, ..., $k+n)".
std::string InList(size_t n, size_t k = 0) { return "(" + ParamList(n, k) + ")"; }

// Where QueryIn's statements take their list of values.
constexpr std::string_view kValues = "{values}";

// Runs `sql`, its kValues replaced by a list of parameters, for `values` in chunks, calling
// `row` for each row returned; `leading` are the parameters before the list ($1 .. $k).
template <class Value, class OnRow>
Status QueryIn(db::Connection& c, const std::string& sql, const std::vector<Value>& values,
               const OnRow& row, const std::vector<db::Param>& leading = {}) {
  const size_t at = sql.find(kValues);
  for (size_t start = 0; start < values.size(); start += kPerQuery) {
    const size_t n = std::min(kPerQuery, values.size() - start);
    std::vector<db::Param> params = leading;
    params.insert(params.end(), values.begin() + static_cast<ptrdiff_t>(start),
                  values.begin() + static_cast<ptrdiff_t>(start + n));
    const std::string statement =
        sql.substr(0, at) + ParamList(n, leading.size()) + sql.substr(at + kValues.size());
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(statement, params));
    for (db::Row& r : rs.rows) row(r);  // the caller may keep the row (moved)
  }
  return {};
}

const std::string kSchoolsByCode =
    "SELECT code, id FROM org WHERE level = 4 AND code IN ({values})";
const std::string kHoldersOfNumbers =
    "SELECT number_index, id, province_code, version FROM student "
    "WHERE number_index IN ({values})";
// By type, so that the (id_type, id_index) index serves the lookup.
const std::string kHoldersOfDocuments =
    "SELECT id_type, id_index, id, province_code, version, number_kind, number_index "
    "FROM student WHERE id_type = $1 AND id_index IN ({values})";
// On PostgreSQL each document is probed on its own (LATERAL, with a LIMIT so that the planner
// cannot flatten it into a join): with statistics that lag a store filling from empty, both
// an IN list and a plain join of the array were planned as a scan of every student of the
// type (every document has the same type) — the whole table for each lookup of 500, up to
// 225 ms a call at 300,000 students and half of a province's catch-up. The pair is a unique
// key, so the probe is an index lookup whatever the statistics say.
const std::string kHoldersOfDocumentsJoined =
    "SELECT s.id_type, s.id_index, s.id, s.province_code, s.version, s.number_kind, "
    "s.number_index FROM unnest(ARRAY[{values}]::text[]) AS k(v) CROSS JOIN LATERAL "
    "(SELECT * FROM student WHERE id_type = $1 AND id_index = k.v LIMIT 1) AS s";
// The person index of a national node partitioned by province (exchange/student_partitions.hpp),
// on PostgreSQL only; documents probed one by one as above.
const std::string kIndexedNumbers =
    "SELECT number_index, student_id, province_code FROM national_number "
    "WHERE number_index IN ({values})";
const std::string kIndexedDocuments =
    "SELECT d.id_type, d.id_index, d.student_id, d.province_code "
    "FROM unnest(ARRAY[{values}]::text[]) AS k(v) CROSS JOIN LATERAL "
    "(SELECT * FROM national_document WHERE id_type = $1 AND id_index = k.v LIMIT 1) AS d";
const std::string kHolderStates =
    "SELECT id, version, number_kind, number_index FROM student WHERE province_code = $1 "
    "AND id IN ({values})";
constexpr std::string_view kForgetNumber =
    "DELETE FROM national_number WHERE student_id = $1 AND province_code = $2";
constexpr std::string_view kForgetDocument =
    "DELETE FROM national_document WHERE student_id = $1 AND province_code = $2";
constexpr std::string_view kKeepFormer =
    "INSERT INTO student_former_number (number_index, student_id, number_kind, replaced_at, "
    "reason) VALUES ($1, $2, $3, $4, 'renumbered_at_source') ON CONFLICT DO NOTHING";

const std::string kStoredRows = "SELECT " + internal::StudentStoredColumns() +
                                " FROM student WHERE province_code = $1 AND id IN ({values})";
constexpr std::string_view kDeleteCopy = "DELETE FROM student WHERE id = $1 AND province_code = $2";

// Where a batch of the source's students goes on this node.
struct Placement {
  bool indexed = false;  // provinces are kept on shards: the person index answers who holds what
  bool through_loader = false;  // the source's students are on a shard: written by its loader
};

Result<Placement> PlacementOf(db::Connection& c, std::string_view source) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT province_code FROM national_partition"));
  Placement out;
  out.indexed = !rs.rows.empty();
  for (const db::Row& r : rs.rows) {
    if (r.Text(0) != source) continue;
    // Missing only in a store sharded before loaders were made and not opened by nemis since:
    // its rows then go through `student`, slower and the same.
    NEMIS_ASSIGN_OR_RETURN(
        auto exists, c.Query("SELECT to_regclass($1) IS NOT NULL", {ShardLoaderTable(source)}));
    out.through_loader = exists.rows[0].Int(0) != 0;
  }
  return out;
}

// Whether either province's students are kept on a shard server (a national node partitioned
// by province, exchange/student_partitions.hpp); the others share one local partition.
Result<bool> EitherOnShard(db::Connection& c, const std::string& a, const std::string& b) {
  NEMIS_ASSIGN_OR_RETURN(
      auto rs, c.Query("SELECT 1 FROM national_partition WHERE province_code IN ($1, $2)", {a, b}));
  return !rs.rows.empty();
}

struct Holder {
  int64_t id = 0;
  std::string province{};
  int64_t version = 0;
  char number_kind = 'G';
  std::string number_index{};
};

// The students already holding a batch's numbers and documents.
struct Holders {
  std::map<std::string, Holder> by_number;
  std::map<std::pair<std::string, std::string>, Holder> by_document;
};
using DocumentIndexes = std::map<std::string, std::vector<std::string>>;  // type -> indexes

Status HoldersFromStudents(db::Connection& c, const std::vector<std::string>& numbers,
                           const DocumentIndexes& documents, Holders& h) {
  NEMIS_TRY(QueryIn(c, kHoldersOfNumbers, numbers, [&](const db::Row& r) {
    h.by_number[r.Text(0)] = {r.Int(1), r.Text(2), r.Int(3), 'G', r.Text(0)};
  }));
  for (const auto& [type, indexes] : documents) {
    NEMIS_TRY(QueryIn(
        c, c.backend() == db::Backend::kPostgres ? kHoldersOfDocumentsJoined : kHoldersOfDocuments,
        indexes,
        [&](const db::Row& r) {
          h.by_document[{r.Text(0), r.Text(1)}] = {
              r.Int(2), r.Text(3), r.Int(4), r.Text(5).empty() ? 'G' : r.Text(5)[0], r.Text(6)};
        },
        {type}));
  }
  return {};
}

// On a national node partitioned by province: the person index answers who holds what in one
// probe of this node's own tables, however many shards; the state of the holders of the
// source province (the only ones written over) is then read from its partition alone. A
// holder the index names and no partition holds (a move between shards cut short) is
// forgotten by the index, and the record is registered again.
Status HoldersFromPersonIndex(db::Connection& c, const std::vector<std::string>& numbers,
                              const DocumentIndexes& documents, const std::string& source,
                              Holders& h) {
  NEMIS_TRY(QueryIn(c, kIndexedNumbers, numbers, [&](const db::Row& r) {
    h.by_number[r.Text(0)] = {r.Int(1), r.Text(2), 0, 'G', r.Text(0)};
  }));
  for (const auto& [type, indexes] : documents) {
    NEMIS_TRY(QueryIn(c, kIndexedDocuments, indexes,
                      [&](const db::Row& r) {
                        h.by_document[{r.Text(0), r.Text(1)}] = {r.Int(2), r.Text(3)};
                      },
                      {type}));
  }
  std::vector<int64_t> ids;
  for (const auto& [number, holder] : h.by_number)
    if (holder.province == source) ids.push_back(holder.id);
  for (const auto& [document, holder] : h.by_document)
    if (holder.province == source) ids.push_back(holder.id);
  std::map<int64_t, Holder> states;
  NEMIS_TRY(QueryIn(c, kHolderStates, ids,
                    [&](const db::Row& r) {
                      states[r.Int(0)] = {r.Int(0), source, r.Int(1),
                                          r.Text(2).empty() ? 'G' : r.Text(2)[0], r.Text(3)};
                    },
                    {source}));
  auto settle = [&](auto& map) -> Status {
    for (auto it = map.begin(); it != map.end();) {
      if (it->second.province != source) {
        ++it;
        continue;
      }
      if (auto state = states.find(it->second.id); state != states.end()) {
        it->second = state->second;
        ++it;
        continue;
      }
      NEMIS_TRY(c.Query(kForgetNumber, {it->second.id, source}));
      NEMIS_TRY(c.Query(kForgetDocument, {it->second.id, source}));
      it = map.erase(it);
    }
    return {};
  };
  NEMIS_TRY(settle(h.by_number));
  return settle(h.by_document);
}

// The source converted its student's L number to G (temporary_number_conversion.hpp): the
// incoming G student holds the document of this province's L copy, which becomes it.
bool RenumberedAtSource(const Student& incoming, const Holder& holder,
                        std::string_view source_province) {
  return incoming.number_kind == 'G' && holder.number_kind == 'L' &&
         holder.province == source_province;
}

Result<std::map<std::string, int64_t>> SchoolIds(db::Connection& c,
                                                 const std::vector<Student>& students) {
  std::vector<std::string> codes;
  codes.reserve(students.size());
  for (const Student& s : students) codes.push_back(s.enrolment.school_code);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  std::map<std::string, int64_t> ids;
  NEMIS_TRY(
      QueryIn(c, kSchoolsByCode, codes, [&](const db::Row& r) { ids[r.Text(0)] = r.Int(1); }));
  for (const std::string& code : codes) {
    if (!ids.contains(code)) {
      return Error::Refused("unknown_school", "学校 " + code + " 尚未同步到本节点");
    }
  }
  return ids;
}

Status CopyIntoStudent(db::Connection& c, const std::vector<Student*>& inserts) {
  static const std::vector<std::string> kColumns(internal::kStudentColumnNames.begin(),
                                                 internal::kStudentColumnNames.end());
  NEMIS_ASSIGN_OR_RETURN(auto bulk, c.BeginBulkInsert("student", kColumns));
  internal::StudentParamStorage storage;
  std::array<db::Param, internal::kStudentColumnCount> params;
  for (const Student* s : inserts) {
    internal::StudentParams(*s, 0, storage, params);
    NEMIS_TRY(bulk->AddRow(params));
  }
  return bulk->Finish();
}

// `through_loader`: the province is on a shard (registry/shard_loader.hpp).
Status InsertAll(db::Connection& c, std::vector<Student*>& inserts, std::string_view province,
                 bool through_loader) {
  if (inserts.empty()) return {};
  NEMIS_ASSIGN_OR_RETURN(auto ids,
                         db::AllocateIds(c, "student", static_cast<int64_t>(inserts.size())));
  for (size_t i = 0; i < inserts.size(); ++i) {
    inserts[i]->id = ids[i];
    inserts[i]->version = 1;
  }
  if (!through_loader) return CopyIntoStudent(c, inserts);
  return InsertThroughLoader(c, province, inserts);
}

// Writes each student over its row, only the columns that differ from the row as stored (read
// by the batch, from the source's partition alone on a node partitioned by province). A row
// written twice in one call is compared with what the first write left, so it is replaced
// whole the second time.
Status UpdateAll(db::Connection& c, const std::vector<Student*>& updates,
                 std::string_view province) {
  std::vector<int64_t> ids;
  ids.reserve(updates.size());
  for (const Student* s : updates) ids.push_back(s->id);
  std::unordered_map<int64_t, db::Row> stored;
  stored.reserve(ids.size());
  NEMIS_TRY(QueryIn(c, kStoredRows, ids,
                    [&](db::Row& r) { stored.emplace(r.Int(0), std::move(r)); },
                    {std::string(province)}));
  for (const Student* s : updates) {
    auto row = stored.find(s->id);
    if (row == stored.end()) {
      NEMIS_TRY(internal::WriteStudentRow(c, *s, /*insert=*/false));
      continue;
    }
    NEMIS_TRY(internal::UpdateStudentRow(c, *s, row->second));
    stored.erase(row);
  }
  return {};
}

}  // namespace

Result<std::vector<Student>> LoadStudentsForExchange(db::Connection& c,
                                                     const crypto::FieldCipher& cipher,
                                                     std::span<const int64_t> ids) {
  std::vector<Student> out;
  out.reserve(ids.size());
  const std::string prefix =
      "SELECT " + internal::StudentSelectList() + " FROM student s WHERE s.id IN ";
  for (size_t start = 0; start < ids.size(); start += kPerQuery) {
    const size_t n = std::min(kPerQuery, ids.size() - start);
    std::vector<db::Param> params(ids.begin() + static_cast<ptrdiff_t>(start),
                                  ids.begin() + static_cast<ptrdiff_t>(start + n));
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(prefix + InList(n) + " ORDER BY s.id", params));
    for (const db::Row& row : rs.rows) {
      NEMIS_ASSIGN_OR_RETURN(Student s, internal::StudentFromRow(row, cipher));
      out.push_back(std::move(s));
    }
  }
  return out;
}

Result<std::vector<ReplicaOutcome>> WriteReplicaStudents(db::Connection& c,
                                                         const crypto::FieldCipher& cipher,
                                                         std::vector<Student>& students,
                                                         std::string_view source_province,
                                                         std::string_view now, Sealing sealing) {
  for (const Student& s : students) {
    if (s.enrolment.province_code != source_province) {
      return Error::Refused("record_outside_source",
                            "学校 " + s.enrolment.school_code + " 的学生不属于发送节点所在的省份");
    }
  }
  NEMIS_ASSIGN_OR_RETURN(auto schools, SchoolIds(c, students));
  std::vector<std::string> numbers;
  DocumentIndexes documents;
  numbers.reserve(students.size());
  for (Student& s : students) {
    s.enrolment.school_id = schools.at(s.enrolment.school_code);
    if (sealing == Sealing::kSealHere) SealPersonal(cipher, s);
    numbers.push_back(s.sealed.number_index);
    if (s.id_type && s.sealed.id_index) documents[*s.id_type].push_back(*s.sealed.id_index);
  }
  Holders holders;
  NEMIS_ASSIGN_OR_RETURN(Placement placement, PlacementOf(c, source_province));
  NEMIS_TRY(placement.indexed ? HoldersFromPersonIndex(c, numbers, documents,
                                                       std::string(source_province), holders)
                              : HoldersFromStudents(c, numbers, documents, holders));
  const auto& by_number = holders.by_number;
  const auto& by_document = holders.by_document;

  std::vector<ReplicaOutcome> outcomes(students.size());
  std::vector<Student*> inserts;
  std::vector<Student*> updates;
  std::vector<int64_t> updated;
  for (size_t i = 0; i < students.size(); ++i) {
    Student& s = students[i];
    s.id = 0;
    if (auto held = by_number.find(s.sealed.number_index); held != by_number.end()) {
      if (held->second.province != source_province) {
        outcomes[i] = {ReplicaWrite::kNumberHeldElsewhere, held->second.id};
        continue;
      }
      s.id = held->second.id;
      s.version = held->second.version + 1;
    }
    if (s.id_type && s.sealed.id_index) {
      auto doc = by_document.find({*s.id_type, *s.sealed.id_index});
      if (doc != by_document.end() && doc->second.id != s.id) {
        if (s.id != 0 || !RenumberedAtSource(s, doc->second, source_province)) {
          outcomes[i] = {ReplicaWrite::kDocumentHeldElsewhere, doc->second.id};
          continue;
        }
        s.id = doc->second.id;
        s.version = doc->second.version + 1;
        NEMIS_TRY(c.Query(kKeepFormer, {doc->second.number_index, s.id,
                                        std::string(1, doc->second.number_kind), now}));
      }
    }
    if (s.id == 0) {
      inserts.push_back(&s);
    } else {
      updates.push_back(&s);
      updated.push_back(s.id);
    }
  }
  NEMIS_TRY(UpdateAll(c, updates, source_province));
  NEMIS_TRY(InsertAll(c, inserts, source_province, placement.through_loader));
  std::vector<int64_t> inserted;
  inserted.reserve(inserts.size());
  for (const Student* s : inserts) inserted.push_back(s->id);
  NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kInsert, inserted, now));
  NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, updated, now));
  return outcomes;
}

Status ReplaceReplicaStudent(db::Connection& c, const crypto::FieldCipher& cipher, Student student,
                             int64_t replaced_id, std::string_view now) {
  std::vector<Student> one{std::move(student)};
  NEMIS_ASSIGN_OR_RETURN(auto schools, SchoolIds(c, one));
  Student& s = one[0];
  NEMIS_ASSIGN_OR_RETURN(
      auto current,
      c.Query("SELECT version, province_code FROM student WHERE id = $1", {replaced_id}));
  if (current.rows.empty()) return Error::NotFound("没有要替换的学生副本");
  s.id = replaced_id;
  s.version = current.rows[0].Int(0) + 1;
  s.enrolment.school_id = schools.at(s.enrolment.school_code);
  SealPersonal(cipher, s);
  const std::string from_province = current.rows[0].Text(1);
  NEMIS_ASSIGN_OR_RETURN(bool sharded, EitherOnShard(c, from_province, s.enrolment.province_code));
  if (sharded && from_province != s.enrolment.province_code) {
    // A foreign partition takes no row moved there by UPDATE (exchange/student_partitions.hpp):
    // the copy is written in the new province's partition first, then the old one goes, so
    // that a failure between the two shards' commits leaves a copy, never none.
    NEMIS_TRY(internal::WriteStudentRow(c, s, /*insert=*/true));
    NEMIS_TRY(c.Query(kDeleteCopy, {replaced_id, from_province}));
  } else {
    NEMIS_TRY(internal::WriteStudentRow(c, s, /*insert=*/false));
  }
  const int64_t ids[] = {replaced_id};
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now);
}

}  // namespace nemis::registry
