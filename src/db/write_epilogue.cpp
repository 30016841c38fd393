#include "db/write_epilogue.hpp"

namespace nemis::db {
namespace {

thread_local WriteEpilogue* current = nullptr;

}  // namespace

WriteEpilogue::WriteEpilogue(std::function<Status(Connection&)> work) : work_(std::move(work)) { current = this; }

WriteEpilogue::~WriteEpilogue() {
  if (current == this) current = nullptr;
}

WriteEpilogue* WriteEpilogue::Take() {
  WriteEpilogue* e = current;
  if (e == nullptr || e->taken_ || e->committed_) return nullptr;
  e->taken_ = true;
  return e;
}

void WriteEpilogue::Release(bool committed) {
  taken_ = false;
  committed_ = committed;
}

WriteEpilogue::Hidden::Hidden() : hidden_(current) { current = nullptr; }

WriteEpilogue::Hidden::~Hidden() { current = hidden_; }

}  // namespace nemis::db
