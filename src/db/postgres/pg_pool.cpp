#include "db/postgres/pg_pool.hpp"

#include <algorithm>
#include <chrono>

namespace nemis::db::postgres {

PgPool::PgPool(std::string url, int size, int wait_timeout_ms)
    : url_(std::move(url)), size_(std::max(1, size)), wait_timeout_ms_(wait_timeout_ms) {}

Result<PgPool::Lease> PgPool::Acquire() {
  std::unique_ptr<PgConnection> connection;
  {
    std::unique_lock lock(mutex_);
    auto ready = [this] { return !idle_.empty() || open_ < size_; };
    if (!freed_.wait_for(lock, std::chrono::milliseconds(wait_timeout_ms_), ready)) {
      return Error::Unavailable("no PostgreSQL connection free within " +
                                std::to_string(wait_timeout_ms_) + " ms (pool of " +
                                std::to_string(size_) + ")");
    }
    if (idle_.empty()) {
      ++open_;
    } else {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!connection) return Open();
  Lease lease(this, std::move(connection));
  // Reset outside the lock: reconnecting can take as long as the connect timeout.
  NEMIS_TRY(lease->EnsureConnected());
  return lease;
}

Result<PgPool::Lease> PgPool::Open() {
  auto connection = PgConnection::Connect(url_, wait_timeout_ms_);
  if (!connection.ok()) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    freed_.notify_one();
    return std::move(connection).error();
  }
  return Lease(this, std::move(connection).value());
}

void PgPool::Release(std::unique_ptr<PgConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  freed_.notify_one();
}

}  // namespace nemis::db::postgres
