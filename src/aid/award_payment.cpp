#include "aid/award_payment.hpp"

#include <map>
#include <set>

#include "aid/aid_programme.hpp"
#include "registry/student_replica.hpp"

namespace nemis::aid {
namespace {

// An award due to be sent, as held.
struct Due {
  int64_t id = 0, student_id = 0, amount_fen = 0;
  std::string payment_id, programme, school_code;
  int school_year = 0;
};

Result<std::vector<Due>> NextDue(db::Connection& c, const org::Scope& scope,
                                 const PaymentRunOptions& options, int64_t after) {
  db::SqlBuilder sql(
      "SELECT a.id, a.student_id, a.amount_fen, a.payment_id, a.programme, a.school_code, "
      "a.school_year FROM aid_award a WHERE a.id > $1 AND a.status IN ('listed', 'sent')",
      {after});
  if (options.school_year) sql.Add(" AND a.school_year = $1", {*options.school_year});
  scope.AddFilter(sql, org::ScopedTable::kStudent, "a");
  sql.Add(" ORDER BY a.id LIMIT $1", {options.batch});
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  std::vector<Due> due;
  for (const db::Row& r : rs.rows)
    due.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5),
                   static_cast<int>(r.Int(6))});
  return due;
}

// The payments of `due` whose students can still be paid, as finance is to get them.
Result<std::vector<AidPayment>> Payments(db::Connection& c, const crypto::FieldCipher& cipher,
                                         std::span<const Due> due) {
  std::vector<int64_t> ids;
  for (const Due& d : due) ids.push_back(d.student_id);
  NEMIS_ASSIGN_OR_RETURN(auto students, registry::LoadStudentsForExchange(c, cipher, ids));
  std::map<int64_t, const registry::Student*> by_id;
  for (const registry::Student& s : students) by_id[s.id] = &s;
  std::vector<AidPayment> payments;
  for (const Due& d : due) {
    auto s = by_id.find(d.student_id);
    if (s == by_id.end() || s->second->id_type != "1" || !s->second->id_number) continue;
    const AidProgramme* programme = FindAidProgramme(d.programme);
    payments.push_back({d.payment_id, *s->second->id_number, s->second->name, d.programme,
                        programme ? std::string(programme->name) : "", d.school_year, d.amount_fen,
                        d.school_code});
  }
  return payments;
}

Status MarkSent(db::Connection& c, std::span<const AidPayment> payments, const std::string& now) {
  for (const AidPayment& p : payments)
    NEMIS_TRY(
        c.Query("UPDATE aid_award SET status = 'sent', sent_at = $1 "
                "WHERE payment_id = $2 AND status IN ('listed', 'sent')",
                {now, p.payment_id}));
  return {};
}

// The answers about payments sent, each payment once; an unknown result fails the batch.
Result<std::vector<AidPaymentResult>> Checked(std::vector<AidPaymentResult> answers,
                                              std::span<const AidPayment> sent) {
  std::set<std::string> asked, answered;
  for (const AidPayment& p : sent) asked.insert(p.payment_id);
  std::vector<AidPaymentResult> out;
  for (AidPaymentResult& a : answers) {
    if (a.result != "已发放" && a.result != "未发放" && a.result != "处理中")
      return Error{ErrorKind::kUnavailable,
                   "bad_answer",
                   "财政部门答复的发放结果“" + a.result + "”无法识别",
                   {}};
    if (asked.contains(a.payment_id) && answered.insert(a.payment_id).second)
      out.push_back(std::move(a));
  }
  return out;
}

Status Settle(db::Connection& c, std::span<const AidPaymentResult> results,
              const std::string& now) {
  for (const AidPaymentResult& r : results) {
    if (r.result == "已发放")
      NEMIS_TRY(
          c.Query("UPDATE aid_award SET status = 'paid', reference = $1, settled_at = $2 "
                  "WHERE payment_id = $3 AND status = 'sent'",
                  {r.reference, now, r.payment_id}));
    else if (r.result == "未发放")
      NEMIS_TRY(c.Query(
          "UPDATE aid_award SET status = 'refused', reason = $1, settled_at = $2 "
          "WHERE payment_id = $3 AND status = 'sent'",
          {r.reason.empty() ? std::string("财政部门未说明原因") : r.reason, now, r.payment_id}));
  }
  return {};
}

void Count(std::span<const AidPaymentResult> results, size_t sent, PaymentRunReport& report) {
  for (const AidPaymentResult& r : results)
    ++(r.result == "已发放" ? report.paid : r.result == "未发放" ? report.refused : report.pending);
  report.unanswered += static_cast<int64_t>(sent - results.size());
}

// One batch: mark, send, keep. False when nothing was left to send.
Result<bool> SendBatch(db::Database& db, const crypto::FieldCipher& cipher, const org::Scope& scope,
                       const PayAwards& pay, const PaymentRunOptions& options, int64_t& after,
                       PaymentRunReport& report) {
  std::vector<AidPayment> payments;
  size_t due_count = 0;
  int64_t last = after;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto due, NextDue(c, scope, options, after));
    due_count = due.size();
    if (due.empty()) return {};
    last = due.back().id;
    NEMIS_ASSIGN_OR_RETURN(payments, Payments(c, cipher, due));
    return MarkSent(c, payments, options.now);
  }));
  if (due_count == 0) return false;
  after = last;
  report.skipped += static_cast<int64_t>(due_count - payments.size());
  if (payments.empty()) return true;
  report.sent += static_cast<int64_t>(payments.size());  // they leave the node now
  NEMIS_ASSIGN_OR_RETURN(auto answers, pay(payments));
  NEMIS_ASSIGN_OR_RETURN(auto results, Checked(std::move(answers), payments));
  NEMIS_TRY(
      db.WithWriter([&](db::Connection& c) -> Status { return Settle(c, results, options.now); }));
  Count(results, payments.size(), report);
  return true;
}

}  // namespace

PaymentRunReport SendAwardsForPayment(db::Database& db, const crypto::FieldCipher& cipher,
                                      const org::Scope& scope, const PayAwards& pay,
                                      const PaymentRunOptions& options) {
  PaymentRunReport report;
  for (int64_t after = 0;;) {
    auto more = SendBatch(db, cipher, scope, pay, options, after, report);
    if (!more.ok()) {
      report.stopped = std::move(more).error();
      break;
    }
    if (!*more) break;
  }
  return report;
}

}  // namespace nemis::aid
