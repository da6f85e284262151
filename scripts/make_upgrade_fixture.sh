#!/usr/bin/env bash
# Makes the upgrade fixture of a released schema: Tests/Fixtures/upgrade/<commit date>-<short commit>/.
#
#   scripts/make_upgrade_fixture.sh <commit>
#
# Builds <commit>'s binary in a worktree (ZX_FIXTURE_WORKTREE, default /tmp/zx-old), then with it
# makes one SQLite database and one PostgreSQL database (a private cluster on 127.0.0.1, port
# ZX_FIXTURE_PG_PORT, default 54410): `migrate --yes`, `seed-demo`, then through the old server's
# own API and commands what the demo does not make (documents, a 涉密 project, contracts naming
# the contracted organisations, signed decisions, a sanction, a retired signing key, an account
# proposal and its activation, a county policy version, sessions, a failed login, a refusal,
# reminders). It writes the SQLite file and the PostgreSQL dump gzipped, each data directory's
# document store, the throwaway master key both used, counts.json (rows of every table, the
# contracted parties and 涉密 projects, read from the old databases) and README.md.
# UpgradeFromFixtureTests migrates every fixture with today's code and checks it.
#
# Environment: ZHENGXIN_PG_BIN (default /usr/lib/postgresql/15/bin), ZX_FIXTURE_KEEP_WORKTREE=1
# keeps the worktree and its build for another run. Runs as root (the cluster runs as postgres).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 <commit>" >&2; exit 2; }
cd "$(dirname "$0")/.."
REPO=$(pwd)
export PATH=/opt/swift/usr/bin:$PATH
COMMIT=$(git rev-parse --verify "$1^{commit}")
SHORT=$(git rev-parse --short=7 "$COMMIT")
DAY=$(git show -s --format=%cs "$COMMIT")
OUT=$REPO/Tests/Fixtures/upgrade/$DAY-$SHORT
WORKTREE=${ZX_FIXTURE_WORKTREE:-/tmp/zx-old}
PGBIN=${ZHENGXIN_PG_BIN:-/usr/lib/postgresql/15/bin}
PGPORT=${ZX_FIXTURE_PG_PORT:-54410}
HTTP_PORT=${ZX_FIXTURE_HTTP_PORT:-18480}
WORK=$(mktemp -d /tmp/zx-fixture.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -f "$WORK/pg/data/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true
    if [ "${ZX_FIXTURE_KEEP_WORKTREE:-0}" != 1 ] && [ -d "$WORKTREE" ]; then git -C "$REPO" worktree remove --force "$WORKTREE" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# 1. The old binary. Package.resolved is pinned from today's tree when the commit has none and
#    declares the same dependencies, so the build resolves nothing from the network.
if [ ! -d "$WORKTREE" ]; then git worktree add --detach "$WORKTREE" "$COMMIT"; fi
[ "$(git -C "$WORKTREE" rev-parse HEAD)" = "$COMMIT" ] || { echo "$WORKTREE is not at $COMMIT" >&2; exit 1; }
if ! git -C "$WORKTREE" cat-file -e "$COMMIT:Package.resolved" 2>/dev/null; then git show HEAD:Package.resolved >"$WORKTREE/Package.resolved"; fi
(cd "$WORKTREE" && nice -n 15 swift build --product zhengxin)
BIN=$(cd "$WORKTREE" && swift build --show-bin-path)/zhengxin

# A throwaway master key, the same for both databases (sealed fields, signing keys, audit anchor).
openssl rand -hex 16 >"$WORK/master.key"

# 2. One database: migrate, the demo, the extras through the old server, the deadline scan.
#    $1: name (sqlite|postgres); DATABASE_URL set or not by the caller.
populate() {
    local name=$1 data=$WORK/$1
    mkdir -p "$data"
    cp "$WORK/master.key" "$data/master.key"
    chmod 600 "$data/master.key"
    export ZHENGXIN_DATA_DIR=$data ZHENGXIN_DAILY_SCAN=0
    "$BIN" migrate --yes
    "$BIN" seed-demo >"$WORK/$name-seed.txt"
    "$BIN" create-org --name 中牟县大数据局 --type UNIT --jurisdiction zhongmou
    "$BIN" serve --hostname 127.0.0.1 --port "$HTTP_PORT" >"$WORK/$name-serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null && break; sleep 1; done
    python3 - "http://127.0.0.1:$HTTP_PORT" "$BIN" <<'PY'
import json, subprocess, sys, urllib.parse, urllib.request, datetime
base, binary = sys.argv[1], sys.argv[2]
today = datetime.date.today()

def call(method, path, token=None, body=None, raw=None, expect=(200, 201)):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + "/api/v1" + path, data=data, method=method)
    if body is not None: req.add_header("Content-Type", "application/json")
    if raw is not None: req.add_header("Content-Type", "application/octet-stream")
    if token: req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req) as r: status, text = r.status, r.read()
    except urllib.error.HTTPError as e: status, text = e.code, e.read()
    if status not in expect: sys.exit(f"{method} {path}: {status} {text[:600].decode(errors='replace')}")
    return json.loads(text) if text else None

