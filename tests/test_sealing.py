"""The grading side is sealed: student code cannot reach the reference, the grader's files or
the course pack, whichever way the grader was installed, and cannot end or signal the grader.

Each cheat in corpus/layers/sealing/ tries one channel to get the reference's affine_forward
and relu_forward and raises when it cannot; it must score 0 on both, graded (those two
functions only) by an editable install under bubblewrap, a regular `pip install .` under
bubblewrap, and the regular install in plain mode as root (the worker as `nobody`). Run
directly, or graded as the grader's own user, the same cheats do get the reference.
"""

from __future__ import annotations

import importlib.metadata as importlib_metadata
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, ROOT

from grader.sandbox import launcher, mounts, seal
from grader.sandbox.client import StudentCallFailed, Worker
from grader.sandbox.launcher import Isolation, bubblewrap_works

SEALING = CORPUS / "sealing"
CHANNELS = sorted(path.stem for path in SEALING.glob("*.py") if path.stem != "common")
FUNCTIONS = ("affine_forward", "relu_forward")
DRIVER = Path(__file__).with_name("sealing_driver.py")
KNOWN_REFERENCE = ROOT / "reference" / "layers.py"
SITE_PACKAGES = Path(np.__file__).resolve().parents[1]  # the test environment's libraries
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
needs_bubblewrap = pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap unavailable")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the grader is not root")
needs_system_python = pytest.mark.skipif(
    not SYSTEM_PYTHON.exists(), reason=f"no {SYSTEM_PYTHON} for a regular install"
)


def build_cheats(directory: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """One submission folder per channel: constants, the channel, then common.py."""
    header = f"KNOWN_REFERENCE = {str(KNOWN_REFERENCE)!r}\nSKIP = {skip!r}\nBUDGET = 3.0\n\n"
    common = (SEALING / "common.py").read_text()
    folders = []
    for channel in CHANNELS:
        folder = directory / channel
        folder.mkdir(parents=True)
        text = (SEALING / f"{channel}.py").read_text()
        (folder / "layers.py").write_text(f"{header}{text}\n\n{common}")
        folders.append(folder)
    return folders


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what selects a grader, a course or a mode."""
    names = ("PYTHONPATH", "VIRTUAL_ENV", "GRADER_NO_BWRAP", "GRADER_COURSE", "GRADER_WORKER_USER")
    environment = {key: value for key, value in os.environ.items() if key not in names}
    return {**environment, **extra}


def run(command: list[str], cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """In a session of its own: a submission that got through to the grader's process
    group would end only that."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        start_new_session=True,
    )


def grade_cheats(python: str, cheats: list[Path], cwd: Path, environment: dict) -> dict:
    result = run([python, str(DRIVER), ",".join(FUNCTIONS), *map(str, cheats)], cwd, environment)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def assert_sealed(graded: dict) -> None:
    leaked = {
        cheat: points
        for cheat, points in graded["scores"].items()
        if any(score > 0 for score, _ in points.values())
    }
    assert set(graded["scores"]) == set(CHANNELS)
    assert not leaked, f"cheats that got points: {leaked} ({graded['isolation']})"


@pytest.fixture(scope="session")
def regular_install() -> Iterator[tuple[str, dict[str, str]]]:
    """`pip install --no-deps .` of this checkout into a venv of the system Python (which
    `nobody` can run), with numpy copied in for the worker and the course's reference/ as a
    stale build/ folder would leave it in site-packages; the grader's other dependencies
    reach only the grader process (PYTHONPATH, which `python -I` workers ignore). Yields its
    python and the environment to run it in."""
    base = Path(tempfile.mkdtemp(prefix="sealing-install-"))
    base.chmod(0o755)
    venv, source = base / "venv", base / "source"
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
    (site_packages,) = venv.glob("lib/python3*/site-packages")
    no_caches = shutil.ignore_patterns("__pycache__")
    for entry in SITE_PACKAGES.glob("numpy*"):  # with its bytecode, as pip leaves it
        shutil.copytree(entry, site_packages / entry.name)
    shutil.copytree(ROOT / "reference", site_packages / "reference", ignore=no_caches)
    shutil.copytree(ROOT / "grader", source / "grader", ignore=no_caches)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    environment = clean_environment(PYTHONPATH=str(SITE_PACKAGES), GRADER_COURSE=str(ROOT))
    pip = ["-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
    python = str(venv / "bin" / "python")
    subprocess.run([python, *pip, str(source)], check=True, env=environment, cwd=base)
    yield python, environment
    shutil.rmtree(base, ignore_errors=True)


def _traversable_by_others(folder: Path) -> bool:
    """Whether other users may pass through the folder (not followed if a link): nothing
    under one they may not is theirs to read, so the walk below need not enter it."""
    try:
        mode = folder.lstat().st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode) and bool(mode & stat.S_IXOTH)


