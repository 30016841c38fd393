// The registry's history triggers on PostgreSQL (db/migrations 0019 and 0031). A store's
// `student` gets them written once per statement from transition tables (0031), except where
// it is partitioned with foreign partitions, which cannot feed transition tables: there
// (exchange/student_partitions.cpp) they are the row triggers of 0019.
#pragma once

#include <string_view>

namespace nemis::db {

/// CREATE TRIGGER student_history_insert and student_history_update on `student`, a call of
/// student_history_write() per row (the function of migration 0019).
std::string_view StudentHistoryRowTriggers();

}  // namespace nemis::db
