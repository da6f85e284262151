#!/usr/bin/env python3
"""The write stream of scripts/deploy_test.sh, and its check. Standard library only.

    deploy_stream.py run --base https://zx.test:PORT --connect 127.0.0.1 --cacert ca.pem \
        --token TOKEN --seconds 12 --workers 6 --kill-pid PID --kill-after 4 --out acks.json
    deploy_stream.py verify --acks acks.json --database-url postgres://...

`run`: each worker declares a project (POST /api/v1/projects, numbered ZZ-<year>-NNNN in the write
transaction) and then renames it twice (POST .../actions/update, a group-committed action), over
and over, through nginx. At `--kill-after` seconds it kills one server with SIGKILL. Every answer is
recorded: 2xx writes as acknowledged, with what they wrote; the others by status or error.

`verify`: every acknowledged write is in the database (the project with its code; each rename as
an accepted `update` entry of that project naming the new name, and the project's name is that of
its last write), the project codes of the year are 1..N with no gap or repeat across both servers,
and no declaration was stored twice (a POST sent again to the other server).
"""

import argparse
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter

PLAN_YEAR = 2028


def draft(name):
    return {
        "name": name, "source": "unitDeclaration", "planYear": PLAN_YEAR, "category": "businessSystem",
        "totalInvestmentFen": 50_000_000, "content": "部署测试建设内容", "goals": "部署测试建设目标",
    }


class SiteConnection(http.client.HTTPSConnection):
    """Connects to nginx's loopback address, while TLS names and checks the site's host name."""

    def __init__(self, address, port, site, context):
        super().__init__(address, port, context=context, timeout=30)
        self.site = site

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.site)


class Client:
    """One keep-alive HTTPS connection to nginx, opened again after any failure."""

    def __init__(self, base, connect, cacert, token):
        url = urllib.parse.urlsplit(base)
        self.site, self.port, self.address = url.hostname, url.port or 443, connect
        self.context = ssl.create_default_context(cafile=cacert)
        self.token = token
        self.conn = None

    def post(self, path, body):
        return self.send("POST", path, json.dumps(body, ensure_ascii=False).encode())

    def send(self, method, path, data=None):
        if self.conn is None:
            self.conn = SiteConnection(self.address, self.port, self.site, self.context)
        headers = {"Authorization": "Bearer " + self.token, "Host": f"{self.site}:{self.port}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException) as error:  # reset, refused, timeout: the write's fate is unknown
            self.close()
            return None, type(error).__name__

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def run(args):
    lock = threading.Lock()
    records = []  # every attempt: kind, project id, name, status or error, acknowledged, time
    stop_at = time.monotonic() + args.seconds
    start = time.monotonic()
    tag = str(os.getpid())

    def note(**record):
        record["at"] = round(time.monotonic() - start, 3)
        with lock:
            records.append(record)

    def worker(n):
        client = Client(args.base, args.connect, args.cacert, args.token)
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            name = f"部署测试项目-{tag}-{n}-{i}"
            status, body = client.post("/api/v1/projects", draft(name))
            if status is None or not 200 <= status < 300:
                note(kind="create", name=name, status=status if status is not None else body, acknowledged=False)
                continue
            project = json.loads(body)["project"]
            pid, code = project["id"].lower(), project["code"]
            note(kind="create", id=pid, code=code, name=name, status=status, acknowledged=True)
            for r in (1, 2):
                if time.monotonic() >= stop_at:
                    break
                renamed = f"{name}-改{r}"
                status, body = client.post(f"/api/v1/projects/{pid}/actions/update", draft(renamed))
                acknowledged = status is not None and 200 <= status < 300
                note(kind="update", id=pid, name=renamed, status=status if status is not None else body, acknowledged=acknowledged)
        client.close()

    def reader():
        # Reads are idempotent: nginx passes one the killed server dropped on to the other, so none fails.
        client = Client(args.base, args.connect, args.cacert, args.token)
        while time.monotonic() < stop_at:
            status, _ = client.send("GET", "/api/v1/projects?perPage=5")
            note(kind="read", status=status, acknowledged=status is not None and 200 <= status < 300)
        client.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.workers)] + [threading.Thread(target=reader)]
    for t in threads:
        t.start()
    killed_at = None
    if args.kill_pid:
        time.sleep(args.kill_after)
        os.kill(args.kill_pid, signal.SIGKILL)
        killed_at = round(time.monotonic() - start, 3)
    for t in threads:
        t.join()
    json.dump({"killedAt": killed_at, "records": records}, open(args.out, "w"), ensure_ascii=False)

    reads = [r for r in records if r["kind"] == "read"]
    records = [r for r in records if r["kind"] != "read"]
    failed_reads = Counter(str(r["status"]) for r in reads if not r["acknowledged"])
    acked = [r for r in records if r["acknowledged"]]
    failed = Counter(str(r["status"]) for r in records if not r["acknowledged"])
    after_kill = [r for r in acked if killed_at is not None and r["at"] > killed_at]
    print(f"stream: {len(reads)} reads alongside, {len(reads) - sum(failed_reads.values())} answered 200, failed {dict(failed_reads)}")
    print(
        f"stream: {len(records)} writes in {args.seconds}s by {args.workers} workers; acknowledged {len(acked)} "
        f"({sum(r['kind'] == 'create' for r in acked)} declarations, {sum(r['kind'] == 'update' for r in acked)} renames), "
        f"{len(after_kill)} of them after the kill at {killed_at}s; not acknowledged {sum(failed.values())} {dict(failed)}")
    # Writes after the kill must go on through the other server; nothing else may fail but what
    # was in flight on the killed one (nginx answers 502 for a POST it must not resend).
    unexpected = {k: v for k, v in failed.items() if k not in ("502",)}
    if unexpected:
        sys.exit(f"stream: unexpected failures {unexpected}")
    if failed_reads:
        sys.exit(f"stream: reads failed {dict(failed_reads)}: nginx should have passed them to the other server")
    if killed_at is not None and not after_kill:
        sys.exit("stream: no write acknowledged after the kill")