def login(username, totp=False):
    body = {"username": username, "password": "Zhengxin@2026"}
    if totp: body["totp"] = subprocess.check_output([binary, "totp-code", "--username", username], text=True).strip().splitlines()[-1]
    return call("POST", "/auth/login", body=body)["token"]

tokens = {u: login(u) for u in ["health", "edu", "vendor"]}
tokens.update({u: login(u, totp=True) for u in ["drc", "fin", "bdb", "sysadmin", "secadmin"]})
call("POST", "/auth/login", body={"username": "health", "password": "wrong-password-1"}, expect=(401,))   # login_throttle

orgs = {o["name"]: o for o in call("GET", "/organisations", tokens["drc"])}
vendor = orgs["河南中原数字科技有限公司"]["id"]
firm = call("POST", "/admin/organisations", tokens["sysadmin"], {"name": "郑州信息工程监理有限公司", "type": "VENDOR"})["id"]

def project(name, who):
    listed = call("GET", "/projects?perPage=200", tokens[who])
    rows = listed if isinstance(listed, list) else listed.get("items", listed.get("projects", []))
    return next(p for p in rows if p["name"] == name)["id"]

def act(pid, action, who, body=None, expect=(200,)):
    return call("POST", f"/projects/{pid}/actions/{action}", tokens[who], body or {}, expect=expect)

def upload(pid, who, kind, text):
    q = urllib.parse.urlencode({"kind": kind, "filename": f"{kind}.txt"})
    call("POST", f"/projects/{pid}/documents?{q}", tokens[who], raw=text.encode())

d = today.isoformat()
# A project under construction: contracts naming the contracted organisations, a document,
# signed decisions (fund plan, disbursement, sanction) and a finding escalated.
p = project("全民健康信息平台", "health")
upload(p, "health", "contract", "全民健康信息平台\n建设合同(补充)\n")
clauses = [{"clause": c, "covered": True} for c in ["constructionStandards", "technicalSpecifications", "schedule", "equipmentSpecification",
           "equipmentDelivery", "acceptanceRequirements", "operatorTraining", "paymentTerms", "technicalDocumentation", "warrantyPeriod",
           "afterSalesService", "liabilityForBreach"]]
act(p, "record-construction-contract", "health", {"contractNumber": "HT-UPGRADE-1", "contractor": "河南中原数字科技有限公司",
    "contractorOrganisationId": vendor, "amountFen": 100_000_000, "signedOn": d, "warrantyEnd": today.replace(year=today.year + 3).isoformat(),
    "clauses": clauses})
act(p, "record-supervision-contract", "health", {"contractNumber": "JL-UPGRADE-1", "supervisionFirm": "郑州信息工程监理有限公司",
    "supervisionFirmOrganisationId": firm, "amountFen": 2_000_000, "signedOn": d})
