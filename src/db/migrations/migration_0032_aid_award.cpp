// Student aid awards (学生资助名单, aid/award_list.hpp): who gets which programme's money for a
// school year, listed by a school or bureau, and what the finance department answered when
// the node sent it to be paid (aid/award_payment.hpp). The school and its ancestor codes are
// the student's when listed, so a bureau's scope finds the awards its schools listed even
// after the student moves on.
#include <string_view>

namespace nemis::db {

std::string_view Migration0032AidAward() {
  return R"SQL(
CREATE TABLE aid_award (
  id {{id}},
  payment_id TEXT NOT NULL UNIQUE,      -- what finance knows the payment by; new when re-listed
  student_id BIGINT NOT NULL,
  school_id BIGINT NOT NULL,
  school_code TEXT NOT NULL,
  province_code TEXT NOT NULL,
  city_code TEXT,
  county_code TEXT,
  programme TEXT NOT NULL,              -- aid/aid_programme.hpp
  school_year INTEGER NOT NULL,         -- 2026: the 2026-2027 school year
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  status TEXT NOT NULL DEFAULT 'listed'
    CHECK (status IN ('listed', 'sent', 'paid', 'refused')),
  reference TEXT NOT NULL DEFAULT '',   -- paid: finance's voucher number
  reason TEXT NOT NULL DEFAULT '',      -- refused: finance's reason
  listed_at TEXT NOT NULL,
  sent_at TEXT,                         -- last sent to finance
  settled_at TEXT,                      -- paid or refused
  UNIQUE (student_id, programme, school_year)
);
CREATE INDEX aid_award_status ON aid_award (status, id);
CREATE INDEX aid_award_school ON aid_award (school_id, school_year);
)SQL";
}

}  // namespace nemis::db
