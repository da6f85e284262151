#!/usr/bin/env python3
"""Runs a command under the system-call sandbox a systemd unit file asks for, where systemd itself
cannot run (a container): scripts/deploy_test.sh starts both Zhengxin servers through this, so the
test fails if the server needs anything deploy/zhengxin@.service forbids.

    deploy_sandbox.py UNIT_FILE -- COMMAND [ARG...]

From the unit it reads and applies, then execs COMMAND:
  NoNewPrivileges=yes          prctl(PR_SET_NO_NEW_PRIVS)
  SystemCallArchitectures=native, SystemCallFilter=
                               a seccomp allow-list built from the groups `systemd-analyze
                               syscall-filter` lists (the @default group always allowed, `~` lines
                               removed, as systemd does), other architectures and x32 refused
  MemoryDenyWriteExecute=yes   systemd's rules: no mmap writable and executable at once, no
                               mprotect/pkey_mprotect to executable, no shmat with SHM_EXEC
Stricter than the unit on purpose: where the unit says SystemCallErrorNumber=EPERM, a refused call
here kills the process (SIGSYS), so a call the server makes and the unit forbids cannot pass unseen.
Only x86_64. Standard library only.
"""

import ctypes
import os
import platform
import re
import struct
import subprocess
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
RET_KILL_PROCESS = 0x80000000
RET_ALLOW = 0x7FFF0000
# classic BPF opcodes
LD_ABS_W, JEQ_K, JGE_K, JSET_K, RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
# struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6] (low word first on little-endian)
OFF_NR, OFF_ARCH = 0, 4
PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000


def unit_settings(path):
    """The [Service] settings of a unit file, each name with its values in order."""
    settings = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line[0] in "#;[" or "=" not in line:
            continue
        name, value = line.split("=", 1)
        settings.setdefault(name.strip(), []).append(value.strip())
    return settings


def syscall_groups():
    """{"@group": [names...]} from `systemd-analyze syscall-filter` (groups may name groups)."""
    text = subprocess.run(["systemd-analyze", "syscall-filter"], capture_output=True, text=True, check=True).stdout
    groups, current = {}, None
    for line in text.splitlines():
        if line.startswith("@"):
            current = line.strip()
            groups[current] = []
        elif current and line.startswith("    ") and not line.strip().startswith("#"):
            groups[current].append(line.strip())
    return groups


def expand(names, groups, seen=None):
    seen = set() if seen is None else seen
    out = set()
    for name in names:
        if name.startswith("@"):
            if name in seen:
                continue
            seen.add(name)
            out |= expand(groups.get(name, []), groups, seen)
        else:
            out.add(name)
    return out


def syscall_numbers():
    """name → number on x86_64, from the kernel headers."""
    numbers = {}
    for header in ("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h"):
        if os.path.exists(header):
            for m in re.finditer(r"#define __NR_(\w+)\s+(\d+)", open(header).read()):
                numbers[m.group(1)] = int(m.group(2))
            return numbers
    sys.exit("deploy_sandbox: no unistd_64.h (apt-get install linux-libc-dev)")


def allowed_syscalls(filters):
    groups = syscall_groups()
    allowed, first = set(), True
    for value in filters:
        deny = value.startswith("~")
        names = value.lstrip("~").split()
        if first and deny:
            sys.exit("deploy_sandbox: a deny-list first is not supported")
        first = False
        if deny:
            allowed -= expand(names, groups)
        else:
            allowed |= expand(names, groups)
    return allowed | expand(["@default"], groups)


def ins(code, k, jt=0, jf=0):
    return (code, jt, jf, k)


def arg(i):
    return 16 + 8 * i


def program(allowed_numbers, deny_write_execute):
    prog = [
        ins(LD_ABS_W, OFF_ARCH),
        ins(JEQ_K, AUDIT_ARCH_X86_64, jt=1),
        ins(RET_K, RET_KILL_PROCESS),
        ins(LD_ABS_W, OFF_NR),
        ins(JGE_K, X32_SYSCALL_BIT, jf=1),
        ins(RET_K, RET_KILL_PROCESS),
    ]
    if deny_write_execute:
        # mmap: refused when both PROT_WRITE and PROT_EXEC are asked for.
        prog += [
            ins(JEQ_K, 9, jf=5),  # mmap
            ins(LD_ABS_W, arg(2)),
            ins(JSET_K, PROT_WRITE, jf=2),
            ins(JSET_K, PROT_EXEC, jf=1),
            ins(RET_K, RET_KILL_PROCESS),
            ins(LD_ABS_W, OFF_NR),
        ]
        for number, bit, index in ((10, PROT_EXEC, 2), (329, PROT_EXEC, 2), (30, SHM_EXEC, 2)):  # mprotect, pkey_mprotect, shmat
            prog += [
                ins(JEQ_K, number, jf=4),
                ins(LD_ABS_W, arg(index)),
                ins(JSET_K, bit, jf=1),
                ins(RET_K, RET_KILL_PROCESS),
                ins(LD_ABS_W, OFF_NR),
            ]
    if allowed_numbers is not None:
        for number in sorted(allowed_numbers):
            prog += [ins(JEQ_K, number, jf=1), ins(RET_K, RET_ALLOW)]
        prog.append(ins(RET_K, RET_KILL_PROCESS))
    else:
        prog.append(ins(RET_K, RET_ALLOW))
    return prog


def install(prog):
    raw = b"".join(struct.pack("HBBI", *i) for i in prog)
    buffer = ctypes.create_string_buffer(raw, len(raw))

    class Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = Fprog(len(prog), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        sys.exit(f"deploy_sandbox: seccomp: errno {ctypes.get_errno()}")


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    if platform.machine() != "x86_64":
        sys.exit("deploy_sandbox: x86_64 only")
    settings = unit_settings(sys.argv[1])
    yes = lambda name: settings.get(name, ["no"])[-1].lower() in ("yes", "true", "1", "on")
    libc = ctypes.CDLL(None, use_errno=True)
    filters = settings.get("SystemCallFilter", [])
    if yes("NoNewPrivileges") or filters or yes("MemoryDenyWriteExecute"):
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            sys.exit(f"deploy_sandbox: no_new_privs: errno {ctypes.get_errno()}")
    allowed = None
    if filters:
        numbers = syscall_numbers()
        allowed = {numbers[n] for n in allowed_syscalls(filters) if n in numbers}
    install(program(allowed, yes("MemoryDenyWriteExecute")))
    os.execvp(sys.argv[3], sys.argv[3:])


if __name__ == "__main__":
    main()
