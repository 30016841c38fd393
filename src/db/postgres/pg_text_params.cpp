#include "db/postgres/pg_text_params.hpp"

#include "db/internal/value_format.hpp"

namespace nemis::db::postgres {

PgTextParams::PgTextParams(std::span<const Param> params) {
  offsets_.reserve(params.size());
  for (const Param& p : params) {
    if (p.IsNull()) {
      offsets_.push_back(kNull);
      continue;
    }
    offsets_.push_back(buffer_.size());
    const auto& v = p.get();
    if (const auto* n = std::get_if<int64_t>(&v)) AppendInt(buffer_, *n);
    if (const auto* d = std::get_if<double>(&v)) AppendDouble(buffer_, *d);
    if (const auto* s = std::get_if<std::string_view>(&v)) buffer_.append(*s);
    buffer_.push_back('\0');
  }
}

std::vector<const char*> PgTextParams::Pointers() const {
  std::vector<const char*> pointers;
  pointers.reserve(offsets_.size());
  for (size_t offset : offsets_)
    pointers.push_back(offset == kNull ? nullptr : buffer_.data() + offset);
  return pointers;
}

}  // namespace nemis::db::postgres