act(p, "issue-fund-plan", "drc", {"amountFen": 100_000_000, "documentNumber": "郑发改投资〔2026〕99号", "issuedOn": d})
act(p, "disburse", "fin", {"amountFen": 50_000_000, "paidOn": d, "voucherNumber": "ZF-UPGRADE-1"})
act(p, "report-rectification", "health", {"findingNumber": 1, "description": "已按批复清单重新采购"})
act(p, "escalate-finding", "fin", {"findingNumber": 1, "reason": "整改后仍不符合要求"})
act(p, "apply-sanction", "fin", {"kind": "publicCriticism", "findingNumbers": [1], "reason": "整改不到位", "documentNumber": "郑财监〔2026〕1号"})
act(p, "start-construction", "health", {"startedOn": d}, expect=(409, 422))                                  # a refusal, audited
# A 涉密 project with a sealed document.
draft = {"name": "涉密指挥调度系统", "source": "unitDeclaration", "planYear": today.year + 2, "category": "businessSystem",
         "totalInvestmentFen": 900_000_000, "content": "指挥调度系统建设内容", "goals": "提升指挥调度能力", "classified": True}
secret = call("POST", "/projects", tokens["edu"], draft)
secret = secret.get("id") or secret["project"]["id"]
upload(secret, "edu", "feasibilityStudy", "涉密指挥调度系统\n可行性研究报告\n")
act(secret, "declare", "edu")
# A retired signing key, a county policy version, an account proposal approved (its activation pending).
call("POST", f"/admin/signing-keys/{orgs['郑州市财政局']['id']}/rotate", tokens["secadmin"], {})
policy = next(v for v in call("GET", "/policies", tokens["drc"]) if v["jurisdiction"] == "zhengzhou")
policy.update({"id": "zhongmou-2026", "jurisdiction": "zhongmou", "title": "中牟县政务信息化项目建设管理办法", "effectiveFrom": d})
call("POST", "/policies", tokens["secadmin"], policy)
proposal = call("POST", "/admin/users", tokens["sysadmin"], {"username": "zm-staff", "displayName": "中牟县经办人",
    "organisationId": orgs["中牟县大数据局"]["id"], "roles": ["staff"], "phone": "13800138000"}, expect=(202,))
proposal = proposal.get("proposal", proposal)
call("POST", f"/admin/account-proposals/{proposal['id']}/approve", tokens["secadmin"], {})
print("extras made")
PY
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
    "$BIN" scan
    "$BIN" audit-verify
}

populate sqlite

mkdir -p "$WORK/pg"
chown postgres "$WORK/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $WORK/pg" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres zhengxin
DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/zhengxin populate postgres
"$PGBIN/pg_dump" -h 127.0.0.1 -p "$PGPORT" -U postgres --no-owner --no-privileges -f "$WORK/dump.sql" zhengxin

# 3. The fixture directory.
rm -rf "$OUT"
mkdir -p "$OUT/sqlite" "$OUT/postgres"
cp "$WORK/master.key" "$OUT/master.key"
# Everything in the main file (no -wal beside it), then gzipped.
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$WORK/sqlite/zhengxin.sqlite"
gzip -9 -c "$WORK/sqlite/zhengxin.sqlite" >"$OUT/sqlite/zhengxin.sqlite.gz"
gzip -9 -c "$WORK/dump.sql" >"$OUT/postgres/dump.sql.gz"
for db in sqlite postgres; do [ -d "$WORK/$db/documents" ] && cp -r "$WORK/$db/documents" "$OUT/$db/documents"; done

python3 - "$WORK" "$OUT" "$COMMIT" "$PGBIN" "$PGPORT" <<'PY'
import json, sqlite3, subprocess, sys
work, out, commit, pgbin, port = sys.argv[1:]
db = sqlite3.connect(f"{work}/sqlite/zhengxin.sqlite")
tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
def parties(rows):
    found = set()
    for pid, record in rows:
        r = json.loads(record)
        found |= {(pid.lower(), c["contractorOrganisationId"].lower(), "contractor") for c in r.get("constructionContracts", []) if c.get("contractorOrganisationId")}
        found |= {(pid.lower(), c["supervisionFirmOrganisationId"].lower(), "supervisor") for c in r.get("supervisionContracts", []) if c.get("supervisionFirmOrganisationId")}
    return len(found)