def psql(url, query):
    out = subprocess.run(["psql", url, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"psql: {out.stderr}")
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def verify(args):
    data = json.load(open(args.acks))
    records = [r for r in data["records"] if r["kind"] != "read"]
    acked = [r for r in records if r["acknowledged"]]
    ids = sorted({r["id"] for r in records if "id" in r})
    problems = []
    if not ids:
        sys.exit("verify: no project was acknowledged")
    id_list = ",".join(f"'{i}'" for i in ids)  # UUIDs from the server's own answers
    rows = {r[0]: r for r in psql(args.database_url, f"SELECT id, code, name FROM projects WHERE id IN ({id_list})")}
    updates = Counter()
    for r in psql(
        args.database_url,
        f"SELECT project_id, after FROM audit_entries WHERE action = 'update' AND result = 'accepted' AND project_id IN ({id_list})",
    ):
        updates[(r[0], r[1])] += 1
    entries_by_project = {}
    for (pid, after), _ in updates.items():
        entries_by_project.setdefault(pid, []).append(after)

    last_name = {}
    for r in records:
        if "id" in r and (r["acknowledged"] or r["kind"] == "update"):
            last_name.setdefault(r["id"], []).append((r["name"], r["acknowledged"]))
    for r in acked:
        row = rows.get(r["id"])
        if row is None:
            problems.append(f"acknowledged {r['kind']} of {r['id']} not in projects")
            continue
        if r["kind"] == "create" and row[1] != r["code"]:
            problems.append(f"project {r['id']}: code {row[1]}, acknowledged {r['code']}")
        if r["kind"] == "update" and not any(r["name"] in after for after in entries_by_project.get(r["id"], [])):
            problems.append(f"acknowledged rename of {r['id']} to {r['name']} has no accepted audit entry")
    # The stored name is the last acknowledged one, or a later rename whose answer was lost.
    for pid, names in last_name.items():
        row = rows.get(pid)
        if row is None:
            continue
        acked_idx = max((i for i, (_, ok) in enumerate(names) if ok), default=-1)
        allowed = {n for n, _ in names[acked_idx:]} if acked_idx >= 0 else {n for n, _ in names}
        if row[2] not in allowed:
            problems.append(f"project {pid} is named {row[2]}, not its last acknowledged name")

    year = next(r["code"].split("-")[1] for r in acked if r["kind"] == "create")
    codes = [r[0] for r in psql(args.database_url, f"SELECT code FROM projects WHERE code LIKE 'ZZ-{int(year)}-%' ORDER BY code")]
    numbers = [int(c.rsplit("-", 1)[1]) for c in codes]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"project codes of the year are not 1..{len(numbers)} without gaps or repeats")

    # Every attempt has a name of its own: a name stored twice is a POST that reached a server twice.
    twice = psql(args.database_url, "SELECT name FROM projects WHERE name LIKE '部署测试项目-%' GROUP BY name HAVING count(*) > 1")
    problems += [f"project {r[0]} was created twice" for r in twice]

    # What was not acknowledged may still have committed: why nginx must not send such a POST again.
    lost = [r for r in records if not r["acknowledged"]]
    lost_creates = [r["name"] for r in lost if r["kind"] == "create"]
    committed = 0
    if lost_creates:  # a create whose answer was lost is never renamed: its name is as sent
        names = ",".join("'" + n.replace("'", "''") + "'" for n in lost_creates)
        committed += int(psql(args.database_url, f"SELECT count(*) FROM projects WHERE name IN ({names})")[0][0])
    for r in lost:
        if r["kind"] == "update" and any(r["name"] in after for after in entries_by_project.get(r["id"], [])):
            committed += 1

    if problems:
        print("\n".join("verify: " + p for p in problems[:20]))
        sys.exit(f"verify: {len(problems)} problems")
    print(
        f"verify: all {len(acked)} acknowledged writes found ({len(ids)} projects, {sum(updates.values())} accepted renames "
        f"on the audit record); {len(codes)} codes of the year numbered 1..{len(codes)}; of {len(lost)} writes not "
        f"acknowledged, {committed} committed all the same")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--base", required=True)
    r.add_argument("--connect", default="127.0.0.1")
    r.add_argument("--cacert", required=True)
    r.add_argument("--token", required=True)
    r.add_argument("--seconds", type=float, default=12)
    r.add_argument("--workers", type=int, default=6)
    r.add_argument("--kill-pid", type=int)
    r.add_argument("--kill-after", type=float, default=4)
    r.add_argument("--out", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--acks", required=True)
    v.add_argument("--database-url", required=True)
    args = parser.parse_args()
    run(args) if args.command == "run" else verify(args)


if __name__ == "__main__":
    main()
