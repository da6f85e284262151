#!/usr/bin/env bash
# Builds Zhengxin, migrates the database, loads demo data (only into an empty
# database) and serves it on http://127.0.0.1:${PORT:-8080}.
# Uses SQLite under $ZHENGXIN_DATA_DIR by default; set DATABASE_URL for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
source scripts/system_libraries.sh

echo "==> swift build --product zhengxin"
swift build --product zhengxin
bin="$(swift build --show-bin-path)/zhengxin"

export ZHENGXIN_DATA_DIR="${ZHENGXIN_DATA_DIR:-$PWD/data}"
mkdir -p "$ZHENGXIN_DATA_DIR"
port="${PORT:-8080}"

# DATABASE_URL, if set, is inherited by the binary (switches it to PostgreSQL).
echo "==> migrating"
"$bin" migrate --yes
echo "==> demo data"
"$bin" seed-demo   # idempotent: loads only into an empty database, always lists the demo accounts

cat <<MSG

==> Zhengxin is starting at http://127.0.0.1:$port
    API:     http://127.0.0.1:$port/api/v1
    OpenAPI: http://127.0.0.1:$port/api/v1/openapi.json
    Log in with one of the demo accounts listed above, e.g. a unit (password only):
      curl -s -X POST http://127.0.0.1:$port/api/v1/auth/login \\
        -H 'Content-Type: application/json' \\
        -d '{"username":"health","password":"Zhengxin@2026"}'
    DRC/FIN/BDB/AUD and the administrators add a TOTP code; for demo accounts only,
    \`zhengxin totp-code\` prints the current one:
      curl -s -X POST http://127.0.0.1:$port/api/v1/auth/login \\
        -H 'Content-Type: application/json' \\
        -d "{\"username\":\"drc\",\"password\":\"Zhengxin@2026\",\"totp\":\"\$(ZHENGXIN_DATA_DIR=$ZHENGXIN_DATA_DIR $bin totp-code --username drc)\"}"
    Stop with Ctrl-C.

MSG
exec "$bin" serve --hostname 127.0.0.1 --port "$port"
