"""How a worker process is started: inside bubblewrap when it works here, else plainly.

The sandbox sees a read-only system and Python environment, a private /tmp holding a
copy of the submission and the two worker files, no network, its own pid namespace
(so nothing it starts outlives it) and a short allow-listed environment. The project
tree (grader, reference, tests) and the original submission folder are never mounted.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import shutil
import signal
import site
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SANDBOX_ROOT = "/tmp/work"
SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin", "/etc")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Isolation:
    """What was in force for student code, stated in the report."""

    mode: str  # "bubblewrap" or "plain"
    memory_bytes: int

    def describe(self) -> str:
        space = (
            f"{self.memory_bytes // 2**30} GiB address space"
            if self.memory_bytes
            else "no address-space limit (CUDA reserves more)"
        )
        limits = f"{space}, 256 MiB files, no core dumps"
        if self.mode == "bubblewrap":
            return (
                "bubblewrap sandbox: no network, private pid namespace, read-only system, "
                "private /tmp with a copy of the submission, reference and grader not "
                f"mounted, reduced environment; limits: {limits}; per-call wall-clock timeout"
            )
        return (
            "plain process (bubblewrap unavailable, WEAKER isolation: student code can read "
            "files and reach the network): own session, reduced environment; limits: "
            f"{limits}; per-call wall-clock timeout"
        )


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
def bubblewrap_works() -> bool:
    """bwrap may be installed yet refused (no user namespaces): try it once."""
    if os.environ.get("GRADER_NO_BWRAP") or shutil.which("bwrap") is None:
        return False
    try:
        result = subprocess.run(
            ["bwrap", *_mount_args(), "--unshare-all", "--", sys.executable, "-c", "pass"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _python_dirs() -> list[str]:
    """The interpreter's prefixes and package directories, minus the project's own code.

    Only these are mounted (not arbitrary sys.path entries such as a script's folder,
    which could be /tmp itself or a folder of other students' submissions).
    """
    hidden = [PROJECT_ROOT / "grader", PROJECT_ROOT / "reference", PROJECT_ROOT / "tests"]
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates.update(site.getsitepackages())
    candidates.update(
        entry for entry in sys.path if Path(entry).name in ("site-packages", "dist-packages")
    )
    keep = []
    for entry in sorted(candidates):
        path = Path(entry).resolve()
        if not path.is_dir() or path in (PROJECT_ROOT, Path("/"), Path("/tmp")):
            continue
        if any(path.is_relative_to(h) for h in hidden):
            continue
        if not any(path.is_relative_to(s) for s in SYSTEM_DIRS):
            keep.append(str(path))
    return keep


def cuda_devices() -> list[str]:
    """NVIDIA device nodes, passed into the sandbox so student torch code can use CUDA."""
    return sorted(glob.glob("/dev/nvidia*"))


def _mount_args() -> list[str]:
    args: list[str] = []
    for directory in SYSTEM_DIRS:
        if os.path.islink(directory):
            args += ["--symlink", os.readlink(directory), directory]
        elif os.path.isdir(directory):
            args += ["--ro-bind", directory, directory]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for device in cuda_devices():
        args += ["--dev-bind", device, device]
    for directory in _python_dirs():
        args += ["--ro-bind", directory, directory]
    return args


def bubblewrap_prefix(work_dir: str, token: str) -> list[str]:
    environment = worker_environment(SANDBOX_ROOT, token)
    args = ["bwrap", *_mount_args(), "--bind", work_dir, SANDBOX_ROOT]
    args += ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
    for key, value in environment.items():
        args += ["--setenv", key, value]
    return args + ["--chdir", SANDBOX_ROOT]


def launch(
    work_dir: Path, fds: tuple[int, int], isolation: Isolation, token: str
) -> subprocess.Popen:
    """Start a worker over `work_dir` (which holds worker/ and submission/)."""
    if isolation.mode == "bubblewrap":
        root, env = SANDBOX_ROOT, None
        prefix = [*bubblewrap_prefix(str(work_dir), token), "--"]
    else:
        root, env, prefix = str(work_dir), worker_environment(str(work_dir), token), []
    command = [
        *prefix,
        sys.executable,
        "-I",
        f"{root}/worker/worker.py",
        str(fds[0]),
        str(fds[1]),
        f"{root}/submission",
        str(isolation.memory_bytes),
    ]
    return subprocess.Popen(
        command,
        pass_fds=fds,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
        cwd=str(work_dir),
    )


def choose_isolation(memory_bytes: int) -> Isolation:
    return Isolation("bubblewrap" if bubblewrap_works() else "plain", memory_bytes)


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
