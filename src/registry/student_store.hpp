// The student registry in the store: registration (one person, one number),
// lookups, updates with optimistic concurrency, listing and search — all within
// the reader's scope, each student handed back masked for the reader and its disclosure
// audited (student_viewer.hpp). Statistics live in student_stats.hpp, bulk loads in
// student_bulk.hpp.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/duplicate_hits.hpp"
#include "registry/status_change.hpp"
#include "registry/student.hpp"
#include "registry/student_input.hpp"
#include "registry/student_viewer.hpp"
#include "registry/transfer_lookup.hpp"

namespace nemis::registry {

struct RegisterOptions {
  bool temporary_number = false;  // issue an L number
  // The registrar confirmed this child is not the J or L record of the same name, gender
  // and birth date (temporary_record.hpp).
  bool not_temporary_record = false;
  std::optional<std::string> idempotency_key;
  std::string body_hash;   // of the request, to detect a reused key
  int64_t account_id = 0;  // the caller: a key is its own, another's same key is new
  db::WriteAttachment* attachment =
      nullptr;  // commits with the registration (the request's audit entry)
};

struct RegisterOutcome {
  Student student;
  /// Answered from an earlier request of the same account with the same Idempotency-Key
  /// (the student as it is now, if it is still in the caller's scope; "not found" otherwise).
  bool replayed = false;
};

struct StudentListQuery {
  std::string school_code;  // required
  std::optional<int> grade;
  std::optional<std::string> class_no, stage, status;
  std::optional<int> gender;
  std::vector<std::string> flags;  // registry flags all set (student_flags.hpp); checked by List
  int limit = 50;
  std::string after;  // cursor from a previous page
};

struct StudentSearchQuery {
  std::string text;  // a student number, a citizen ID, or the beginning of a name
  int limit = 50;
  std::string after;
};

struct StudentPage {
  std::vector<Student> items;
  std::optional<std::string> next;
};

class StudentStore {
 public:
  /// `cipher` seals and opens the personal data (see personal_record.hpp).
  StudentStore(db::Database& db, const crypto::FieldCipher& cipher,
               const Clock& clock = Clock::System())
      : db_(db), cipher_(cipher), clock_(clock) {}

  Result<RegisterOutcome> Register(const StudentViewer& viewer, const StudentInput& input,
                                   const RegisterOptions& options);
  Result<Student> Get(const StudentViewer& viewer, std::string_view student_number);
  /// The status changes (学籍异动) of a student in the viewer's scope, oldest first.
  Result<std::vector<StatusChange>> Changes(const StudentViewer& viewer,
                                            std::string_view student_number);
  /// What a writer saw of a student: its version and, when known, its school's promotion
  /// count (a promotion changes the grade without writing the student: current_grade.hpp).
  struct Seen {
    int64_t version = 0;
    std::optional<int64_t> promotions;
  };
  /// Applies the fields present in `changes` if the student is as `seen` (else 412). Name,
  /// gender, birth date and documents need an approval; the school needs a transfer.
  /// `attachment` (the request's audit entry) commits with the update.
  Result<Student> Update(const StudentViewer& viewer, std::string_view student_number,
                         const StudentInput& changes, Seen seen,
                         db::WriteAttachment* attachment = nullptr);
  Result<StudentPage> List(const StudentViewer& viewer, const StudentListQuery& query);
  Result<StudentPage> Search(const StudentViewer& viewer, const StudentSearchQuery& query);
  /// The students of `ids` (at most 500) in that order, as `viewer` may see them: those now
  /// at a school outside the viewer's scope are left out (e.g. counted in a statistic of a
  /// past day, transferred since).
  Result<std::vector<Student>> ListByIds(const StudentViewer& viewer,
                                         const std::vector<int64_t>& ids);
  /// A student of any school on the node, for a receiving school about to ask for a
  /// transfer: by the exact student number or resident ID number and the exact name
  /// (transfer_lookup.hpp); not_found for either mismatch alike. The caller audits and
  /// throttles it.
  Result<TransferCandidate> FindForTransfer(TransferKey key, std::string_view value,
                                            std::string_view name);

  /// Each account's registered_elsewhere answers (duplicate_student.hpp) of the last hour,
  /// from registrations and imports alike: what the API throttles probing by. Shared, so
  /// that an import running on after its request holds it too.
  const std::shared_ptr<DuplicateHitCounter>& duplicate_hits() const { return duplicate_hits_; }

 private:
  /// The last step of every answer: masks and audits for `viewer`.
  void ShowTo(const StudentViewer& viewer, std::span<Student> students);

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
  std::shared_ptr<DuplicateHitCounter> duplicate_hits_ = std::make_shared<DuplicateHitCounter>();
};

}  // namespace nemis::registry