def other_checkouts() -> tuple[str, ...]:
    """Course copies on this machine other than the pack the grader was given (other
    checkouts of this project, a CI clone's origin, copies in /tmp): readable by every
    user, so plain mode cannot protect them; the pack it grades with is what it seals.
    Folders other users cannot pass through are not entered: what is under them is safe,
    and every folder above a copy found is one they can pass through."""
    found = []
    for root, dirs, files in os.walk("/"):
        if root == "/":
            dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
        dirs[:] = [d for d in dirs if _traversable_by_others(Path(root) / d)]
        if Path(root).name == "reference" and "layers.py" in files:
            copy = Path(root) / "layers.py"
            readable = copy.stat().st_mode & stat.S_IROTH  # the walk checked its folders
            if Path(root).parent.resolve() != ROOT.resolve() and readable:
                found.append(str(Path(root).parent.resolve()))
    return tuple(found)


@pytest.mark.parametrize("channel", CHANNELS)
def test_each_cheat_gets_the_reference_when_nothing_stops_it(channel: str, tmp_path: Path) -> None:
    """The control: run directly by the grader's Python in the checkout, every cheat works."""
    (cheat,) = [folder for folder in build_cheats(tmp_path) if folder.name == channel]
    environment = clean_environment(PYTHONPATH=str(ROOT))
    result = run([sys.executable, str(cheat / "layers.py")], ROOT, environment)
    assert result.stdout.strip() == "leaked", result.stderr[-2000:]


@pytest.mark.slow
def test_cheats_score_when_graded_as_the_graders_own_user(tmp_path: Path) -> None:
    """The graded control: plain mode as the grader's own user seals nothing but signals,
    and each cheat that can work there gets full marks (the reference is not on the worker's
    sys.path there, so the import cheat alone cannot)."""
    environment = clean_environment(
        PYTHONPATH=str(ROOT), GRADER_NO_BWRAP="1", GRADER_WORKER_USER="root"
    )
    graded = grade_cheats(sys.executable, build_cheats(tmp_path), ROOT, environment)
    assert "plain process as the grader's own user, WEAKER" in graded["isolation"]
    for cheat, points in graded["scores"].items():
        if cheat != "import_reference":
            assert all(score == maximum for score, maximum in points.values()), cheat


@pytest.mark.slow
@needs_bubblewrap
def test_editable_install_is_sealed(tmp_path: Path) -> None:
    environment = clean_environment(PYTHONPATH=str(ROOT))
    graded = grade_cheats(sys.executable, build_cheats(tmp_path), ROOT, environment)
    assert graded["grader"].startswith(str(ROOT))
    assert graded["isolation"].startswith("bubblewrap sandbox")
    assert_sealed(graded)


@pytest.mark.slow
@needs_bubblewrap
@needs_system_python
def test_regular_install_is_sealed(regular_install, tmp_path: Path) -> None:
    python, environment = regular_install
    graded = grade_cheats(python, build_cheats(tmp_path / "cheats"), tmp_path, environment)
    assert "site-packages" in graded["grader"]
    assert graded["isolation"].startswith("bubblewrap sandbox")
    assert_sealed(graded)


@pytest.fixture
def plain_as_root(regular_install) -> Iterator[tuple[str, dict[str, str]]]:
    """The regular install in plain mode; the grader makes the course pack's reference/
    private, and its mode is put back afterwards."""
    python, environment = regular_install
    mode = KNOWN_REFERENCE.parent.stat().st_mode
    yield python, {**environment, "GRADER_NO_BWRAP": "1"}
    KNOWN_REFERENCE.parent.chmod(mode)


@pytest.mark.slow
@needs_root
@needs_system_python
def test_plain_mode_as_root_is_sealed(plain_as_root, tmp_path: Path) -> None:
    python, environment = plain_as_root
    cheats = build_cheats(tmp_path / "cheats", skip=other_checkouts())
    graded = grade_cheats(python, cheats, tmp_path, environment)
    assert KNOWN_REFERENCE.parent.stat().st_mode & 0o077 == 0
    assert "runs as user nobody" in graded["isolation"]
    assert "reference/ is unreadable to that user" in graded["isolation"]
    assert_sealed(graded)


KILLER = textwrap.dedent(
    """
    import os, signal
    import numpy as np

    def affine_forward(x, w, b):
        os.kill(os.getppid(), signal.SIGKILL)
        return x.reshape(x.shape[0], -1) @ w + b, (x, w, b)

    def relu_forward(x):
        {kill_more}
        return np.maximum(x, 0), x

    def leaky_relu_forward(x, alpha):
        os.abort()
    """
)


