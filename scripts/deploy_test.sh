#!/usr/bin/env bash
# The deployment of deploy/ as it runs, on loopback: two `zhengxin serve` processes on one fresh
# PostgreSQL database, started with the unit's own ExecStart under its system-call sandbox
# (scripts/deploy_sandbox.py: @system-service, MemoryDenyWriteExecute, no_new_privs, no
# capabilities, an unprivileged user), behind nginx running deploy/nginx/zhengxin.conf with a
# throwaway CA. Checks TLS, HSTS, the servers' security headers, the Secure/HttpOnly session
# cookie and whom X-Forwarded-For names; then a stream of audited writes while one server is
# killed with SIGKILL: every acknowledged write must be in the database and `audit-verify` pass.
#
#   scripts/deploy_test.sh [ZX_BIN]     # ZX_BIN, default $(swift build --show-bin-path)/zhengxin
# Needs ZHENGXIN_TEST_POSTGRES_URL (an admin URL, as scripts/test.sh exports); root (installs
# nginx if missing, runs the servers as nobody).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
BIN=${1:-${ZX_BIN:-$(swift build --show-bin-path)/zhengxin}}
ADMIN_URL=${ZHENGXIN_TEST_POSTGRES_URL:?set ZHENGXIN_TEST_POSTGRES_URL to a PostgreSQL admin URL (scripts/test.sh does)}
UNIT=deploy/zhengxin@.service
SITE=deploy/nginx/zhengxin.conf
[ -x "$BIN" ] || { echo "deploy_test: no binary at $BIN" >&2; exit 1; }
BIN=$(realpath "$BIN")
[ "$(id -u)" = 0 ] || { echo "deploy_test: run as root" >&2; exit 1; }

install_missing() {  # command package...
  command -v "$1" >/dev/null 2>&1 && return
  shift
  echo "==> deploy_test: installing $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$@" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$@" >/dev/null; }
}
install_missing nginx nginx-light || install_missing nginx nginx
install_missing systemd-analyze systemd
install_missing curl curl

fail() { echo "deploy_test: FAIL: $*" >&2; exit 1; }
free_ports() {  # n distinct free loopback ports (held together while chosen)
  python3 -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])' "$1"
}

T=$(mktemp -d /tmp/zx-deploy.XXXXXX)
chmod 755 "$T"
DB="zx_deploy_$$"
PIDS=()
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  [ -s "$T/nginx.pid" ] && PIDS+=("$(cat "$T/nginx.pid")")
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  if [ "${DEPLOY_TEST_KEEP:-0}" = 1 ]; then echo "deploy_test: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

