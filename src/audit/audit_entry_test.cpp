// What Append accepts: times, outcomes, JSON details, clean text, no ID numbers in targets.
#include "audit/audit_entry.hpp"

#include <gtest/gtest.h>

namespace nemis::audit {
namespace {

AuditEntry Good() {
  return {"2026-11-21T23:16:16.123Z", "", "", "", "", "", "auth.login", "", "failure", ""};
}

// The code of the first field error, or "ok".
std::string Refusal(const AuditEntry& e) {
  Status s = ValidateEntry(e);
  if (s.ok()) return "ok";
  EXPECT_EQ(s.error().code, "validation_failed");
  return s.error().fields.empty() ? s.error().code
                                  : s.error().fields[0].field + ":" + s.error().fields[0].code;
}

TEST(AuditEntryTest, AcceptsAMinimalAnonymousEntry) { EXPECT_EQ(Refusal(Good()), "ok"); }

TEST(AuditEntryTest, TimesMustBeFormatUtcOfAValidInstant) {
  EXPECT_TRUE(IsAuditTime("2024-02-29T23:59:59.999Z"));
  for (const char* bad :
       {"2026-11-21T23:16:16Z", "2026-11-21 23:16:16.123Z", "2026-11-21T23:16:16.123+08:00",
        "2025-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-11-21T24:00:00.000Z",
        "2026-11-21T23:60:00.000Z", "2026-11-21T23:16:16.12aZ", ""}) {
    EXPECT_FALSE(IsAuditTime(bad)) << bad;
    AuditEntry e = Good();
    e.time = bad;
    EXPECT_EQ(Refusal(e), "time:bad_time") << bad;
  }
}

TEST(AuditEntryTest, RefusesMissingActionUnknownOutcomeAndNonJsonDetails) {
  AuditEntry e = Good();
  e.action = "";
  EXPECT_EQ(Refusal(e), "action:required");
  e = Good();
  for (const char* outcome : {"", "ok", "SUCCESS"}) {
    e.outcome = outcome;
    EXPECT_EQ(Refusal(e), "outcome:bad_outcome") << outcome;
  }
  for (const char* outcome : {"success", "failure", "denied"}) {
    e.outcome = outcome;
    EXPECT_EQ(Refusal(e), "ok") << outcome;
  }
  e.details = "{\"field\": \"idNumber\"";
  EXPECT_EQ(Refusal(e), "details:bad_json");
  e.details = "{\"field\": \"idNumber\", \"note\": \"多行\\n说明\"}";
  EXPECT_EQ(Refusal(e), "ok");
}

TEST(AuditEntryTest, RefusesBrokenOrOverlongText) {
  AuditEntry e = Good();
  e.account = "\xff\xfe";
  EXPECT_EQ(Refusal(e), "account:bad_text");
  e = Good();
  e.request_id = std::string("a\0b", 3);
  EXPECT_EQ(Refusal(e), "requestId:bad_text");
  e = Good();
  e.roles = std::string(4097, 'r');
  EXPECT_EQ(Refusal(e), "roles:too_long");
  e = Good();
  e.details = "\"" + std::string(65536, 'd') + "\"";
  EXPECT_EQ(Refusal(e), "details:too_long");
}

TEST(AuditEntryTest, RefusesCitizenIdNumbersInTheTarget) {
  AuditEntry e = Good();
  for (const char* personal : {"11010519491231002X", "11010519491231002x", "G11010519491231002X",
                               "student 440524188001010014 grade 3"}) {
    e.target = personal;
    EXPECT_EQ(Refusal(e), "target:personal_data") << personal;
  }
  // Internal ids, school and division codes, and digit runs that are not ID numbers pass.
  for (const char* fine : {"student:1042", "2144000001", "440106", "110105194912310021",
                           "1101051949123100211", "11010519491331002X"}) {
    e.target = fine;
    EXPECT_EQ(Refusal(e), "ok") << fine;
  }
}

}  // namespace
}  // namespace nemis::audit
