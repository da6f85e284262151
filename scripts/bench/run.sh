#!/usr/bin/env bash
# Benchmark harness (docs/performance.md): release build, a seeded portfolio, a real `zhengxin serve`,
# wrk per scenario; prints ONE table with requests/s, p50, p99, errors, the server's peak RSS
# (VmHWM) and each scenario's throughput as a share of /healthz measured in the same run.
#   scripts/bench/run.sh                       # 100,000 projects (~2,000,000 audit entries), SQLite and PostgreSQL
#   scripts/bench/run.sh --quick               # 5,000 projects, short runs: a fast check
#   scripts/bench/run.sh --backend sqlite --projects 20000 --duration 15
#   scripts/bench/run.sh --backend postgres --two-servers   # also: two servers on one PostgreSQL taking writes
#   scripts/bench/run.sh --bin /path/to/zhengxin             # skip the build (zhengxin-bench beside it, or --bench-bin)
#   scripts/bench/run.sh --routes-only --backend sqlite      # only every GET route, uncached and warm (routes.py)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BENCH_DIR="$ROOT/scripts/bench"
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

BIN=""; BENCH_BIN=""; PROJECTS=100000; DURATION=10; BACKENDS="sqlite postgres"; CONNS=16; TWO=0; SEED=1; ROUTES_ONLY=0; ROUTE_SAMPLES=20
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) PROJECTS=5000; DURATION=4 ;;
    --projects) PROJECTS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --backend) BACKENDS=$2; [ "$BACKENDS" = both ] && BACKENDS="sqlite postgres"; shift ;;
    --connections) CONNS=$2; shift ;;
    --two-servers) TWO=1 ;;
    --seed) SEED=$2; shift ;;
    --bin) BIN=$2; shift ;;
    --bench-bin) BENCH_BIN=$2; shift ;;
    --routes-only) ROUTES_ONLY=1 ;;
    --route-samples) ROUTE_SAMPLES=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v wrk >/dev/null 2>&1; then
  echo "==> installing wrk (apt-get)"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi
source scripts/system_libraries.sh
# The server (zhengxin) and the portfolio generator (zhengxin-bench seed), which the server does not carry.
if [ -z "$BIN" ]; then   # --bin <path>: a release binary built already
  echo "==> swift build -c release (scratch path .build-release)"
  swift build -c release --scratch-path .build-release --product zhengxin 2>&1 | tail -n 1
  swift build -c release --scratch-path .build-release --product zhengxin-bench 2>&1 | tail -n 1
  BIN="$ROOT/.build-release/release/zhengxin"
