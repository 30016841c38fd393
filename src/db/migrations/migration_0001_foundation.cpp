// The foundation schema: the organisation tree, students with their current
// enrolment, number allocation, imports, idempotency keys and the change log.
#include <string_view>

namespace nemis::db {

std::string_view Migration0001Foundation() {
  return R"SQL(
-- The transactional outbox. seq is allocated from change_seq inside the writing
-- transaction, so on PostgreSQL too it increases in commit order with no gaps:
-- a reader that has seen seq N has seen every change up to N.
CREATE TABLE change_seq (id INTEGER PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL);
INSERT INTO change_seq (id, last) VALUES (1, 0);
CREATE TABLE change_log (
  seq BIGINT PRIMARY KEY,
  entity TEXT NOT NULL,        -- 'org', 'student'
  entity_id BIGINT NOT NULL,   -- internal id of the row (never leaves the node)
  op TEXT NOT NULL,            -- 'I' insert, 'U' update
  changed_at TEXT NOT NULL     -- UTC, ISO 8601
);

-- The organisation tree: national (0), province (1), city (2), county (3), school (4).
-- Every row carries its ancestor codes (its own code at its own level), so a subtree
-- is an equality on one column.
CREATE TABLE org (
  id {{id}},
  code TEXT NOT NULL,
  level SMALLINT NOT NULL,
  parent_code TEXT,
  name TEXT NOT NULL,
  province_code TEXT,
  city_code TEXT,
  county_code TEXT,
  category TEXT,               -- school category (2 digits of the school code)
  school_type TEXT,            -- 办学类型 (3 digits)
  sponsor TEXT,                -- 举办者
  urban_rural TEXT,            -- 城乡分类代码 (3 digits)
  address TEXT,
  longitude {{real}},
  latitude {{real}},
  status TEXT NOT NULL DEFAULT 'open',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX org_code ON org (code);
CREATE INDEX org_parent ON org (parent_code, code);
CREATE INDEX org_city ON org (city_code);
CREATE INDEX org_county ON org (county_code);
CREATE INDEX org_name ON org (name);

-- Students and their current enrolment. student_number and id_number are lookup
-- columns only (the identity work replaces them by ciphertext and a blind index).
CREATE TABLE student (
  id {{id}},
  student_number TEXT NOT NULL,
  number_kind TEXT NOT NULL,   -- 'G', 'J' or 'L'
  id_type TEXT,                -- NULL: the student has no identity document
  id_number TEXT,
  name TEXT NOT NULL,
  gender SMALLINT NOT NULL,
  birth_date TEXT NOT NULL,
  ethnicity TEXT NOT NULL,
  nationality TEXT NOT NULL,
  overseas TEXT,
  hukou_type TEXT,
  category TEXT,
  boarding SMALLINT,
  entry_method TEXT,
  left_behind SMALLINT NOT NULL DEFAULT 0,
  migrant_child SMALLINT NOT NULL DEFAULT 0,
  orphan SMALLINT NOT NULL DEFAULT 0,
  martyr_child SMALLINT NOT NULL DEFAULT 0,
  disability_type TEXT,
  in_regular_class SMALLINT NOT NULL DEFAULT 0,
  address TEXT,
  phone TEXT,
  g1_name TEXT, g1_relation TEXT, g1_id_number TEXT, g1_phone TEXT,
  g2_name TEXT, g2_relation TEXT, g2_id_number TEXT, g2_phone TEXT,
  school_id BIGINT NOT NULL REFERENCES org (id),
  province_code TEXT NOT NULL,
  city_code TEXT,
  county_code TEXT,
  school_code TEXT NOT NULL,
  stage TEXT NOT NULL,
  grade SMALLINT NOT NULL,
  class_no TEXT NOT NULL,
  entry_date TEXT NOT NULL,    -- YYYY-MM
  status TEXT NOT NULL DEFAULT '01',
  import_id BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX student_number ON student (student_number);
CREATE UNIQUE INDEX student_id_number ON student (id_type, id_number);
CREATE INDEX student_class ON student (school_id, grade, class_no, id);
CREATE INDEX student_name ON student (name{{bytewise}});

-- Numbers issued for J and L students: next sequence per (kind, region, birth date, parity).
CREATE TABLE number_seq (prefix TEXT PRIMARY KEY, next_seq INTEGER NOT NULL);

-- Imports: one row per file (by content fingerprint), with the resume point.
CREATE TABLE import_job (
  id {{id}},
  kind TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  skip_invalid SMALLINT NOT NULL,
  status TEXT NOT NULL,        -- 'writing', 'done'
  total_rows BIGINT NOT NULL DEFAULT 0,
  imported_rows BIGINT NOT NULL DEFAULT 0,
  rejected_rows BIGINT NOT NULL DEFAULT 0,
  resume_offset BIGINT NOT NULL DEFAULT 0,
  resume_line BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX import_job_file ON import_job (kind, fingerprint, skip_invalid);

-- Idempotency keys of create requests: the same key and body give the same answer.
CREATE TABLE idempotency_key (
  idem_key TEXT PRIMARY KEY,
  route TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