# --- the unit: systemd's own check, on a copy naming this binary -------------------------------
sed "s#/opt/zhengxin/bin/zhengxin#$BIN#" "$UNIT" >"$T/zhengxin@.service"
ln -s "zhengxin@.service" "$T/zhengxin@8081.service"
systemd-analyze verify "$T/zhengxin@8081.service" || fail "systemd-analyze verify $UNIT"
exposure=$(systemd-analyze security --offline=yes "$T/zhengxin@8081.service" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: //p')
echo "==> deploy_test: systemd-analyze verify $UNIT: ok; exposure ${exposure:-n/a}"

# --- a throwaway CA and a certificate for zx.test ----------------------------------------------
SITE_NAME=zx.test
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Zhengxin deploy test CA" \
  -keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$SITE_NAME" -keyout "$T/site.key" -out "$T/site.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$SITE_NAME" >"$T/site.ext"
openssl x509 -req -in "$T/site.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 -extfile "$T/site.ext" \
  -out "$T/site.pem" 2>/dev/null

# --- a fresh database, migrated and seeded as an operator would ---------------------------------
read -r HTTPS_PORT HTTP_PORT P1 P2 <<<"$(free_ports 4)"
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB" >/dev/null
mkdir -p "$T/data"
chown nobody "$T/data"
chmod 700 "$T/data"
export DATABASE_URL="${ADMIN_URL%/*}/$DB"
export ZHENGXIN_DATA_DIR="$T/data"
ZHENGXIN_MASTER_KEY=$(openssl rand -hex 16)
export ZHENGXIN_MASTER_KEY
export ZHENGXIN_PUBLIC_URL="https://$SITE_NAME:$HTTPS_PORT"
export ZHENGXIN_TRUSTED_PROXIES=127.0.0.1
as_service() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
as_service "$BIN" migrate --yes >"$T/migrate.log" 2>&1 || { cat "$T/migrate.log" >&2; fail "migrate"; }
as_service "$BIN" seed-demo >"$T/seed.log" 2>&1 || { tail -20 "$T/seed.log" >&2; fail "seed-demo"; }
PASSWORD=$(sed -n 's/.*密码均为 \(.*\):$/\1/p' "$T/seed.log")
[ -n "$PASSWORD" ] || fail "seed-demo printed no demo password"

# --- two servers, each with the unit's ExecStart (port for %i), sandboxed as the unit says -----
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
start_server() {  # port [extra env...]
  local port=$1
  shift
  # shellcheck disable=SC2086  # the unit's arguments, split as systemd splits them (no quoting in it)
  set -- env "$@" python3 "$ROOT/scripts/deploy_sandbox.py" "$ROOT/$UNIT" -- \
    $(echo "$exec_start" | sed "s#/opt/zhengxin/bin/zhengxin#$BIN#; s#%i#$port#g")
  setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs --bounding-set=-all --inh-caps=-all "$@" \
    >"$T/server-$port.log" 2>&1 &
  PIDS+=($!)
  disown  # its SIGKILL below is the test's doing: no job report from the shell
}
start_server "$P1"
start_server "$P2" ZHENGXIN_DAILY_SCAN=0
SERVER1=${PIDS[0]}
for port in "$P1" "$P2"; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { tail -20 "$T/server-$port.log" >&2; fail "server on $port did not start"; }
done
echo "==> deploy_test: two servers on 127.0.0.1:$P1 and :$P2 (sandboxed, user nobody), database $DB"

# --- nginx with the site file, ports and paths replaced -----------------------------------------
mkdir -p "$T/nginx"
chown nobody "$T/nginx"
replace() {  # file from to: every occurrence, and at least one
  grep -qF -- "$2" "$1" || fail "$SITE no longer contains '$2' (update deploy_test.sh)"
  python3 -c 'import sys; p,a,b=sys.argv[1:]; s=open(p).read(); open(p,"w").write(s.replace(a,b))' "$1" "$2" "$3"
}
cp "$SITE" "$T/site.conf"
replace "$T/site.conf" "server 127.0.0.1:8081 " "server 127.0.0.1:$P1 "
replace "$T/site.conf" "server 127.0.0.1:8082 " "server 127.0.0.1:$P2 "
replace "$T/site.conf" "listen [::]:80;" ""
replace "$T/site.conf" "listen [::]:443 ssl http2;" ""
replace "$T/site.conf" "listen 80;" "listen 127.0.0.1:$HTTP_PORT;"
replace "$T/site.conf" "listen 443 ssl http2;" "listen 127.0.0.1:$HTTPS_PORT ssl http2;"
replace "$T/site.conf" "zx.example.gov.cn" "$SITE_NAME"
replace "$T/site.conf" "/etc/ssl/zhengxin/fullchain.pem" "$T/site.pem"
replace "$T/site.conf" "/etc/ssl/zhengxin/privkey.pem" "$T/site.key"
cat >"$T/nginx.conf" <<EOF
worker_processes 1;
pid $T/nginx.pid;
error_log $T/nginx-error.log;
events { worker_connections 512; }
http {
    log_format upstreams '\$request_method \$status \$upstream_addr';
    access_log $T/nginx-access.log upstreams;
    client_body_temp_path $T/nginx/body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    include $T/site.conf;
}
EOF
nginx -t -q -e "$T/nginx-error.log" -p "$T" -c "$T/nginx.conf" || { cat "$T/nginx-error.log" >&2; fail "nginx -t"; }
nginx -e "$T/nginx-error.log" -p "$T" -c "$T/nginx.conf" || { cat "$T/nginx-error.log" >&2; fail "nginx did not start"; }
for _ in $(seq 1 50); do [ -s "$T/nginx.pid" ] && break; sleep 0.1; done
echo "==> deploy_test: nginx -t ok; nginx on https://127.0.0.1:$HTTPS_PORT (http :$HTTP_PORT)"

BASE="https://$SITE_NAME:$HTTPS_PORT"
CURL=(curl -s --cacert "$T/ca.pem" --resolve "$SITE_NAME:$HTTPS_PORT:127.0.0.1")
header() { grep -i "^$1:" "$2" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }

# TLS 1.2 and 1.3 only.
"${CURL[@]}" -o /dev/null --tlsv1.3 "$BASE/healthz" || fail "TLS 1.3 refused"
metrics=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/metrics" || true)
[ "$metrics" = 404 ] || fail "/metrics through nginx answered $metrics, not 404"
"${CURL[@]}" -o /dev/null --tlsv1.2 --tls-max 1.2 "$BASE/healthz" || fail "TLS 1.2 refused"
for old in tls1 tls1_1; do  # offered with every cipher at security level 0, as an old client would
  openssl s_client -connect "127.0.0.1:$HTTPS_PORT" -servername "$SITE_NAME" "-$old" -cipher 'ALL:@SECLEVEL=0' </dev/null \
    >"$T/$old.log" 2>&1 || true
  if grep -q 'Cipher is [A-Z]' "$T/$old.log"; then fail "nginx accepted $old"; fi
done
# Plain http only redirects.
redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/login" -H "Host: $SITE_NAME")
[ "$redirect" = "301 https://$SITE_NAME/login" ] || fail "http answered '$redirect', not a redirect to https"

# HSTS from nginx and the servers' own headers, on a page.
"${CURL[@]}" -o /dev/null -D "$T/login-page.h" "$BASE/login"
[ -n "$(header Strict-Transport-Security "$T/login-page.h")" ] || fail "no HSTS"
for h in Content-Security-Policy X-Frame-Options X-Content-Type-Options Referrer-Policy; do
  [ -n "$(header "$h" "$T/login-page.h")" ] || fail "no $h through nginx"
done

# A unit logs in on the login page (a unit needs no TOTP): the cookie is Secure and HttpOnly.
"${CURL[@]}" -o /dev/null -D "$T/login.h" -X POST "$BASE/login" -H "Origin: $BASE" \
  --data-urlencode "username=health" --data-urlencode "password=$PASSWORD"
cookie=$(header Set-Cookie "$T/login.h")
case "$cookie" in zx_session=?*) ;; *) fail "page login set no session cookie: $(head -1 "$T/login.h")" ;; esac
for attribute in Secure HttpOnly SameSite=Strict; do
  echo "$cookie" | tr ';' '\n' | sed 's/^ *//' | grep -qix "$attribute" || fail "session cookie lacks $attribute: $cookie"
