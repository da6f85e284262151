#!/usr/bin/env bash
# Runs the whole test suite against SQLite and a throwaway local PostgreSQL.
#   scripts/test.sh [extra swift test args...]
#   ZX_PG_ONLY=1 scripts/test.sh   # only start PostgreSQL, probe it, stop it (debugging)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
python3 -c 'import gmalg' 2>/dev/null || python3 -m pip install -q gmalg  # independent SM2/SM3/SM4 for ZhengxinCryptoTests
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install -q aiosmtpd  # the real SMTP server the mail tests send to
source scripts/system_libraries.sh
# The decision-document tests read the PDF with poppler and its QR code with zbar, as a recipient would.
zx_tools=()
command -v pdftotext >/dev/null 2>&1 || zx_tools+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || zx_tools+=(zbar-tools)
if [ ${#zx_tools[@]} -gt 0 ]; then
  echo "==> installing ${zx_tools[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${zx_tools[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${zx_tools[@]}" >/dev/null; }
fi

# --- locate (or install) PostgreSQL server binaries --------------------------
find_pgbin() {
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then echo /usr/lib/postgresql/15/bin; return; fi
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)  # newest version
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; fi
}
PGBIN=$(find_pgbin)
if [ -z "$PGBIN" ]; then
  echo "==> installing PostgreSQL (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql
  PGBIN=$(find_pgbin)
fi
PG_ISREADY="$PGBIN/pg_isready"; [ -x "$PG_ISREADY" ] || PG_ISREADY=pg_isready

# Run a command as the postgres user (initdb/postgres refuse to run as root).
# cd into the cluster dir so postgres never warns about an unreadable cwd.
as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd "$PGTMP" && runuser -u postgres -- "$@")
  else (cd "$PGTMP" && "$@"); fi
}

# --- throwaway cluster, always cleaned up ------------------------------------
# Fixed short prefix under /tmp: postgres must be able to traverse the path, and
# the unix socket path must stay under ~107 characters.
PGTMP=$(mktemp -d /tmp/zhengxin-pg.XXXXXX)
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  if [ -n "${PG_STARTED:-}" ]; then
    # The postmaster may not have written its pid file yet if we were interrupted
    # right after starting it; give it a moment so pg_ctl can find and stop it.
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$PGTMP/data/postmaster.pid" ] && break; sleep 0.5; done
    as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGTMP"; fi

port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnH "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
PGPORT=54330
while port_in_use "$PGPORT"; do PGPORT=$((PGPORT + 1)); done

echo "==> initdb in $PGTMP/data"
as_pg "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U zhengxin --encoding=UTF8 --locale=C >"$PGTMP/initdb.log" 2>&1 \
  || { cat "$PGTMP/initdb.log" >&2; exit 1; }

echo "==> starting PostgreSQL on 127.0.0.1:$PGPORT"
PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -W start \
  -o "-k $PGTMP -h 127.0.0.1 -p $PGPORT -c max_connections=1000 -c fsync=off" >/dev/null
for _ in $(seq 1 60); do
  "$PG_ISREADY" -q -h 127.0.0.1 -p "$PGPORT" && break
  sleep 0.5
done
if ! "$PG_ISREADY" -q -h 127.0.0.1 -p "$PGPORT"; then
  echo "PostgreSQL did not become ready within 30s; server log:" >&2
  cat "$PGTMP/server.log" >&2 || true
  exit 1
fi
# Admin connection; the tests create and drop their own databases through it.
export ZHENGXIN_TEST_POSTGRES_URL="postgres://zhengxin@127.0.0.1:$PGPORT/postgres"
echo "==> ZHENGXIN_TEST_POSTGRES_URL=$ZHENGXIN_TEST_POSTGRES_URL"

if [ "${ZX_PG_ONLY:-0}" = 1 ]; then
  echo "==> ZX_PG_ONLY=1: probing PostgreSQL, not running swift"
  psql "$ZHENGXIN_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -c 'select version()'
  psql "$ZHENGXIN_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -c 'create database probe_x' -c 'drop database probe_x'
  exit 0
fi

# One layout for all Swift code (.swift-format; the formatter ships with the toolchain):
# `swift format format -i -p -r Sources Tests Package.swift` fixes what this finds.
echo "==> swift format lint"
swift format lint --strict --parallel --recursive Sources Tests Package.swift

echo "==> swift build --build-tests"
swift build --build-tests

echo "==> swift test $*"
# Line-buffered, so the log shows what ran up to any moment; bounded, so a test that never ends
# fails the run naming itself instead of holding CI until its own limit (ZX_TEST_TIMEOUT seconds).
TEST_LOG="$PGTMP/swift-test.log"
set +e
timeout --kill-after=20 "${ZX_TEST_TIMEOUT:-2400}" stdbuf -oL -eL swift test "$@" 2>&1 | tee "$TEST_LOG"
status=${PIPESTATUS[0]}
set -e
echo "==> swift test exited with $status after ${SECONDS}s"
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  echo "==> swift test did not finish in ${ZX_TEST_TIMEOUT:-2400}s; tests started and never finished:" >&2
  python3 scripts/unfinished_tests.py "$TEST_LOG" >&2 || true
  pkill -9 -f 'PackageTests.xctest' || true  # swift test's child may outlive it
fi

# The running server fuzzed against its own OpenAPI; ZX_SKIP_FUZZ=1 skips it.
if [ "${ZX_SKIP_FUZZ:-0}" != 1 ]; then
  fuzz=0
  scripts/fuzz_api.sh || fuzz=$?
  if [ "$status" = 0 ]; then status=$fuzz; fi
  echo "==> fuzz_api exited with $fuzz after ${SECONDS}s"
fi

# deploy/ as it runs: two servers behind nginx on this PostgreSQL, one killed in a stream of
# writes (scripts/deploy_test.sh, about 30 s). ZX_SKIP_DEPLOY=1 skips it.
if [ "${ZX_SKIP_DEPLOY:-0}" != 1 ]; then
  deploy=0
  scripts/deploy_test.sh "$(swift build --show-bin-path)/zhengxin" || deploy=$?
  if [ "$status" = 0 ]; then status=$deploy; fi
  echo "==> deploy_test exited with $deploy after ${SECONDS}s"
fi

# The pages in a real browser: headless chromium against a served demo; prints
# where its screenshots are. ZX_SKIP_BROWSER=1 skips it.
if [ "${ZX_SKIP_BROWSER:-0}" != 1 ]; then
  browser=0
  swift build --product zhengxin >/dev/null && python3 scripts/browser_test.py || browser=$?
  if [ "$status" = 0 ]; then status=$browser; fi
  echo "==> browser_test exited with $browser after ${SECONDS}s"
fi
exit "$status"
