#include "exchange/replica_digest.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "exchange/change_record.hpp"
#include "org/org_replica.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kProvinceOrgs =
    "SELECT id FROM org WHERE province_code = $1 AND level > 0 ORDER BY id";
// Left out: a registration given up to another province's (conflict_cases.hpp) and a student
// transferred to another province's node (transfer_handover.hpp, status 10 here): the national
// copy follows the other province.
constexpr std::string_view kProvinceStudents =
    "SELECT id FROM student WHERE province_code = $1 AND id NOT IN "
    "(SELECT student_id FROM exchange_conflict_case WHERE outcome = 'yielded') "
    "AND NOT (status = '10' AND id IN "
    "(SELECT student_id FROM exchange_transfer_out WHERE verdict = 'released' "
    "AND student_id IS NOT NULL)) ORDER BY id";

Result<std::vector<int64_t>> Ids(db::Connection& c, std::string_view sql,
                                 std::string_view province) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {province}));
  std::vector<int64_t> ids;
  ids.reserve(rs.rows.size());
  for (const db::Row& row : rs.rows) ids.push_back(row.Int(0));
  return ids;
}

// Each record's crossing form without its sequence (which is the source's alone), sorted.
std::string Sm3OfSorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const std::string& line : lines) all += line + '\n';
  return crypto::ToHex(crypto::Sm3(all));
}

template <class Value>
std::string CanonicalOf(Value value) {
  return CanonicalRecord({0, std::move(value)});
}

}  // namespace

Result<ReplicaDigest> DigestProvince(db::Database& db, const crypto::FieldCipher& cipher,
                                     std::string_view province) {
  return db.Read<ReplicaDigest>([&](db::Connection& c) -> Result<ReplicaDigest> {
    NEMIS_ASSIGN_OR_RETURN(auto org_ids, Ids(c, kProvinceOrgs, province));
    NEMIS_ASSIGN_OR_RETURN(auto orgs, org::LoadInstitutionsForExchange(c, org_ids));
    NEMIS_ASSIGN_OR_RETURN(auto student_ids, Ids(c, kProvinceStudents, province));
    NEMIS_ASSIGN_OR_RETURN(auto students,
                           registry::LoadStudentsForExchange(c, cipher, student_ids));
    std::vector<std::string> org_lines, student_lines;
    org_lines.reserve(orgs.size());
    student_lines.reserve(students.size());
    for (auto& o : orgs) org_lines.push_back(CanonicalOf(std::move(o)));
    for (auto& s : students) student_lines.push_back(CanonicalOf(std::move(s)));
    ReplicaDigest d;
    d.institutions = static_cast<int64_t>(org_lines.size());
    d.students = static_cast<int64_t>(student_lines.size());
    d.institutions_sm3 = Sm3OfSorted(std::move(org_lines));
    d.students_sm3 = Sm3OfSorted(std::move(student_lines));
    return d;
  });
}

}  // namespace nemis::exchange