lite = {"tables": {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables},
        "contractedParties": parties(db.execute("SELECT id, record FROM projects WHERE classified = 0")),
        "classifiedProjects": db.execute("SELECT COUNT(*) FROM projects WHERE classified = 1").fetchone()[0]}
def psql(query):
    return subprocess.check_output([f"{pgbin}/psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "zhengxin", "-AtX", "-F", "\t",
                                    "-c", query], text=True).splitlines()
pg_tables = psql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
pg = {"tables": {t: int(psql(f'SELECT COUNT(*) FROM "{t}"')[0]) for t in pg_tables},
      "contractedParties": parties(line.split("\t", 1) for line in psql("SELECT id, record FROM projects WHERE NOT classified")),
      "classifiedProjects": int(psql("SELECT COUNT(*) FROM projects WHERE classified")[0])}
json.dump({"commit": commit, "sqlite": lite, "postgres": pg}, open(f"{out}/counts.json", "w"), indent=2, sort_keys=True, ensure_ascii=False)
open(f"{out}/counts.json", "a").write("\n")
PY

{
    echo "# Upgrade fixture: $DAY-$SHORT"
    echo
    echo "Databases made by Zhengxin at commit \`$COMMIT\` ($(git show -s --format=%s "$COMMIT")),"
    echo "with the schema that commit's migrations make. \`UpgradeFromFixtureTests\` migrates both with today's"
    echo "migrations, runs the \`audit-verify\` walk and compares the tables with \`counts.json\`."
    echo
    echo "Made by \`scripts/make_upgrade_fixture.sh $SHORT\` on $(date -u +%Y-%m-%d), which ran, with that commit's binary:"
    echo
    echo '```sh'
    echo 'zhengxin migrate --yes'
    echo 'zhengxin seed-demo'
    echo 'zhengxin create-org --name 中牟县大数据局 --type UNIT --jurisdiction zhongmou'
    echo 'zhengxin serve   # then, through its API: logins (sessions), a failed login, an upload, construction and'
    echo '                 # supervision contracts naming their organisations, a fund plan, a disbursement, a'
    echo '                 # rectification report, an escalated finding, a sanction (signed), a refused action,'
    echo '                 # a 涉密 project with a sealed document, declared; a signing key rotated; a county policy'
    echo '                 # version; an account proposal approved (activation pending)'
    echo 'zhengxin scan'
    echo 'zhengxin audit-verify'
    echo '```'
    echo
    echo "SQLite: \`sqlite/zhengxin.sqlite.gz\` (the data directory's database, gzipped) and \`sqlite/documents\`."
    echo "PostgreSQL 15: \`postgres/dump.sql.gz\` (\`pg_dump --no-owner --no-privileges\`, plain SQL, gzipped; load with"
    echo "\`psql -v ON_ERROR_STOP=1\` into an empty database) and \`postgres/documents\`."
    echo
    echo "\`master.key\` is a **throwaway** SM4 master key generated for this fixture only (\`openssl rand -hex 16\`);"
    echo "both databases were made under it (sealed fields, signing keys, audit anchor). It protects nothing real."
    echo
    echo "## Counts (rows per table, from the old databases)"
    echo
    python3 - "$OUT/counts.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
tables = sorted(set(c["sqlite"]["tables"]) | set(c["postgres"]["tables"]))
print("| table | SQLite | PostgreSQL |\n|---|---:|---:|")
for t in tables:
    print(f"| {t} | {c['sqlite']['tables'].get(t, '—')} | {c['postgres']['tables'].get(t, '—')} |")
print(f"| contracted parties (not 涉密) | {c['sqlite']['contractedParties']} | {c['postgres']['contractedParties']} |")
print(f"| 涉密 projects | {c['sqlite']['classifiedProjects']} | {c['postgres']['classifiedProjects']} |")
PY
} >"$OUT/README.md"

du -sh "$OUT"
echo "fixture written to $OUT"
