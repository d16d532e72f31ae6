"""Headless Chromium for the HTML report tests: open a page, read its console, measure it
with every section open, and take a screenshot at a laptop's width."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

FLAGS = [
    "--headless=new",
    "--no-sandbox",  # root in a container: Chromium's own sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers have a small /dev/shm
    "--hide-scrollbars",  # a screenshot shows the page, not the window's scrollbar
    "--enable-logging=stderr",  # page console messages go to stderr ...
    "--v=0",  # ... as `INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)`
]
BROWSER_TIMEOUT = 60
# Chromium logs every console message (log, warn, error, uncaught exception) at INFO, so
# the level cannot be told apart: the report page has no script, so it must log nothing.
CONSOLE = re.compile(r':CONSOLE[:(]\d*\)?\] "(?P<message>.*)", source: ')
WINDOW_WIDTH = 1280
# Injected into a copy of a page: opens every <details> (a closed one lays out nothing, so
# it could hide an overflow), then logs the page's size and every image not decoded.
MEASURE = (
    "<script>addEventListener('load', () => {"
    "for (const section of document.querySelectorAll('details')) section.open = true;"
    "const page = document.documentElement;"
    "for (const img of document.images) if (!img.naturalWidth) console.log('broken ' + img.alt);"
    "console.log('size ' + page.scrollWidth + ' ' + page.scrollHeight); });</script>"
)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium or chromium-browser in PATH (apt-get install chromium)")
    return found


def browse(binary: str, page: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Open the page once in headless Chromium, with a profile of its own; a page that
    blocks (an alert() dialog waits forever) fails the test instead of hanging it."""
    profile = page.parent / f"profile-{page.stem}"
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *options, page.as_uri()]
    pipe = subprocess.PIPE
    with subprocess.Popen(
        command, stdout=pipe, stderr=pipe, text=True, start_new_session=True
    ) as browser:
        try:
            stdout, stderr = browser.communicate(timeout=BROWSER_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(browser.pid, signal.SIGKILL)
            browser.communicate()
            pytest.fail(f"Chromium still busy with {page.name} after {BROWSER_TIMEOUT} s")
    assert browser.returncode == 0, stderr
    return subprocess.CompletedProcess(command, browser.returncode, stdout, stderr)


def console_messages(stderr: str) -> list[str]:
    return [match["message"] for match in CONSOLE.finditer(stderr)]


def measure(binary: str, page: Path, shot: Path, height: int = 3000) -> tuple[int, list[str]]:
    """The page's width with every section open, and what it logged besides (nothing, for a
    report); a screenshot of its top `height` pixels at 1280 px goes to `shot`."""
    probe = page.with_name(f"{page.stem}-measured.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"))
    window = f"--window-size={WINDOW_WIDTH},{height}"
    messages = console_messages(browse(binary, probe, window, f"--screenshot={shot}").stderr)
    sizes = [message for message in messages if message.startswith("size ")]
    assert len(sizes) == 1, messages
    keep_screenshot(shot)
    return int(sizes[0].split()[1]), [m for m in messages if m not in sizes]


def keep_screenshot(shot: Path) -> None:
    """A copy for a person to look at, when GRADER_SCREENSHOT_DIR names a folder."""
    if target := os.environ.get("GRADER_SCREENSHOT_DIR"):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)
