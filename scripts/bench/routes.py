#!/usr/bin/env python3
"""Times every GET route of scripts/bench/routes.tsv for each role named there, on a running server.

Each row is measured twice:
  uncached -- every sample right after an audited write (a usage-feedback action by DRC on another
              project), as on a busy day when each write moves the audit chain head;
  warm     -- the same request repeated with no write between.
Prints one Markdown table: p50 and p99 (with 20 samples p99 is the slowest sample) in ms, the
status and the size of the answer. Rows whose placeholders cannot be filled for a role (no
document on the role's first projects, no annual plan) say so instead of a figure.

  scripts/bench/routes.py --base http://127.0.0.1:8080 --bin .build-release/release/zhengxin \
      --writable ids.txt [--samples 20] [--backend sqlite]
The server's environment (ZHENGXIN_DATA_DIR / DATABASE_URL) must be exported, for `zhengxin totp-code`.
"""
import argparse
import http.client
import json
import re
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

PASSWORD = "Zhengxin@2026"
ACCOUNTS = {"drc": "drc", "unit": "health", "vendor": "vendor", "sysadmin": "sysadmin", "auditadmin": "auditadmin"}
NEEDS_TOTP = {"drc", "sysadmin", "auditadmin"}


class Client:
    def __init__(self, base, token=None):
        url = urllib.parse.urlparse(base)
        self.host, self.port = url.hostname, url.port
        self.token = token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method, path, body=None, page=False):
        headers = {"Accept": "application/json"}
        if self.token:
            if page:
                headers["Cookie"] = "zx_session=" + self.token
            else:
                headers["Authorization"] = "Bearer " + self.token
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body).encode()
        quoted = urllib.parse.quote(path, safe="/?=&,:-_.~%")
        for attempt in (1, 2):
            try:
                self.conn.request(method, quoted, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                self.last_headers = response.headers
                return response.status, data
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt == 2:
                    raise

    def next_link(self, path):
        """The `after` cursor of the page after `path` (its `Link: <…>; rel="next"`), or None."""
        self.request("GET", path)
        link = self.last_headers.get("Link") or ""
        found = re.search(r"[?&]after=([^&>]+)", link)
        return urllib.parse.unquote(found.group(1)) if found else None

    def json(self, path):
        status, data = self.request("GET", path)
        if status != 200:
            return None
        return json.loads(data)


def login(base, binary, role):
    username = ACCOUNTS[role]
    body = {"username": username, "password": PASSWORD}
    if role in NEEDS_TOTP:
        body["totp"] = subprocess.run([binary, "totp-code", "--username", username], check=True,
                                      capture_output=True, text=True).stdout.strip().split()[-1]
    status, data = Client(base).request("POST", "/api/v1/auth/login", body)
    if status != 200:
        sys.exit(f"login as {username} failed: {status} {data[:200]!r}")
    return json.loads(data)["token"]


def items(answer):
    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict):
        for key in ("items", "projects", "plans"):
            if isinstance(answer.get(key), list):
                return answer[key]
    return []


def placeholders(client, role):
    """What each placeholder stands for, for this role: lists cycled through sample by sample."""
    found = {"id": [], "doc": [], "unit": [], "plan": [], "user": [], "proposal": [], "after": []}
    projects = items(client.json("/api/v1/projects?perPage=50") or [])
    found["id"] = [p["id"] for p in projects if "id" in p]
    for pid in found["id"][:50]:
        docs = items(client.json(f"/api/v1/projects/{pid}/documents") or [])
        if docs:
            found["doc"].append((pid, docs[0].get("number", 1)))
        if len(found["doc"]) >= 5:
            break
    me = client.json("/api/v1/me") or {}
    organisation = me.get("organisationId") or (me.get("organisation") or {}).get("id")
    if role == "unit" and organisation:
        found["unit"] = [organisation]
    else:
        found["unit"] = sorted({p["unitId"] for p in projects if p.get("unitId")})[:10]
    # 下一页 from page 1,000: the cursor the API's Link header gives for it.
    after = client.next_link("/api/v1/projects?page=1000")
    found["after"] = [after] if after else []
    plans = items(client.json("/api/v1/annual-plans") or [])
    found["plan"] = [p["id"] for p in plans if "id" in p]
    if role == "sysadmin":  # the administrators' pages name an account or a proposal
        found["user"] = [u["id"] for u in items(client.json("/api/v1/admin/users") or []) if "id" in u][:10]
        found["proposal"] = [p["id"] for p in items(client.json("/api/v1/admin/account-proposals") or []) if "id" in p][:10]
    return found


def compile_plan(clients):
    """An annual plan to measure its page by, when the portfolio has none (zhengxin-bench issues each project's
    plan line in its record, not as a plan of its own): DRC compiles one from projects in the 储备库, the unit's
    among them so that it sees the plan too. Its page is then measured as any other."""
    drc = clients["drc"]
    if items(drc.json("/api/v1/annual-plans") or []):
        return
    chosen = items(drc.json("/api/v1/projects?stage=reserve&perPage=20") or [])
    if "unit" in clients:
        chosen += items(clients["unit"].json("/api/v1/projects?stage=reserve&perPage=5") or [])
    lines, years = {}, []
    for p in chosen:
        if p.get("id") and p.get("totalInvestment") and p["id"] not in lines:
            lines[p["id"]] = {"projectId": p["id"], "plannedAmountFen": p["totalInvestment"]}
            years.append(p.get("planYear", 2026))
    if not lines:
        return
    # A project may be planned in its own plan year or later (第八条).
    year, lines = max(years), list(lines.values())
    status, data = drc.request("POST", "/api/v1/annual-plans", {"year": year, "title": f"{year}年度市级政务信息化项目政府投资计划(压测)", "lines": lines})
    if status != 201:
        sys.exit(f"compiling the annual plan to measure failed: {status} {data[:300]!r}")


