// A store that passes everything to another but runs each piece of work on a connection
// of the test's making around the real one: one that fails a statement the way a lost
// server does, or kills the process before one (killed_write.hpp).
#pragma once

#include <functional>

#include "db/database.hpp"

namespace nemis::testing {

class WrappedDatabase : public db::Database {
 public:
  using Work = std::function<Status(db::Connection&)>;
  /// Runs `work` on a connection wrapping `inner` (the store's own).
  using Wrap = std::function<Status(db::Connection& inner, const Work& work)>;

  WrappedDatabase(db::Database& inner, Wrap wrap) : inner_(inner), wrap_(std::move(wrap)) {}

  db::Backend backend() const override { return inner_.backend(); }
  Status WithReader(const Work& work) override { return inner_.WithReader(Wrapped(work)); }
  Status WithRawWriter(const Work& work) override { return inner_.WithRawWriter(Wrapped(work)); }
  Status Ping() override { return inner_.Ping(); }

 protected:
  // This database's WithWriter already wrapped `work` with the write's attachment (if any).
  Status RunWriteTransaction(const Work& work) override { return inner_.WithWriter(Wrapped(work)); }

 private:
  Work Wrapped(const Work& work) {
    return [this, &work](db::Connection& c) { return wrap_(c, work); };
  }
  db::Database& inner_;
  Wrap wrap_;
};

}  // namespace nemis::testing