done
echo "==> deploy_test: TLS 1.2/1.3 only, http→https, HSTS '$(header Strict-Transport-Security "$T/login-page.h")', CSP/X-Frame-Options/nosniff/Referrer-Policy; cookie: Secure; HttpOnly; SameSite=Strict"

# The API login from another loopback address, claiming a third in X-Forwarded-For: nginx replaces
# the claim, the server believes nginx, so the audit record names 127.0.0.2.
login=$("${CURL[@]}" --interface 127.0.0.2 -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -H 'X-Forwarded-For: 203.0.113.66' -d "{\"username\":\"health\",\"password\":\"$PASSWORD\"}")
TOKEN=$(echo "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || fail "API login: $login"
client=$(psql "$DATABASE_URL" -Atc "SELECT client_address FROM audit_entries WHERE action = 'login' ORDER BY seq DESC LIMIT 1")
[ "$client" = 127.0.0.2 ] || fail "the audit record names '$client' as the client, not 127.0.0.2"
echo "==> deploy_test: X-Forwarded-For: client 127.0.0.2 recorded, the client's own claim (203.0.113.66) ignored"

# --- writes while one server is killed ---------------------------------------------------------
python3 scripts/deploy_stream.py run --base "$BASE" --connect 127.0.0.1 --cacert "$T/ca.pem" --token "$TOKEN" \
  --seconds "${DEPLOY_TEST_SECONDS:-12}" --workers 6 --kill-pid "$SERVER1" --kill-after 4 --out "$T/acks.json" \
  || fail "write stream"
echo "==> deploy_test: requests by server (nginx's log, a retried one counts for each it reached): $(
  grep -oE '127\.0\.0\.1:[0-9]+' "$T/nginx-access.log" | sort | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
python3 scripts/deploy_stream.py verify --acks "$T/acks.json" --database-url "$DATABASE_URL" || fail "acknowledged writes"
as_service "$BIN" audit-verify >"$T/audit-verify.log" 2>&1 || { tail -20 "$T/audit-verify.log" >&2; fail "audit-verify"; }
echo "==> deploy_test: audit-verify: $(grep -v '^\[' "$T/audit-verify.log" | paste -sd ';')"
# The other server is still serving: nothing it did tripped the sandbox (a refused call kills it).
kill -0 "${PIDS[1]}" 2>/dev/null || { tail -20 "$T/server-$P2.log" >&2; fail "the second server died"; }
echo "==> deploy_test: passed"