def propose_account(sysadmin):
    """A new-account proposal to measure its page by, when there is none: the system administrator asks for an
    audit administrator's account, which (三权分立) waits for the security administrator's approval."""
    if items(sysadmin.json("/api/v1/admin/account-proposals") or []):
        return
    me = sysadmin.json("/api/v1/me") or {}
    organisation = me.get("organisationId") or (me.get("organisation") or {}).get("id")
    body = {"username": "bench-audit", "displayName": "压测审计管理员", "organisationId": organisation, "roles": ["auditAdmin"]}
    status, data = sysadmin.request("POST", "/api/v1/admin/users", body)
    if not 200 <= status < 300:
        sys.exit(f"proposing the account to measure failed: {status} {data[:300]!r}")


def fill(template, found, i):
    path = template
    if "{doc}" in path:
        if not found["doc"]:
            return None
        pid, number = found["doc"][i % len(found["doc"])]
        path = path.replace("{id}", pid).replace("{doc}", str(number))
    for key in ("id", "unit", "plan", "user", "proposal", "after"):
        token = "{" + key + "}"
        if token in path:
            if not found[key]:
                return None
            path = path.replace(token, found[key][i % len(found[key])])
    return path


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--writable", required=True, help='lines "id code" of projects with a catalog entry')
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--backend", default="")
    parser.add_argument("--table", default=os.path.join(os.path.dirname(__file__), "routes.tsv"))
    args = parser.parse_args()

    rows = []
    for line in open(args.table, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        route, path, roles = line.rstrip("\n").split("\t")
        rows.append((route, path, roles.split(",")))

    roles = sorted({r for _, _, rs in rows for r in rs} - {"anon"})
    clients = {"anon": Client(args.base)}
    for role in roles:
        # DRC's session from the caller when given (a TOTP code is accepted once per 30 s step).
        token = os.environ.get("BENCH_TOKEN") if role == "drc" else None
        clients[role] = Client(args.base, token or login(args.base, args.bin, role))
    if "drc" in clients and any("{plan}" in path for _, path, _ in rows):
        compile_plan(clients)
    if "sysadmin" in clients and any("{proposal}" in path for _, path, _ in rows):
        propose_account(clients["sysadmin"])
    found = {role: placeholders(clients[role], role) for role in roles}
    found["anon"] = {"id": [], "doc": [], "unit": [], "plan": []}

    writer = Client(args.base, clients["drc"].token)
    writable = [l.split() for l in open(args.writable) if l.strip()]
    write_index = [0]

    def write():
        pid, code = writable[write_index[0] % len(writable)]
        write_index[0] += 1
        body = {"entryCode": f"{code}-R01", "usedOn": "2026-10-30", "consumer": "郑州市医疗保障局",
                "purpose": "压测:跨部门业务核验", "outcome": "satisfied"}
        status, _ = writer.request("POST", f"/api/v1/projects/{pid}/actions/record-sharing-feedback", body)
        if status != 200:
            sys.exit(f"the write between samples failed: {status}")

    print(f"| backend | route | role | uncached p50 | uncached p99 | warm p50 | warm p99 | status | bytes |")
    print(f"|---|---|---|---|---|---|---|---|---|")
    misses = []
    for route, template, row_roles in rows:
        for role in row_roles:
            client = clients[role]
            page = not template.startswith("/api/") and template != "/healthz"
            if fill(template, found[role], 0) is None:
                print(f"| {args.backend} | `{template}` | {role} | — | — | — | — | nothing to fill | |")
                continue
            cold, warm, statuses, size = [], [], set(), 0
            for i in range(args.samples):
                path = fill(template, found[role], i)
                write()
                start = time.perf_counter()
                status, data = client.request("GET", path, page=page)
                cold.append((time.perf_counter() - start) * 1000)
                statuses.add(status)
                size = len(data)
            path = fill(template, found[role], 0)
            client.request("GET", path, page=page)
            for _ in range(args.samples):
                start = time.perf_counter()
                status, data = client.request("GET", path, page=page)
                warm.append((time.perf_counter() - start) * 1000)
                statuses.add(status)
            p50, p99 = statistics.median(cold), percentile(cold, 0.99)
            if p50 > 20 or p99 > 50:
                misses.append(f"{template} as {role}")
            print(f"| {args.backend} | `{template}` | {role} | {p50:.1f} | {p99:.1f} | {statistics.median(warm):.1f} | "
                  f"{percentile(warm, 0.99):.1f} | {','.join(map(str, sorted(statuses)))} | {size:,} |", flush=True)
    print()
    print(f"Rows over the goal (uncached p50 ≤ 20 ms, p99 ≤ 50 ms): {len(misses)}" + (": " + "; ".join(misses) if misses else ""))


if __name__ == "__main__":
    main()
