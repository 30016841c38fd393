#include "exchange/student_partitions.hpp"

#include <libpq-fe.h>

#include <map>
#include <memory>

#include "db/migrations/student_history_triggers.hpp"
#include "registry/shard_loader.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kIsPartitioned =
    "SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'student'::regclass";
// The history's are made again as row triggers (db/migrations/student_history_triggers.hpp).
constexpr std::string_view kTriggers =
    "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
    "WHERE tgrelid = 'student'::regclass AND NOT tgisinternal "
    "AND tgname NOT IN ('student_history_insert', 'student_history_update') ORDER BY tgname";
constexpr std::string_view kTriggerNames =
    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'student'::regclass AND NOT tgisinternal";
constexpr std::string_view kReferences =
    "SELECT conrelid::regclass::text, conname FROM pg_constraint "
    "WHERE confrelid = 'student'::regclass AND contype = 'f' ORDER BY 1, 2";

// The rows so far become the default partition as they are (no copy); the identity column
// gives way to a sequence owned by the parent, as PostgreSQL 15 has no identity on a
// partitioned table. db::AllocateIds finds it by pg_get_serial_sequence.
constexpr std::string_view kPartition = R"SQL(
ALTER TABLE student RENAME TO student_local;
CREATE SEQUENCE student_ids;
SELECT setval('student_ids', GREATEST(
  (SELECT COALESCE(MAX(id), 0) FROM student_local),
  COALESCE(pg_sequence_last_value(pg_get_serial_sequence('student_local', 'id')::regclass), 0)
) + 1, false);
ALTER TABLE student_local ALTER COLUMN id DROP IDENTITY IF EXISTS;
CREATE TABLE student (LIKE student_local INCLUDING DEFAULTS) PARTITION BY LIST (province_code);
ALTER TABLE student ALTER COLUMN id SET DEFAULT nextval('student_ids');
ALTER SEQUENCE student_ids OWNED BY student.id;
ALTER TABLE student ATTACH PARTITION student_local DEFAULT;
DO $$ BEGIN
  EXECUTE format('ALTER DATABASE %I SET enable_partitionwise_aggregate = on', current_database());
END $$;
)SQL";

// One person, one number across the shards. A number or document that changes frees the old
// one; another student's taking one held is a unique violation, as the unpartitioned table's
// unique indexes raise it. A child moving province is written in the new province's
// partition before the old copy goes (registry/student_replica.cpp): same student, so it
// only follows the province.
constexpr std::string_view kPersonIndex = R"SQL(
CREATE TABLE national_number (
  number_index TEXT PRIMARY KEY,
  province_code TEXT NOT NULL,
  student_id BIGINT NOT NULL
);
CREATE TABLE national_document (
  id_type TEXT NOT NULL,
  id_index TEXT NOT NULL,
  province_code TEXT NOT NULL,
  student_id BIGINT NOT NULL,
  PRIMARY KEY (id_type, id_index)
);
INSERT INTO national_number SELECT number_index, province_code, id FROM student;
INSERT INTO national_document SELECT id_type, id_index, province_code, id FROM student
  WHERE id_type IS NOT NULL AND id_index IS NOT NULL;
CREATE FUNCTION national_person_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM national_number WHERE number_index = OLD.number_index AND student_id = OLD.id
      AND OLD.number_index IS DISTINCT FROM NEW.number_index;
    DELETE FROM national_document WHERE id_type = OLD.id_type AND id_index = OLD.id_index
      AND student_id = OLD.id
      AND (OLD.id_type, OLD.id_index) IS DISTINCT FROM (NEW.id_type, NEW.id_index);
  END IF;
  INSERT INTO national_number VALUES (NEW.number_index, NEW.province_code, NEW.id)
    ON CONFLICT (number_index) DO UPDATE SET province_code = excluded.province_code
    WHERE national_number.student_id = excluded.student_id;
  IF NOT FOUND THEN
    RAISE unique_violation USING MESSAGE =
      'duplicate key value violates unique constraint "national_number_pkey"';
  END IF;
  IF NEW.id_type IS NOT NULL AND NEW.id_index IS NOT NULL THEN
    INSERT INTO national_document VALUES (NEW.id_type, NEW.id_index, NEW.province_code, NEW.id)
      ON CONFLICT (id_type, id_index) DO UPDATE SET province_code = excluded.province_code
      WHERE national_document.student_id = excluded.student_id;
    IF NOT FOUND THEN
      RAISE unique_violation USING MESSAGE =
        'duplicate key value violates unique constraint "national_document_pkey"';
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER student_person_index
  AFTER INSERT OR UPDATE OF number_index, id_type, id_index, province_code ON student
  FOR EACH ROW EXECUTE FUNCTION national_person_index();
)SQL";

