"""Seals the worker before student code runs, so that nothing it does reaches another process.

A seccomp filter makes the calls that act on other processes fail with EPERM: sending a
signal (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_open) to anything but
the worker itself, pidfd_send_signal, pidfd_getfd, ptrace, process_vm_readv/writev,
prlimit64 on another process (an RLIMIT_CPU would end it later), and F_SETOWN-style
requests (SIGIO to a chosen process). The pid is the first argument's low 32 bits, which is
what the kernel reads as pid_t. In plain mode the grader shares the worker's user or is
root, so without this a submission could kill the grader and no report would be written;
under bubblewrap it keeps the pid namespace's init alive. A process signalling itself
(abort() raising SIGABRT) still works. Processes the worker starts inherit the filter with
the worker's pid, so they can signal only the worker.

Copied into the sandbox beside worker.py; imports nothing from the grader.
"""

from __future__ import annotations

import ctypes
import os
import struct

PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_EPERM = 0x00050000 | 1  # SECCOMP_RET_ERRNO | EPERM
X32_BIT = 0x40000000  # x32 system calls share x86_64's audit arch; none is allowed

LOAD = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
RET = 0x06  # BPF_RET | BPF_K
NR, ARCH, ARG0, ARG1 = 0, 4, 16, 24  # offsets in struct seccomp_data (little-endian)

F_SETOWN, F_SETOWN_EX = 8, 15
FIOSETOWN, SIOCSPGRP = 0x8901, 0x8902

# audit arch, then the numbers of the calls the filter looks at
ARCHES = {
    "x86_64": (
        0xC000003E,
        {
            "kill": 62,
            "tkill": 200,
            "tgkill": 234,
            "rt_sigqueueinfo": 129,
            "rt_tgsigqueueinfo": 297,
            "pidfd_open": 434,
            "pidfd_send_signal": 424,
            "pidfd_getfd": 438,
            "ptrace": 101,
            "process_vm_readv": 310,
            "process_vm_writev": 311,
            "prlimit64": 302,
            "fcntl": 72,
            "ioctl": 16,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "kill": 129,
            "tkill": 130,
            "tgkill": 131,
            "rt_sigqueueinfo": 138,
            "rt_tgsigqueueinfo": 240,
            "pidfd_open": 434,
            "pidfd_send_signal": 424,
            "pidfd_getfd": 438,
            "ptrace": 117,
            "process_vm_readv": 270,
            "process_vm_writev": 271,
            "prlimit64": 261,
            "fcntl": 25,
            "ioctl": 29,
        },
    ),
}
SELF_ONLY = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open")
DENIED = ("pidfd_send_signal", "pidfd_getfd", "ptrace", "process_vm_readv", "process_vm_writev")
IN_FORCE = "a seccomp filter keeps it from signalling, tracing or limiting any other process"


def _program(arch: int, numbers: dict[str, int], pid: int) -> list[tuple | str]:
    """The filter as (code, k, jump-if-true, jump-if-false) and labels (jump targets);
    `None` jumps to the next instruction."""
    return [
        (LOAD, ARCH),
        (JEQ, arch, None, "deny"),
        (LOAD, NR),
        (JGE, X32_BIT, "deny", None),
        *[(JEQ, numbers[name], "deny", None) for name in DENIED],
        *[(JEQ, numbers[name], "self", None) for name in SELF_ONLY],
        (JEQ, numbers["prlimit64"], "self_or_zero", None),
        (JEQ, numbers["fcntl"], "fcntl", None),
        (JEQ, numbers["ioctl"], "ioctl", None),
        (RET, RET_ALLOW),
        "self_or_zero",
        (LOAD, ARG0),
        (JEQ, 0, "allow", None),
        (JEQ, pid, "allow", "deny"),
        "self",
        (LOAD, ARG0),
        (JEQ, pid, "allow", "deny"),
        "fcntl",
        (LOAD, ARG1),
        (JEQ, F_SETOWN, "deny", None),
        (JEQ, F_SETOWN_EX, "deny", "allow"),
        "ioctl",
        (LOAD, ARG1),
        (JEQ, FIOSETOWN, "deny", None),
        (JEQ, SIOCSPGRP, "deny", "allow"),
        "allow",
        (RET, RET_ALLOW),
        "deny",
        (RET, RET_EPERM),
    ]


def assemble(program: list[tuple | str]) -> bytes:
    """struct sock_filter[] from the program: labels become forward jump offsets."""
    labels, index = {}, 0
    for item in program:
        if isinstance(item, str):
            labels[item] = index
        else:
            index += 1
    code = b""
    for item in program:
        if isinstance(item, str):
            continue
        position = len(code) // 8
        jumps = [0 if t is None else labels[t] - position - 1 for t in item[2:4]] or [0, 0]
        code += struct.pack("<HBBI", item[0], *jumps, item[1] & 0xFFFFFFFF)
    return code


class _Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _prctl(libc: ctypes.CDLL, *args: int) -> None:
    if libc.prctl(*[ctypes.c_ulong(arg) for arg in args]) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def undumpable() -> None:
    """Hide this process's /proc entries (memory, environment, open files, working folder)
    from other processes of its user; exec resets it."""
    _prctl(_libc(), PR_SET_DUMPABLE, 0, 0, 0, 0)


def seal(private: bool) -> str:
    """Install the filter (and, when `private`, hide this process's /proc entries from
    processes of the same user: its memory, environment, working folder). Returns what is
    in force, for the report; never raises."""
    if private:
        undumpable()
    machine = os.uname().machine
    try:
        if machine not in ARCHES or struct.calcsize("P") != 8:
            return f"no seccomp filter (architecture {machine} not supported by the grader)"
        arch, numbers = ARCHES[machine]
        code = assemble(_program(arch, numbers, os.getpid()))
        buffer = ctypes.create_string_buffer(code, len(code))
        prog = _Fprog(len(code) // 8, ctypes.addressof(buffer))
        libc = _libc()
        _prctl(libc, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        _prctl(libc, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0)
    except (OSError, AttributeError) as error:
        return f"no seccomp filter (it could not be installed: {error})"
    return IN_FORCE
