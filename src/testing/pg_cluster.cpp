#include "testing/pg_cluster.hpp"

#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "testing/pg_server.hpp"

namespace nemis::testing {
namespace {

PgServer& Instance() {
  static std::mutex mutex;
  static std::unique_ptr<PgServer> cluster;  // destroyed at exit: the server stops then
  static std::string failure;
  std::lock_guard lock(mutex);
  if (cluster) return *cluster;
  if (!failure.empty()) throw std::runtime_error(failure);
  try {
    cluster = std::make_unique<PgServer>(/*honour_url_variable=*/true);
  } catch (const std::exception& e) {
    failure = e.what();
    throw;
  }
  return *cluster;
}

}  // namespace

void PgCluster::EnsureStarted() { Instance(); }

std::string PgCluster::Url(const std::string& db) { return Instance().Url(db); }

std::string PgCluster::CreateDatabase(const std::string& name) {
  return Instance().CreateDatabase(name);
}

void PgCluster::DropDatabase(const std::string& name) { Instance().DropDatabase(name); }

std::string PgCluster::UniqueName(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
}

}  // namespace nemis::testing