constexpr std::string_view kColumns =
    "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a "
    "WHERE a.attrelid = 'student'::regclass AND a.attnum > 0 AND NOT a.attisdropped "
    "ORDER BY a.attnum";
// The indexes of the table holding the rows: the default partition once partitioned.
constexpr std::string_view kRowIndexes =
    "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
    "WHERE indrelid = COALESCE(to_regclass('student_local'), 'student'::regclass) "
    "ORDER BY indexrelid";
// A table's columns as a definition list ("id bigint DEFAULT nextval(...), ..."), NULL when
// there is no such table: the loader (registry/shard_loader.hpp) is made with `student`'s,
// defaults included, as postgres_fdw sends a column an INSERT leaves out as its local default.
constexpr std::string_view kColumnDefinitions =
    "SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || "
    "COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum) "
    "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped";
constexpr std::string_view kSelectPlaced =
    "SELECT province_code, server, location, students_moved, placed_at FROM national_partition "
    "ORDER BY province_code";

bool IsProvinceCode(std::string_view code) {
  if (code.size() != 6 || code.substr(2) != "0000" || code == "000000") return false;
  for (char ch : code)
    if (ch < '0' || ch > '9') return false;
  return true;
}

std::string Literal(std::string_view text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

// The parts of a libpq URL (or keyword string) the foreign server and user mapping need.
struct ShardConnection {
  std::map<std::string, std::string> server;  // host, port, dbname, ssl...
  std::map<std::string, std::string> user;    // user, password
  std::string location;                       // host:port/dbname
};

Result<ShardConnection> ParseShardUrl(const std::string& url) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
  if (!options) {
    std::string why = error != nullptr ? error : "无法解析";
    PQfreemem(error);
    return Error::BadRequest("bad_shard_url", "分片地址无效（" + url + "）：" + why);
  }
  static const std::vector<std::string> kServerKeys = {
      "host", "hostaddr", "port", "dbname", "sslmode", "sslrootcert", "connect_timeout"};
  ShardConnection out;
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const std::string key = o->keyword;
    if (key == "user" || key == "password") {
      out.user[key] = o->val;
    } else if (std::find(kServerKeys.begin(), kServerKeys.end(), key) != kServerKeys.end()) {
      out.server[key] = o->val;
    }
  }
  if (!out.server.contains("dbname") || !out.server.contains("host")) {
    return Error::BadRequest("bad_shard_url",
                             "分片地址须写明主机和数据库，如 postgresql://用户@主机:5432/库名");
  }
  const std::string port = out.server.contains("port") ? out.server["port"] : "5432";
  out.location = out.server["host"] + ":" + port + "/" + out.server["dbname"];
  return out;
}

std::string OptionList(const std::map<std::string, std::string>& options) {
  std::string list;
  for (const auto& [key, value] : options) {
    list += (list.empty() ? "" : ", ") + key + " " + Literal(value);
  }
  return list;
}

Status ExecRows(db::Connection& c, std::string_view sql,
                const std::function<Status(const db::Row&)>& each) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
  for (const db::Row& row : rs.rows) NEMIS_TRY(each(row));
  return {};
}

Result<bool> IsPartitioned(db::Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kIsPartitioned));
  return !rs.rows.empty();
}

Status Partition(db::Connection& c) {
  std::vector<std::string> triggers;
  NEMIS_TRY(ExecRows(c, kTriggers, [&](const db::Row& r) -> Status {
    triggers.push_back(r.Text(0));
    return {};
  }));
  NEMIS_TRY(ExecRows(c, kReferences, [&](const db::Row& r) {
    return c.ExecScript("ALTER TABLE " + r.Text(0) + " DROP CONSTRAINT " + r.Text(1));
  }));
  // Dropped here and made again on the parent, which clones them to every partition.
  NEMIS_TRY(ExecRows(c, kTriggerNames, [&](const db::Row& r) {
    return c.ExecScript("DROP TRIGGER " + r.Text(0) + " ON student");
  }));
  NEMIS_TRY(c.ExecScript(kPartition));
  for (const std::string& trigger : triggers) NEMIS_TRY(c.ExecScript(trigger));
  // A foreign partition cannot feed the statement triggers' transition tables.
  NEMIS_TRY(c.ExecScript(db::StudentHistoryRowTriggers()));
  return c.ExecScript(kPersonIndex);
}

Error Unreachable(const ShardConnection& shard, const Error& e) {
  return Error::Unavailable("无法连接分片 " + shard.location + "：" + e.message);
}

// "CREATE [UNIQUE] INDEX name ON public.student_local USING btree (...)" for the shard's
// table: its own name, its own table.
std::string ShardIndex(const std::string& definition, const std::string& table) {
  const size_t index = definition.find("INDEX ") + 6;
  const size_t on = definition.find(" ON ", index);
  const size_t method = definition.find(" USING ", on);
  return definition.substr(0, index) + definition.substr(index, on - index) + "_" +
         table.substr(8) + " ON public." + table + definition.substr(method);
}