def grade_killer(python: str, cwd: Path, environment: dict, kill_more: str, out: Path) -> dict:
    (out.parent / "killer").mkdir()
    (out.parent / "killer" / "layers.py").write_text(KILLER.format(kill_more=kill_more))
    command = [python, "-m", "grader", "grade", "layers", str(out.parent / "killer")]
    result = run([*command, "--format", "json", "--out", str(out)], cwd, environment)
    assert result.returncode == 0, result.stderr[-3000:]
    tests = json.loads(out.read_text())["tests"]
    return {
        function: [test for test in tests if test["name"].startswith(f"{function}:")]
        for function in ("affine_forward", "relu_forward", "leaky_relu_forward")
    }


def assert_grader_survived(tests: dict) -> None:
    for function in ("affine_forward", "relu_forward"):
        assert tests[function] and all(test["score"] == 0 for test in tests[function])
        assert "PermissionError" in tests[function][0]["output"], tests[function][0]
    assert "SIGABRT" in tests["leaky_relu_forward"][0]["output"]


@pytest.mark.slow
def test_killing_the_grader_fails_as_the_graders_own_user(tmp_path: Path) -> None:
    """Only the seccomp filter stands between a same-user worker and the grader (kill(-1)
    is not tried here: as root it would reach every process on the machine)."""
    environment = clean_environment(
        PYTHONPATH=str(ROOT), GRADER_NO_BWRAP="1", GRADER_WORKER_USER="root"
    )
    kill_group = "os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)"
    tests = grade_killer(sys.executable, ROOT, environment, kill_group, tmp_path / "out.json")
    assert_grader_survived(tests)


@pytest.mark.slow
@needs_root
@needs_system_python
def test_killing_everything_fails_as_nobody(plain_as_root, tmp_path: Path) -> None:
    python, environment = plain_as_root
    kill_all = "os.kill(-1, signal.SIGKILL)"
    assert_grader_survived(
        grade_killer(python, tmp_path, environment, kill_all, tmp_path / "out.json")
    )


MODES = [pytest.param("bubblewrap", marks=needs_bubblewrap), "plain"]

STUDENT = textwrap.dedent(
    """
    import ctypes, os, resource, signal, sys, threading, time
    import numpy as np

    def _errno(action):
        try:
            action()
        except OSError as error:
            return error.errno
        return 0

    def probe():
        parent = os.getppid()
        libc = ctypes.CDLL(None, use_errno=True)
        return {
            "parent": _errno(lambda: os.kill(parent, 0)),
            "everyone": _errno(lambda: os.kill(-1, 0)),
            "group": _errno(lambda: os.kill(0, 0)),
            "parent_group": _errno(lambda: os.killpg(os.getpgid(parent), 0)),
            "itself": _errno(lambda: os.kill(os.getpid(), 0)),
            "own_thread": _errno(lambda: signal.pthread_kill(threading.get_ident(), 0)),
            "parent_limits": _errno(lambda: resource.prlimit(parent, resource.RLIMIT_CPU)),
            "ptrace": libc.ptrace(2, parent, 0, 0) == -1 and ctypes.get_errno(),
            "numpy": float(np.linalg.norm(np.ones(4))),
        }

    def abort():
        os.abort()

    def close_reply():
        os.close(int(sys.argv[2]))
        time.sleep(60)

    def plug():
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        os.close(int(sys.argv[1]))
        return 1

    def echo(x):
        return x

    def ping():
        return "pong"
    """
)


@pytest.fixture(params=MODES)
def worker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Worker]:
    (tmp_path / "student.py").write_text(STUDENT)
    with Worker(tmp_path, Isolation(request.param, 2 * 2**30), timeout=3.0) as running:
        yield running


def test_the_worker_can_signal_only_itself(worker: Worker) -> None:
    """Probed with signal 0 (permission check only): kill, killpg, kill(-1), prlimit and
    ptrace on other processes fail with EPERM; the worker itself and numpy are fine."""
    probed = worker.call("student", "probe", []).value
    denied = ("parent", "everyone", "group", "parent_group", "parent_limits", "ptrace")
    assert {key: probed[key] for key in denied} == dict.fromkeys(denied, 1)
    assert probed["itself"] == probed["own_thread"] == 0
    assert probed["numpy"] == 2.0
    assert worker.sealing == seal.IN_FORCE


def test_abort_still_crashes_only_the_worker(worker: Worker) -> None:
    with pytest.raises(StudentCallFailed) as caught:
        worker.call("student", "abort", [])
    assert caught.value.error.kind == "crash" and "SIGABRT" in caught.value.error.message
    assert worker.call("student", "echo", [1]).value == 1


