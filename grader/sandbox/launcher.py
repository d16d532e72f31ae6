"""How a worker process is started: inside bubblewrap when it works here, else plainly.

The sandbox sees a read-only system and Python environment without the grader's or the
course's files (mounts.py), a private /tmp holding a copy of the submission and the worker's
files, no network, its own pid namespace (so nothing it starts outlives it) and a short
allow-listed environment. Without bubblewrap, a grader running as root starts the worker as
an unprivileged user (`nobody`, or $GRADER_WORKER_USER) that cannot read the course pack;
otherwise the worker runs as the grader's own user, and the report and stderr say so.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from grader import course
from grader.sandbox import mounts, seal

SANDBOX_ROOT = "/tmp/work"
WORKER_FILES = ("worker.py", "codec.py", "torch_driver.py", "seal.py")
USER_VARIABLE = "GRADER_WORKER_USER"


@dataclass(frozen=True)
class Isolation:
    """What was in force for student code, stated in the report."""

    mode: str  # "bubblewrap", "unprivileged" (plain, as another user) or "plain"
    memory_bytes: int
    user: tuple[int, int] | None = None  # uid, gid the worker runs as
    notes: tuple[str, ...] = ()  # why it is weaker than bubblewrap, what was done about it

    def describe(self, sealing: str = "") -> str:
        """`sealing` is what the worker reported of its own seal (seal.py)."""
        space = (
            f"{self.memory_bytes // 2**30} GiB address space"
            if self.memory_bytes
            else "no address-space limit (CUDA reserves more)"
        )
        tail = "; ".join(filter(None, [sealing, f"limits: {space}, 256 MiB files, no core dumps"]))
        tail += "; per-call wall-clock timeout"
        why = f" ({'; '.join(self.notes)})" if self.notes else ""
        if self.mode == "bubblewrap":
            return (
                "bubblewrap sandbox: no network, private pid namespace, read-only system and "
                "Python environment without the grader's or the course's files, private /tmp "
                f"with a copy of the submission, reduced environment; {tail}"
            )
        if self.mode == "unprivileged":
            return (
                f"plain process, WEAKER isolation than bubblewrap{why}: student code can "
                "reach the network and read what any user may, but not the course pack; own "
                f"session, reduced environment; {tail}"
            )
        return (
            f"plain process as the grader's own user, WEAKER isolation{why}: student code "
            "can read the grader's and the course's files and reach the network; own "
            f"session, reduced environment; {tail}"
        )

    def trusted(self) -> Isolation:
        """For the reference's own worker: trusted code, run as the grader's user, where the
        students' workers (another user) cannot reach it."""
        return replace(self, user=None)


def worker_environment(home: str, token: str) -> dict[str, str]:
    return {
        "GRADER_WORKER_TOKEN": token,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        # Fixed glibc thresholds: big arrays reuse freed memory instead of fresh pages, the
        # same way in every worker whatever it ran before (timings otherwise depend on it).
        "MALLOC_MMAP_THRESHOLD_": str(2**30),
        "MALLOC_TRIM_THRESHOLD_": str(2**31),
        # Large torch tensors on transparent huge pages in every worker alike: otherwise
        # whether a process happens to get them makes memory-bound steps ±30% apart.
        "THP_MEM_ALLOC_ENABLE": "1",
    }