// The province's table on the shard: the columns and indexes of the rows' table,
// and a CHECK that keeps every row the province's (an UPDATE moving a child elsewhere fails
// there instead of leaving it in the wrong partition).
Result<std::string> ShardTableSql(db::Connection& c, const std::string& table,
                                  const std::string& province) {
  std::string sql = "CREATE TABLE public." + table + " (";
  NEMIS_TRY(ExecRows(c, kColumns, [&](const db::Row& r) -> Status {
    sql += r.Text(0) + " " + r.Text(1) + (r.Int(2) != 0 ? " NOT NULL" : "") + ", ";
    return {};
  }));
  sql += "CONSTRAINT " + table + "_province CHECK (province_code = " + Literal(province) + "));\n";
  NEMIS_TRY(ExecRows(c, kRowIndexes, [&](const db::Row& r) -> Status {
    sql += ShardIndex(r.Text(0), table) + ";\n";
    return {};
  }));
  return sql;
}

// "id, student_number, ...": the columns of `student`, in order.
Result<std::string> ColumnList(db::Connection& c) {
  std::string list;
  NEMIS_TRY(ExecRows(c, kColumns, [&](const db::Row& r) -> Status {
    list += (list.empty() ? "" : ", ") + r.Text(0);
    return {};
  }));
  return list;
}

// Makes the table on the shard, or takes an empty one a failed attempt left.
Status PrepareShardTable(const ShardPlacement& placement, const ShardConnection& shard,
                         const std::string& table, const std::string& create) {
  db::Options options;
  options.pool_size = 1;
  auto opened = db::Database::Open(placement.url, options);
  if (!opened.ok()) return Unreachable(shard, opened.error());
  Status made = (*opened)->WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto exists,
                           c.Query("SELECT to_regclass($1) IS NOT NULL", {"public." + table}));
    if (exists.rows[0].Int(0) != 0) {
      NEMIS_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT COUNT(*) FROM public." + table));
      if (rows.rows[0].Int(0) > 0) {
        return Error::Conflict("shard_not_empty", "分片 " + shard.location + " 上的表 " + table +
                                                      " 已有数据：请换一个空库");
      }
      NEMIS_TRY(c.ExecScript("DROP TABLE public." + table));
    }
    return c.ExecScript(create);
  });
  if (!made.ok() && made.error().code == db::kStoreUnavailable) {
    return Unreachable(shard, made.error());
  }
  return made;
}

Result<std::optional<std::string>> PlacedAt(db::Connection& c, const std::string& province) {
  NEMIS_ASSIGN_OR_RETURN(
      auto rs,
      c.Query("SELECT location FROM national_partition WHERE province_code = $1", {province}));
  if (rs.rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rs.rows[0].Text(0));
}

// The shard as a foreign server, its table as a foreign table filled with the province's
// rows from the default partition (which the caller then deletes there).
std::string ForeignTableSql(const ShardConnection& shard, const std::string& server,
                            const std::string& table, const std::string& province) {
  std::string sql = "CREATE EXTENSION IF NOT EXISTS postgres_fdw;\n";
  sql += "DROP SERVER IF EXISTS " + server + " CASCADE;\n";
  sql += "CREATE SERVER " + server + " FOREIGN DATA WRAPPER postgres_fdw OPTIONS (";
  sql += OptionList(shard.server) + ");\n";
  sql += "CREATE USER MAPPING FOR CURRENT_USER SERVER " + server;
  if (!shard.user.empty()) sql += " OPTIONS (" + OptionList(shard.user) + ")";
  sql += ";\nIMPORT FOREIGN SCHEMA public LIMIT TO (" + table + ") FROM SERVER " + server;
  sql += " INTO public;\nINSERT INTO " + table + " SELECT * FROM student_local WHERE ";
  sql += "province_code = " + Literal(province) + ";\n";
  return sql;
}

Status Validate(db::Database& db, const ShardPlacement& placement) {
  if (!IsProvinceCode(placement.province)) {
    return Error::BadRequest("bad_province",
                             "省级行政区划代码应为六位数字、以 0000 结尾：" + placement.province);
  }
  if (db.backend() != db::Backend::kPostgres) {
    return Error::Refused("not_postgresql", "按省分片只适用于 PostgreSQL 上的国家节点存储");
  }
  return {};
}

}  // namespace