fi
[ -n "$BENCH_BIN" ] || BENCH_BIN="$(dirname "$BIN")/zhengxin-bench"
[ -x "$BENCH_BIN" ] || { echo "no generator at $BENCH_BIN (build it: swift build --product zhengxin-bench, or pass --bench-bin)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/zhengxin-bench.XXXXXX)
TABLE="$WORK/table"; : >"$TABLE"
SERVERS=""; PGTMP=""; PGBIN=""
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  for pid in $SERVERS; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "$PGTMP" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" stop -m fast >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd "$PGTMP" && runuser -u postgres -- "$@"); else (cd "$PGTMP" && "$@"); fi
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A throwaway PostgreSQL cluster (durable settings: fsync on, as a deployment would run it).
start_postgres() {
  PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ ! -x "$PGBIN/initdb" ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  PGTMP=$(mktemp -d /tmp/zhengxin-benchpg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGTMP"
  PGPORT=$(free_port)
  as_pg "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U zhengxin --encoding=UTF8 --locale=C >"$WORK/initdb.log" 2>&1
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -W start \
    -o "-k $PGTMP -h 127.0.0.1 -p $PGPORT -c max_connections=100 -c shared_buffers=256MB" >/dev/null
  for _ in $(seq 1 60); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.5; done
  psql -q "postgres://zhengxin@127.0.0.1:$PGPORT/postgres" -c "CREATE DATABASE bench"
  export DATABASE_URL="postgres://zhengxin@127.0.0.1:$PGPORT/bench"
}

sql() {  # one value per line
  if [ "$BACKEND" = postgres ]; then psql -qAt "$DATABASE_URL" -c "$1"
  else sqlite3 "$ZHENGXIN_DATA_DIR/zhengxin.sqlite" "$1"; fi
}
# Project ids and codes ("id code" lines).
project_ids() {  # <where clause>
  sql "SELECT id || ' ' || code FROM projects WHERE $1 ORDER BY code"
}

serve() {  # serve <port>: starts a server, prints its pid
  "$BIN" serve --env production --hostname 127.0.0.1 --port "$1" >>"$WORK/server-$1.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "$pid"
}
hwm_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

HEALTH_RPS=""
SEED_DAY=$(TZ=Asia/Shanghai date -d yesterday +%F)
# read_scenario: the same wrk run twice on a fresh server: first with the read caches cold (what the
# first users after a write see while the pages they ask for are computed), then again warm.
read_scenario() {
  scenario "$1 [first pass]" "${@:2}"
  scenario "$@"
}
# under_writes <name> <port> <wrk script>: the scenario while one connection writes (usage feedback,
# one every BENCH_TRICKLE_MS, default 50 ms: ~15 writes/s, each write's own time added): what users see on a busy day, each read
# beside a writer holding SQLite's write lock or PostgreSQL's rows.
under_writes() {
  (BENCH_COOKIE=0 BENCH_IDS="$WORK/writable-$BACKEND" BENCH_DIR="$BENCH_DIR" BENCH_THREADS=1 BENCH_DELAY_MS="${BENCH_TRICKLE_MS:-50}" \
    wrk -t1 -c1 -d"${DURATION}s" -s "$BENCH_DIR/action.lua" "http://127.0.0.1:$2" | grep '^RESULT' >"$WORK/trickle" || true) &
  local trickle=$!
  scenario "$1, while writes run" "${@:2}"
  wait "$trickle"
  set -- $(cat "$WORK/trickle" 2>/dev/null || echo "RESULT 0")
  echo "   (writes beside it: ${2} per second)"
}
# scenario <name> <port> <wrk script> [connections]: runs wrk, appends a table row.
scenario() {
  local name=$1 port=$2 script=$3 conns=${4:-$CONNS}
  local out; out=$(BENCH_DIR="$BENCH_DIR" BENCH_THREADS=2 wrk -t2 -c"$conns" -d"${DURATION}s" --latency -s "$BENCH_DIR/$script" "http://127.0.0.1:$port" 2>&1 | grep '^RESULT' || true)
  [ -n "$out" ] || { echo "   $name: wrk gave no result" >&2; return; }
  set -- $out
  LAST_REQUESTS=$6; LAST_ERRORS=$5
  [ "$name" = "health /healthz" ] && HEALTH_RPS=$2
  local ratio; ratio=$(python3 -c "print(f'{$2 / $HEALTH_RPS * 100:.0f}%' if '$HEALTH_RPS' else '-')")
  printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$BACKEND" "$name" "$2" "$3" "$4" "$5" "$(hwm_mb "$SERVER")" "$ratio" >>"$TABLE"
  echo "   $name: $2 req/s, p50 $3 ms, p99 $4 ms, errors $5"
}
timed_row() {  # timed_row <name> <command...>: one-off command, wall time as p50
  local name=$1; shift
  local start end; start=$(date +%s.%N)
  "$@" >"$WORK/timed.log" 2>&1 || { echo "   $name failed: $(tail -n 3 "$WORK/timed.log")" >&2; }
  end=$(date +%s.%N)
  local ms; ms=$(python3 -c "print(f'{($end - $start) * 1000:.0f}')")
  printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$BACKEND" "$name" "-" "$ms" "-" "-" "-" "-" >>"$TABLE"
  echo "   $name: ${ms} ms — $(tail -n 1 "$WORK/timed.log")"
}

for BACKEND in $BACKENDS; do
  echo "==> $BACKEND: $PROJECTS projects"
  export ZHENGXIN_DATA_DIR="$WORK/data-$BACKEND" ZHENGXIN_DAILY_SCAN=0 ZHENGXIN_BCRYPT_COST=10 ZHENGXIN_SQLITE_SYNCHRONOUS="${ZHENGXIN_SQLITE_SYNCHRONOUS:-NORMAL}"
  unset DATABASE_URL
  [ "$BACKEND" = postgres ] && start_postgres
  "$BIN" migrate --yes >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
  start=$(date +%s.%N)
  # The portfolio's today is yesterday (Beijing), so the daily scan below has one day to judge, as in
  # service; the data are the same for the same seed and day.
  "$BENCH_BIN" seed --projects "$PROJECTS" --seed "$SEED" --today "$SEED_DAY" | tail -n 1
  end=$(date +%s.%N)
  per_min=$(python3 -c "print(f'{$PROJECTS / ($end - $start) * 60:.0f}')")
  printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$BACKEND" "zhengxin-bench seed (projects/min)" "$per_min" "-" "-" "-" "-" "-" >>"$TABLE"
  ENTRIES=$(sql "SELECT count(*) FROM audit_entries")

  PORT=$(free_port)
  SERVER=$(serve "$PORT"); SERVERS="$SERVERS $SERVER"
  BASE="http://127.0.0.1:$PORT"
  login=$(curl -sS -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"drc\",\"password\":\"Zhengxin@2026\",\"totp\":\"$("$BIN" totp-code --username drc)\"}")
  export BENCH_TOKEN; BENCH_TOKEN=$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("token", ""))')
  [ -n "$BENCH_TOKEN" ] || { echo "login failed: $login" >&2; exit 1; }
  export BENCH_IDS="$WORK/ids-$BACKEND" BENCH_COOKIE=0
  project_ids "classified = false" | shuf --random-source=<(yes) >"$BENCH_IDS"
  ONE=$(head -n 1 "$BENCH_IDS" | cut -d' ' -f1)

  project_ids "classified = false AND stage IN ('acceptance_applied', 'accepted', 'operating')" >"$WORK/writable-$BACKEND"

  # Every GET route of routes.tsv for each role, each sample right after a write, then warm.
  python3 "$BENCH_DIR/routes.py" --base "$BASE" --bin "$BIN" --writable "$WORK/writable-$BACKEND" --backend "$BACKEND" \
    --samples "$ROUTE_SAMPLES" | tee -a "$WORK/routes-table"
  if [ "$ROUTES_ONLY" = 1 ]; then
    for pid in $SERVERS; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    SERVERS=""
    if [ "$BACKEND" = postgres ]; then as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" stop -m fast >/dev/null; rm -rf "$PGTMP"; PGTMP=""; fi
    continue
  fi

  BENCH_PATH=/healthz scenario "health /healthz" "$PORT" get.lua
  LIST_PATH="/api/v1/projects?stage={stage}&sort=-investment&page={page}&perPage=50"
  BENCH_PATH="$LIST_PATH" read_scenario "list API (50, filtered+sorted)" "$PORT" get.lua
  BENCH_PATH="$LIST_PATH" under_writes "list API (50, filtered+sorted)" "$PORT" get.lua
  BENCH_PATH="/api/v1/projects/{id}" read_scenario "project detail API" "$PORT" get.lua
  if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: zx_session=$BENCH_TOKEN" "$BASE/projects/$ONE")" = 200 ]; then
    BENCH_COOKIE=1 BENCH_PATH="/projects/{id}" read_scenario "project page HTML" "$PORT" get.lua
  else echo "   project page HTML: GET /projects/<id> not 200 here, skipped"; fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: zx_session=$BENCH_TOKEN" "$BASE/reports")" = 200 ]; then
    BENCH_COOKIE=1 BENCH_PATH="/reports" read_scenario "portfolio report /reports" "$PORT" get.lua
    BENCH_COOKIE=1 BENCH_PATH="/reports" under_writes "portfolio report /reports" "$PORT" get.lua
  else echo "   portfolio report: GET /reports not 200 here, skipped"; fi

  # Writes: usage feedback on distinct projects that have a catalog entry; then nothing lost.
  export BENCH_IDS="$WORK/writable-$BACKEND"
  # The seeding's WAL checkpointed first: PostgreSQL's checkpoints forced by it otherwise run into the
  # first seconds of the writes (408 against 443-482 actions/s on two servers, durable settings).
  if [ "$BACKEND" = postgres ]; then sql "CHECKPOINT" >/dev/null; fi
  before=$(sql "SELECT count(*) FROM audit_entries WHERE action = 'record-sharing-feedback' AND result = 'accepted'")
  if [ "$TWO" = 1 ] && [ "$BACKEND" = postgres ]; then
    PORT2=$(free_port); SERVER2=$(serve "$PORT2"); SERVERS="$SERVERS $SERVER2"
    echo "   two servers: :$PORT and :$PORT2"
    BENCH_IDS="$WORK/writable-a" ; awk 'NR % 2 == 1' "$WORK/writable-$BACKEND" >"$BENCH_IDS"
    BENCH_IDS="$WORK/writable-b" ; awk 'NR % 2 == 0' "$WORK/writable-$BACKEND" >"$BENCH_IDS"
    (BENCH_IDS="$WORK/writable-b" BENCH_DIR="$BENCH_DIR" BENCH_THREADS=2 wrk -t2 -c$((CONNS / 2)) -d"${DURATION}s" -s "$BENCH_DIR/action.lua" "http://127.0.0.1:$PORT2" | grep '^RESULT' >"$WORK/second") &
    BENCH_IDS="$WORK/writable-a" scenario "actions, 2 servers (first)" "$PORT" action.lua $((CONNS / 2))
    wait
    set -- $(cat "$WORK/second")
    printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$BACKEND" "actions, 2 servers (second)" "$2" "$3" "$4" "$5" "$(hwm_mb "$SERVER2")" "-" >>"$TABLE"
    LAST_REQUESTS=$((LAST_REQUESTS + $6)); LAST_ERRORS=$((LAST_ERRORS + $5))
  else
    scenario "lifecycle action (write+audit)" "$PORT" action.lua
  fi
  sleep 1
  after=$(sql "SELECT count(*) FROM audit_entries WHERE action = 'record-sharing-feedback' AND result = 'accepted'")
  ok=$((LAST_REQUESTS - LAST_ERRORS)); stored=$((after - before))
  # wrk stops counting at the deadline; up to one request per connection may still complete after it.
  if [ "$LAST_ERRORS" = 0 ] && [ "$stored" -ge "$ok" ] && [ "$stored" -le $((ok + CONNS)) ]; then
    echo "   writes: $ok answered 200, $stored accepted entries in the audit record: none failed or lost"
  else
    echo "   WRITES CHECK FAILED: $ok answered without error, $LAST_ERRORS errors, $stored accepted entries stored" >&2
  fi
  for pid in $SERVERS; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  SERVERS=""

  # The daily scan is incremental (projects written since the last scan or whose review day came),
  # here the day after the seeded one; --full judges every project again, as after a policy change.
  timed_row "deadline scan, daily (zhengxin scan)" "$BIN" scan
  timed_row "deadline scan, full (zhengxin scan --full)" "$BIN" scan --full
  timed_row "audit-verify ($(sql "SELECT count(*) FROM audit_entries") entries)" "$BIN" audit-verify
  if [ "$BACKEND" = postgres ]; then as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" stop -m fast >/dev/null; rm -rf "$PGTMP"; PGTMP=""; fi
done

echo
echo "Zhengxin benchmark: $PROJECTS projects, ${ENTRIES:-?} audit entries after seeding, wrk -t2 -c$CONNS -d${DURATION}s; $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "backend|scenario|req/s|p50 ms|p99 ms|errors|peak RSS MB|vs /healthz"
  cat "$TABLE"
} | column -t -s '|'
