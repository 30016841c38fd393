#include "test_store.hpp"

#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "audit/audit_log.hpp"
#include "crypto/field_key_store.hpp"
#include "db/change_log.hpp"
#include "db/database.hpp"
#include "registry/personal_record.hpp"
#include "testing/pg_cluster.hpp"

namespace nemis::it {
namespace {

db::Options SmallOptions() {
  db::Options o;
  o.readers = 1;
  o.pool_size = 1;
  o.sqlite_cache_mb = 8;
  o.sqlite_mmap_mb = 0;
  o.busy_timeout_ms = 10000;
  return o;
}

std::unique_ptr<db::Database> OpenDatabase(const std::string& url) {
  auto db = db::Database::Open(url, SmallOptions());
  if (!db.ok()) throw std::runtime_error("cannot open " + url + ": " + db.error().message);
  return std::move(*db);
}

// As every reader of the logs does on PostgreSQL (src/db/change_log.hpp): what a write
// left pending is sealed before the test reads, so it reads what the server has written.
std::unique_ptr<db::Database> OpenSealedDatabase(const std::string& url) {
  auto db = OpenDatabase(url);
  Status sealed = audit::SealAll(*db);
  while (sealed.ok()) {
    auto changes = db::SealChanges(*db);
    if (!changes.ok()) {
      sealed = std::move(changes).error();
      break;
    }
    if (*changes == 0) break;
  }
  if (!sealed.ok())
    throw std::runtime_error("cannot seal the logs of " + url + ": " + sealed.error().message);
  return db;
}

// 'a','b','c' for an IN list. Only for values the test computed (blind indexes: hex).
std::string QuotedList(const std::vector<std::string>& values) {
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "'" : ",'") + v + "'";
  return list;
}

}  // namespace

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

TestStore::TestStore(Backend backend) : backend_(backend) {
  if (backend == Backend::kSqlite) {
    url_ = "sqlite:" + dir_.File("store.db");
  } else {
    pg_database_ = testing::PgCluster::UniqueName("nemis_it");
    url_ = testing::PgCluster::CreateDatabase(pg_database_);
  }
}

TestStore::~TestStore() {
  if (pg_database_.empty()) return;
  try {
    testing::PgCluster::DropDatabase(pg_database_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot drop " << pg_database_ << ": " << e.what();
  }
}

int64_t TestStore::QueryInt(const std::string& sql) const {
  auto db = OpenSealedDatabase(url_);
  auto value = db->Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
    if (rs.rows.empty()) return Error::NotFound("no row");
    return rs.rows[0].Int(0);
  });
  if (!value.ok()) throw std::runtime_error(sql + ": " + value.error().message);
  return *value;
}

int64_t TestStore::CountStudents() const {
  try {
    return QueryInt("SELECT COUNT(*) FROM student");
  } catch (const std::exception&) {
    return -1;
  }
}

std::vector<std::vector<std::string>> TestStore::QueryRows(const std::string& sql) const {
  using Rows = std::vector<std::vector<std::string>>;
  auto db = OpenSealedDatabase(url_);
  auto rows = db->Read<Rows>([&](db::Connection& c) -> Result<Rows> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
    Rows out;
    for (const auto& row : rs.rows) {
      auto& cells = out.emplace_back();
      for (size_t i = 0; i < row.size(); ++i) cells.push_back(row.Text(i));
    }
    return out;
  });
  if (!rows.ok()) throw std::runtime_error(sql + ": " + rows.error().message);
  return std::move(*rows);
}

std::vector<nlohmann::json> TestStore::AuditDetails(const std::string& action) const {
  std::vector<nlohmann::json> out;
  for (const auto& row :
       QueryRows("SELECT details FROM audit_log WHERE action = '" + action + "' ORDER BY seq"))
    out.push_back(nlohmann::json::parse(row[0]));
  return out;
}

void TestStore::Execute(const std::string& sql) const {
  auto db = OpenDatabase(url_);
  Status s = db->WithRawWriter([&](db::Connection& c) { return c.ExecScript(sql); });
  if (!s.ok()) throw std::runtime_error(sql + ": " + s.error().message);
}

std::string TestStore::FieldKeyFile() const {
  return std::filesystem::absolute(dir_.path() / "var" / "keys" / "field.keys").string();
}

std::map<std::string, std::string> TestStore::NodeSettings() const {
  return {{"security.field_key_file", FieldKeyFile()}};
}

crypto::FieldCipher TestStore::NodeCipher() const {
  // Never made up here: a key of the test's own would find nothing the node sealed.
  if (!std::filesystem::exists(FieldKeyFile()))
    throw std::runtime_error("no field key file yet (no nemis process ran on this store): " +
                             FieldKeyFile());
  auto cipher = crypto::LoadOrCreateFieldKeys(FieldKeyFile());
  if (!cipher.ok()) throw std::runtime_error(cipher.error().message);
  return std::move(*cipher);
}

std::string TestStore::StudentNumberIndex(std::string_view student_number) const {
  return registry::NumberIndex(NodeCipher(), student_number);
}

std::string TestStore::DocumentIndex(std::string_view id_number) const {
  return registry::DocumentIndex(NodeCipher(), id_number);
}

int64_t TestStore::CountStudentsByIndex(const std::string& column,
                                        const std::vector<std::string>& indexes) const {
  if (indexes.empty()) return 0;
  return QueryInt("SELECT COUNT(*) FROM student WHERE " + column + " IN (" + QuotedList(indexes) +
                  ")");
}

int64_t TestStore::CountStudentsWithIds(const std::vector<std::string>& id_numbers) const {
  crypto::FieldCipher cipher = NodeCipher();
  std::vector<std::string> indexes;
  indexes.reserve(id_numbers.size());
  for (const auto& id : id_numbers) indexes.push_back(registry::DocumentIndex(cipher, id));
  return CountStudentsByIndex("id_index", indexes);
}

int64_t TestStore::CountStudentsWithNumbers(const std::vector<std::string>& student_numbers) const {
  crypto::FieldCipher cipher = NodeCipher();
  std::vector<std::string> indexes;
  indexes.reserve(student_numbers.size());
  for (const auto& number : student_numbers)
    indexes.push_back(registry::NumberIndex(cipher, number));
  return CountStudentsByIndex("number_index", indexes);
}

int64_t TestStore::CountNumberedByTheirIds(const std::vector<std::string>& id_numbers) const {
  crypto::FieldCipher cipher = NodeCipher();
  // The number index of each citizen's row, by its document index.
  std::unordered_map<std::string, std::string> number_by_document;
  for (const auto& row :
       QueryRows("SELECT id_index, number_index FROM student WHERE id_type = '1'"))
    number_by_document[row[0]] = row[1];
  int64_t count = 0;
  for (const auto& id : id_numbers) {
    auto it = number_by_document.find(registry::DocumentIndex(cipher, id));
    if (it != number_by_document.end() && it->second == registry::NumberIndex(cipher, "G" + id))
      ++count;
  }
  return count;
}

void PgAdminExec(const std::string& sql) {
  auto db = db::Database::Open(testing::PgCluster::Url("postgres"), SmallOptions());
  if (!db.ok()) throw std::runtime_error("cannot open the cluster: " + db.error().message);
  Status s = (*db)->WithRawWriter([&](db::Connection& c) { return c.ExecScript(sql); });
  if (!s.ok()) throw std::runtime_error(sql + ": " + s.error().message);
}

}  // namespace nemis::it