@functools.lru_cache(maxsize=1)
def bubblewrap_refusal() -> str | None:
    """Why bubblewrap cannot be used here, or None when it works. It may be installed yet
    refused (no user namespaces, AppArmor's restriction on Ubuntu 24.04): try it once."""
    if os.environ.get("GRADER_NO_BWRAP"):
        return "bubblewrap disabled by $GRADER_NO_BWRAP"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed"
    try:
        result = subprocess.run(
            ["bwrap", *_mount_args(), "--unshare-all", "--", sys.executable, "-c", "pass"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap is installed but refused here ({error})"
    if result.returncode != 0:
        message = " ".join(result.stderr.split())[-300:] or f"exit code {result.returncode}"
        return f"bubblewrap is installed but refused here ({message})"
    return None


def bubblewrap_works() -> bool:
    return bubblewrap_refusal() is None


def cuda_devices() -> list[str]:
    """NVIDIA device nodes, passed into the sandbox so student torch code can use CUDA."""
    return sorted(glob.glob("/dev/nvidia*"))


def _mount_args() -> list[str]:
    args = mounts.filesystem_args()
    for device in cuda_devices():
        args += ["--dev-bind", device, device]
    return args


def bubblewrap_prefix(scratch: str, token: str) -> list[str]:
    environment = worker_environment(SANDBOX_ROOT, token)
    args = ["bwrap", *_mount_args(), "--bind", scratch, SANDBOX_ROOT]
    args += ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
    for key, value in environment.items():
        args += ["--setenv", key, value]
    return args + ["--chdir", SANDBOX_ROOT]


def worker_user() -> pwd.struct_passwd | None:
    """The user a root grader runs workers as in plain mode (None if it does not exist)."""
    name = os.environ.get(USER_VARIABLE) or "nobody"
    try:
        return pwd.getpwuid(int(name)) if name.isdigit() else pwd.getpwnam(name)
    except KeyError:
        return None


@functools.lru_cache(maxsize=4)
def _unprivileged_refusal(uid: int, gid: int) -> str | None:
    """Why the worker cannot run as this user (it cannot reach the interpreter or numpy, as
    when Python lives under /root), or None."""
    try:
        result = subprocess.run(
            [sys.executable, "-I", "-c", "import numpy"],
            user=uid,
            group=gid,
            extra_groups=[],
            cwd="/",
            env=worker_environment("/", "probe"),
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"uid {uid} cannot run {sys.executable}: {error}"
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [f"exit code {result.returncode}"]
        return f"uid {uid} cannot run {sys.executable} with numpy: {lines[-1][-200:]}"
    return None


def _close_course_pack(uid: int) -> str | None:
    """Make the course pack's reference/ (every course file lives below it), and any copy
    of it in the site directories, unreadable to other users; None when done, else why it
    cannot be."""
    directories = [course.reference_dir()] if course.available() else []
    for directory in [*directories, *mounts.course_copies()]:
        try:
            status = directory.stat()
            if status.st_uid == uid:
                return f"{directory} belongs to uid {uid}"
            if status.st_mode & 0o077:
                directory.chmod(stat.S_IMODE(status.st_mode) & ~0o077)
                _warn(f"{directory} was readable by other users: made private (chmod go-rwx)")
        except OSError as error:
            return f"{directory} cannot be made private: {error}"
    return None


def _why_not_unprivileged(user: pwd.struct_passwd | None) -> str | None:
    if os.geteuid() != 0:
        return "the grader is not root"
    if user is None:
        return f"no user {os.environ.get(USER_VARIABLE) or 'nobody'}"
    if user.pw_uid == 0:
        return f"${USER_VARIABLE} names root"
    return _unprivileged_refusal(user.pw_uid, user.pw_gid) or _close_course_pack(user.pw_uid)


def _plain(memory_bytes: int, refusal: str) -> Isolation:
    user = worker_user()
    problem = _why_not_unprivileged(user)
    if problem is not None:
        # The grader's /proc entries (its memory, its file descriptors) out of reach of a
        # worker of its own user.
        seal.undumpable()
        return Isolation("plain", memory_bytes, notes=(refusal, problem))
    notes = (
        refusal,
        f"runs as user {user.pw_name} (uid {user.pw_uid}) without supplementary groups",
        "the course pack's reference/ is unreadable to that user (chmod go-rwx)",
    )
    return Isolation("unprivileged", memory_bytes, (user.pw_uid, user.pw_gid), notes)


@functools.cache
def _warn(message: str) -> None:
    """Once per process and message, on stderr: weaker isolation must not go unnoticed."""
    print(f"\n*** WARNING (grader isolation): {message}\n", file=sys.stderr, flush=True)


def choose_isolation(memory_bytes: int) -> Isolation:
    refusal = bubblewrap_refusal()
    if refusal is None:
        return Isolation("bubblewrap", memory_bytes)
    isolation = _plain(memory_bytes, refusal)
    _warn(f"student code is NOT sandboxed by bubblewrap. {isolation.describe()}")
    return isolation


def prepare(scratch: Path, submission: Path, isolation: Isolation) -> str:
    """Lay out a worker's scratch folder and return where its submission copy is, relative
    to the scratch folder (the worker's starting folder).

    scratch/worker/ holds the worker's files, readable by all. The submission goes into a
    folder with an unguessable name, owned by the worker's user: when all workers run as
    one unprivileged user, the scratch folder is traversable but not listable, so another
    student's worker cannot find this copy (nor, the worker being undumpable, learn its
    path from /proc).
    """
    os.mkdir(scratch / "worker", 0o755)
    for name in WORKER_FILES:
        target = scratch / "worker" / name
        shutil.copyfile(Path(__file__).with_name(name), target)
        target.chmod(0o644)
    private = scratch / secrets.token_hex(16)
    shutil.copytree(submission, private / "submission")
    private.chmod(0o700)
    if isolation.user is not None:
        scratch.chmod(0o711)
        for path in [private, *private.rglob("*")]:
            os.lchown(path, *isolation.user)
    return f"{private.name}/submission"


def launch(
    scratch: Path, fds: tuple[int, int], isolation: Isolation, token: str
) -> subprocess.Popen:
    """Start a worker over `scratch` (laid out by `prepare`)."""
    if isolation.mode == "bubblewrap":
        root, env = SANDBOX_ROOT, None
        prefix = [*bubblewrap_prefix(str(scratch), token), "--"]
    else:
        root, env, prefix = str(scratch), worker_environment(str(scratch), token), []
    command = [
        *prefix,
        sys.executable,
        "-I",
        f"{root}/worker/worker.py",
        str(fds[0]),
        str(fds[1]),
        str(isolation.memory_bytes),
        "private" if isolation.user else "shared",
    ]
    credentials = {}
    if isolation.user is not None:
        credentials = {"user": isolation.user[0], "group": isolation.user[1], "extra_groups": []}
    return subprocess.Popen(
        command,
        pass_fds=fds,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
        cwd=str(scratch),
        **credentials,
    )


def kill_leftovers(token: str) -> None:
    """Kill every process still carrying this worker's token (plain mode's daemons).

    Under bubblewrap the pid namespace already took them down with the worker.
    """
    marker = f"GRADER_WORKER_TOKEN={token}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environment = handle.read().split(b"\0")
        except OSError:
            continue
        if marker in environment:
            with contextlib.suppress(OSError):
                os.kill(int(entry), signal.SIGKILL)
