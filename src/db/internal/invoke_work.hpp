// Runs a caller's unit of work so that an exception cannot escape with a transaction
// still open on a pooled connection (or kill the SQLite writer thread): it becomes an
// internal error for that caller alone, and is logged.
#pragma once

#include <exception>
#include <functional>
#include <string>

#include "base/log.hpp"
#include "db/database.hpp"

namespace nemis::db {

inline Status InvokeWork(const std::function<Status(Connection&)>& work, Connection& connection) {
  try {
    return work(connection);
  } catch (const std::exception& e) {
    log::Error("store_work_threw", {{"what", e.what()}});
    return Error::Internal(std::string("database work threw: ") + e.what());
  } catch (...) {
    log::Error("store_work_threw", {{"what", "unknown exception"}});
    return Error::Internal("database work threw an unknown exception");
  }
}

}  // namespace nemis::db