Result<bool> PartitionStudentsByProvince(db::Database& db) {
  if (db.backend() != db::Backend::kPostgres) {
    return Error::Refused("not_postgresql", "按省分区只适用于 PostgreSQL 上的国家节点存储");
  }
  return db.Write<bool>([&](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(bool partitioned, IsPartitioned(c));
    if (partitioned) return false;
    NEMIS_TRY(Partition(c));
    return true;
  });
}

Result<PlacedProvince> PlaceProvinceOnShard(db::Database& db, const ShardPlacement& placement,
                                            std::string_view now) {
  NEMIS_TRY(Validate(db, placement));
  NEMIS_ASSIGN_OR_RETURN(ShardConnection shard, ParseShardUrl(placement.url));
  const std::string& p = placement.province;
  const std::string table = "student_" + p;
  const std::string server = "shard_" + p;
  NEMIS_ASSIGN_OR_RETURN(auto placed, db.Read<std::optional<std::string>>(
                                          [&](db::Connection& c) { return PlacedAt(c, p); }));
  if (placed) {
    return Error::Conflict("province_placed", "省份 " + p + " 的学生已在分片 " + *placed + " 上");
  }
  NEMIS_ASSIGN_OR_RETURN(std::string create, db.Read<std::string>([&](db::Connection& c) {
    return ShardTableSql(c, table, p);
  }));
  NEMIS_TRY(PrepareShardTable(placement, shard, table, create));
  NEMIS_TRY(PartitionStudentsByProvince(db));
  shard.server["async_capable"] = "true";  // a national scan reads every shard at once
  shard.server["fetch_size"] = "10000";
  shard.server["batch_size"] = "500";
  return db.Write<PlacedProvince>([&](db::Connection& c) -> Result<PlacedProvince> {
    NEMIS_TRY(c.ExecScript(ForeignTableSql(shard, server, table, p)));
    NEMIS_ASSIGN_OR_RETURN(auto moved,
                           c.Query("DELETE FROM student_local WHERE province_code = $1", {p}));
    NEMIS_TRY(c.ExecScript("ALTER TABLE student ATTACH PARTITION " + table + " FOR VALUES IN (" +
                           Literal(p) + ")"));
    NEMIS_TRY(KeepShardLoader(c, p, server));
    PlacedProvince out{p, server, shard.location, moved.affected, std::string(now)};
    NEMIS_TRY(
        c.Query("INSERT INTO national_partition (province_code, server, location, "
                "students_moved, placed_at) VALUES ($1, $2, $3, $4, $5)",
                {out.province, out.server, out.location, out.students_moved, out.placed_at}));
    return out;
  });
}

Status KeepShardLoader(db::Connection& c, const std::string& province, const std::string& server) {
  const std::string loader = registry::ShardLoaderTable(province);
  NEMIS_ASSIGN_OR_RETURN(auto wanted, c.Query(kColumnDefinitions, {"student"}));
  NEMIS_ASSIGN_OR_RETURN(auto made, c.Query(kColumnDefinitions, {loader}));
  const std::string columns = wanted.rows.at(0).Text(0);
  if (made.rows.at(0).Text(0) == columns) return {};
  return c.ExecScript("CREATE SCHEMA IF NOT EXISTS shard_load;\nDROP FOREIGN TABLE IF EXISTS " +
                      loader + ";\nCREATE FOREIGN TABLE " + loader + " (" + columns + ") SERVER " +
                      server + " OPTIONS (schema_name 'public', table_name " +
                      Literal("student_" + province) + ");\n");
}

Result<std::vector<PlacedProvince>> PlacedProvinces(db::Database& db) {
  return db.Read<std::vector<PlacedProvince>>(
      [&](db::Connection& c) -> Result<std::vector<PlacedProvince>> {
        std::vector<PlacedProvince> out;
        NEMIS_TRY(ExecRows(c, kSelectPlaced, [&](const db::Row& r) -> Status {
          out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Text(4)});
          return {};
        }));
        return out;
      });
}

Result<std::vector<ShardState>> CheckShards(db::Database& db) {
  NEMIS_ASSIGN_OR_RETURN(auto placed, PlacedProvinces(db));
  NEMIS_ASSIGN_OR_RETURN(std::string columns,
                         db.Read<std::string>([](db::Connection& c) { return ColumnList(c); }));
  std::vector<ShardState> out;
  for (const PlacedProvince& p : placed) {
    const std::string table = "student_" + p.province;
    // Every column named, so that one the shard lacks fails here rather than in a batch.
    std::string probe = "SELECT " + columns;
    probe += " FROM " + table + " LIMIT 1";
    auto students = db.Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_TRY(c.Query(probe));
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT COUNT(*) FROM " + table));
      return rs.rows[0].Int(0);
    });
    out.push_back({p, students.ok() ? *students : -1,
                   students.ok() ? "" : "分片 " + p.location + "：" + students.error().message});
  }
  return out;
}

}  // namespace nemis::exchange
