#include "testing/temp_dir.hpp"

#include <cstdlib>
#include <stdexcept>

#include "testing/temp_root.hpp"

namespace nemis::testing {

TempDir::TempDir() {
  std::string tmpl = (TestTempRoot() / "nemis-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace nemis::testing
