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
  libyaml-cpp-dev libxlsxwriter-dev libzstd-dev unzip
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

# The npm packages of the tests (openid-client for the OIDC client test; playwright-core,
# axe-core and exceljs for the browser tests), from their committed package-lock.json files.
# Node.js comes with the machine; Debian's is installed if not, and Debian's chromium.
nemis_install_test_packages() {
  local missing=()
  command -v npm >/dev/null || missing+=(nodejs npm)
  # The browser tests (tests/e2e) drive Debian's chromium; no test tool downloads a browser.
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # A Chinese font, so that the screenshots the browser tests keep show the portal's text.
  dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "install ok installed" ||
    missing+=(fonts-wqy-microhei)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  (cd "$NEMIS_ROOT/tests/oidc" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  (cd "$NEMIS_ROOT/tests/e2e" &&
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
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

# The portal (web/), built into web/dist, which `nemis serve` serves at /. Kept fast on
# reruns: `npm ci` only when package-lock.json changed since the last install (its hash in
# node_modules), `npm run build` only when an input is newer than the last complete build
# (a stamp in web/dist, which Vite empties when a build starts). Node.js and npm from
# Debian when the machine has none. Fails when the build fails (its output is shown).
nemis_build_portal() {
  local web="$NEMIS_ROOT/web"
  if [ ! -f "$web/package.json" ]; then
    echo "== portal: web/package.json not found, nothing to build"
    return 0
  fi
  if ! command -v npm >/dev/null; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  local lock_stamp="$web/node_modules/.nemis-package-lock.sha256" lock_sum
  lock_sum=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
  # No stamp yet, but npm's own record of the last install is newer than the lock file
  # (node_modules installed by hand): that install is taken as the current one.
  if [ ! -f "$lock_stamp" ] && [ "$web/node_modules/.package-lock.json" -nt "$web/package-lock.json" ]; then
    echo "$lock_sum" >"$lock_stamp"
  fi
  if [ ! -d "$web/node_modules" ] || [ "$(cat "$lock_stamp" 2>/dev/null)" != "$lock_sum" ]; then
    echo "== portal: npm ci (web/package-lock.json changed)"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$lock_sum" >"$lock_stamp"
  fi
  local built="$web/dist/.nemis-built" inputs=()
  for f in "$web/src" "$web/public" "$web/scripts" "$web/index.html" "$web/package.json" \
           "$web/package-lock.json" "$web"/vite.config.* "$web"/tsconfig*.json "$NEMIS_ROOT/docs/openapi.yaml"; do
    if [ -e "$f" ]; then inputs+=("$f"); fi
  done
  # Files the build itself writes into src/ (generated types) are older than the stamp.
  if [ -f "$built" ] && [ -f "$web/dist/index.html" ] &&
     [ -z "$(find "${inputs[@]}" -newer "$built" -print -quit)" ]; then
    echo "== portal: web/dist is up to date"
    return 0
  fi
  echo "== portal: npm run build"
  local log="$web/node_modules/.nemis-build.log"
  if ! (cd "$web" && npm run build >"$log" 2>&1); then
    cat "$log"
    echo "== portal: the build failed (web/, output above)"
    return 1
  fi
  touch "$built"
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
