#!/usr/bin/env python3
"""Names the swift-testing tests a log shows as started but never passed or failed (scripts/test.sh
prints them when the suite hangs past its time limit)."""
import re
import sys

started, ended = {}, set()
start = re.compile(r'^◇ Test (.+?) started\.$')
end = re.compile(r'^[✔✘] Test (.+?) (?:with \d+ test cases? )?(?:passed|failed|recorded)')
with open(sys.argv[1], encoding='utf-8', errors='replace') as log:
    for n, line in enumerate(log, 1):
        line = line.rstrip('\n')
        if (m := start.match(line)) and not m.group(1).startswith('case passing') and m.group(1) != 'run':
            started.setdefault(m.group(1), n)  # test cases and the run itself have no end line of their own
        elif m := end.match(line):
            ended.add(m.group(1))
unfinished = [name for name in started if name not in ended]
for name in unfinished:
    print(f'  {name} (started at log line {started[name]})')
if not unfinished:
    print('  none: every started test ended (the hang was outside a test)')
