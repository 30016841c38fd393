# raw_table_sql CSV [ID_COLUMN]: CREATE TABLE for the CSV's columns as text (after an
# optional surrogate key column, e.g. "rid bigserial PRIMARY KEY").
# raw_index_sql: the same kinds of index NEMIS keeps on students (two unique, a class
# index, a name index).
# shellcheck shell=bash
raw_table_sql() {
  local header cols=""
  header=$(head -1 "$1" | sed 's/^\xEF\xBB\xBF//')
  IFS=',' read -r -a names <<<"$header"
  for n in "${names[@]}"; do cols+="${cols:+, }\"$n\" text"; done
  echo "CREATE TABLE raw_student (${2:+$2, }$cols);"
}
raw_index_sql() {
  cat <<SQL
CREATE UNIQUE INDEX raw_number ON raw_student ("身份证件号") WHERE "身份证件号" <> '';
CREATE UNIQUE INDEX raw_document ON raw_student ("身份证件类型", "身份证件号") WHERE "身份证件号" <> '';
CREATE INDEX raw_class ON raw_student ("学校标识码", "年级", "班号");
CREATE INDEX raw_name ON raw_student ("姓名");
SQL
}
