"""At import, starts a detached `sleep 1000` and a double-forked daemon that outlive the grader.

Both inherit the process's stdout/stderr, so a grader that waits for EOF on those pipes
hangs unless it kills the whole sandbox (session, cgroup or namespace), not just its child.
The pids are written to /tmp/LAYERS_BG_SLEEP_PID and /tmp/LAYERS_BG_DAEMON_PID.
"""

import contextlib
import os
import subprocess
import time

EXPECT = {
    "lose": [],
    "no_leftover_processes": True,
    "pid_files": ["/tmp/LAYERS_BG_SLEEP_PID", "/tmp/LAYERS_BG_DAEMON_PID"],
}


def _write_pid(path, pid):
    try:
        with open(path, "w") as fh:
            fh.write(f"{pid}\n")
    except OSError:
        pass


def _spawn_sleep():
    try:
        proc = subprocess.Popen(["sleep", "1000"], start_new_session=True)
        _write_pid("/tmp/LAYERS_BG_SLEEP_PID", proc.pid)
    except Exception:
        pass


def _spawn_daemon():
    try:
        pid = os.fork()
    except OSError:
        return
    if pid > 0:
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        return
    # first child: new session, fork again and exit so the grandchild is reparented
    try:
        os.setsid()
        if os.fork() > 0:
            os._exit(0)
        _write_pid("/tmp/LAYERS_BG_DAEMON_PID", os.getpid())
        time.sleep(1000)
    finally:
        os._exit(0)


_spawn_sleep()
_spawn_daemon()
