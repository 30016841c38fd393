# Shared by scripts/run and scripts/test: install what is missing, build.
# shellcheck shell=bash

NEMIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian 12 packages the build and the tests need.
NEMIS_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.74-dev libboost-system1.74-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libfmt-dev libssl-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-client-15
  libjemalloc-dev libargon2-dev libqrencode-dev libgtest-dev libgmock-dev libbenchmark-dev curl
  clang-format clang-tidy
  libyaml-cpp-dev
  clang libclang-rt-14-dev
)

nemis_install_deps() {
  local missing=()
  for p in "${NEMIS_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  echo "== installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The npm packages of the tests (openid-client for the OIDC client test), from the
# committed package-lock.json. Node.js comes with the machine; Debian's is installed if not.
nemis_install_test_packages() {
  if ! command -v npm >/dev/null; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  (cd "$NEMIS_ROOT/tests/oidc" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# The npm packages of docs/tools, from its committed package-lock.json: the OpenAPI
# validator (ctest openapi_valid) and Swagger UI, which the build embeds for /api/docs.
nemis_install_docs_packages() {
  if ! command -v npm >/dev/null; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  (cd "$NEMIS_ROOT/docs/tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# nemis_build BUILD_DIR BUILD_TYPE [targets...]
nemis_build() {
  local dir="$1" type="$2"
  shift 2
  # ccache keys on paths relative to the checkout, so a clone elsewhere (CI's) reuses
  # what another checkout compiled.
  export CCACHE_BASEDIR="$NEMIS_ROOT" CCACHE_NOHASHDIR=1
  cmake -S "$NEMIS_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
  ninja -C "$dir" "$@"
}