def test_closing_the_reply_pipe_does_not_hang_the_grader(worker: Worker) -> None:
    worker.timeout = 1.0  # the call's timeout is what ends it
    began = time.monotonic()
    with pytest.raises(StudentCallFailed) as caught:
        worker.call("student", "close_reply", [])
    assert caught.value.error.kind == "crash" and time.monotonic() - began < 10
    assert worker.call("student", "echo", [1]).value == 1


def test_a_worker_that_stops_reading_does_not_block_the_grader(worker: Worker) -> None:
    """The worker's request pipe is kept open by a child that never reads it: a request
    larger than the pipe's buffer would block a plain write forever."""
    worker.timeout = 1.0  # the call's timeout is what ends it
    assert worker.call("student", "plug", []).value == 1
    began = time.monotonic()
    with pytest.raises(StudentCallFailed):
        worker.call("student", "echo", [np.zeros(2**20)])
    assert time.monotonic() - began < 10
    assert worker.call("student", "ping", []).value == "pong"


def test_unknown_architecture_skips_the_filter_and_says_so() -> None:
    code = "import seal; seal.ARCHES.clear(); print(seal.seal(private=False))"
    environment = clean_environment(PYTHONPATH=str(Path(launcher.__file__).parent))
    result = run([sys.executable, "-c", code], ROOT, environment)
    assert result.stdout.startswith("no seccomp filter (architecture "), result.stderr


@needs_bubblewrap
def test_filtered_view_covers_hidden_entries_at_any_depth(tmp_path: Path) -> None:
    """A hidden folder shows empty, a hidden file cannot be opened; the rest as it is, all
    read-only."""
    root = tmp_path / "prefix"
    site = root / "lib" / "python3" / "site-packages"
    for path in ("grader/__init__.py", "numpy/__init__.py", "reference/layers.py", "ok.pth"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("x")
    (root / "bin").mkdir()
    (root / "bin" / "grader").write_text("secret")
    (root / "bin" / "python").symlink_to("/usr/bin/python3")
    hidden = {site / "grader", site / "reference", root / "bin" / "grader"}
    args = ["bwrap", "--ro-bind", "/", "/", *mounts.view(root, hidden), "--"]
    listing = run([*args, "find", str(root)], tmp_path, clean_environment()).stdout.split()
    shown = {str(Path(path).relative_to(root)) for path in listing if path != str(root)}
    expected = {"lib", "lib/python3", "bin", "bin/python", "bin/grader"}
    expected |= {"lib/python3/site-packages", "lib/python3/site-packages/ok.pth"}
    expected |= {f"lib/python3/site-packages/{p}" for p in ("grader", "reference", "numpy")}
    assert shown == expected | {"lib/python3/site-packages/numpy/__init__.py"}
    script = run([*args, "cat", str(root / "bin" / "grader")], tmp_path, clean_environment())
    assert script.returncode != 0 and "secret" not in script.stdout
    for target in (site / "new", site / "grader" / "new"):
        write = run([*args, "touch", str(target)], tmp_path, clean_environment())
        assert write.returncode != 0


def test_the_distributions_files_are_hidden() -> None:
    hidden = mounts.hidden_paths()
    assert mounts.ENGINE_PACKAGE in hidden
    for distribution in importlib_metadata.distributions(name=mounts.DISTRIBUTION):
        for file in distribution.files or ():
            path = Path(os.path.normpath(Path(distribution.locate_file("")).resolve() / file))
            assert any(path == h or h in path.parents for h in hidden), path


@pytest.fixture
def fresh_probes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    refusal = launcher.bubblewrap_refusal  # the tests may replace it
    refusal.cache_clear()
    launcher._warn.cache_clear()
    monkeypatch.delenv("GRADER_NO_BWRAP", raising=False)
    yield
    refusal.cache_clear()


def test_missing_bubblewrap_is_told_apart_from_a_refused_one(
    fresh_probes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert launcher.bubblewrap_refusal() == "bubblewrap is not installed"
    launcher.bubblewrap_refusal.cache_clear()
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    assert launcher.bubblewrap_refusal() == (
        "bubblewrap is installed but refused here (bwrap: setting up uid map: Permission denied)"
    )


def test_weaker_isolation_is_told_once_on_stderr(
    fresh_probes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(
        launcher, "bubblewrap_refusal", lambda: "bubblewrap is installed but refused here (x)"
    )
    monkeypatch.setattr(launcher.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(launcher.seal, "undumpable", lambda: None)
    first = launcher.choose_isolation(2**30)
    launcher.choose_isolation(2**30)
    warnings = capsys.readouterr().err
    assert warnings.count("WARNING") == 1 and "refused here (x)" in warnings
    assert first.mode == "plain" and "WEAKER" in first.describe()
    assert "refused here (x); the grader is not root" in first.describe()
