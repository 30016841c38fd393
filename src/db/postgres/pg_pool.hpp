// A fixed-size pool of PostgreSQL connections, opened lazily. A lease is exclusive;
// a connection found broken when leased is reset; waiting longer than the busy
// timeout for a free connection is "store unavailable".
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/postgres/pg_connection.hpp"

namespace nemis::db::postgres {

class PgPool {
 public:
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_) pool_->Release(std::move(connection_));
    }
    PgConnection& operator*() { return *connection_; }
    PgConnection* operator->() { return connection_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  PgPool(std::string url, int size, int wait_timeout_ms);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<PgConnection> connection);
  Result<Lease> Open();

  std::string url_;  // may hold a password: never logged
  int size_;
  int wait_timeout_ms_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // connections open or being opened, idle and leased
};

}  // namespace nemis::db::postgres
