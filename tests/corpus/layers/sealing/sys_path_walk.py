"""Walks sys.path and the site directories: the folders above every entry, entries named
`reference` or `grader`, paths named in .pth files and editable finders, and any file that
holds the solution's text."""

import os
import re
import site
import sys


def _site_dirs():
    dirs = [*sys.path, *site.getsitepackages(), site.getusersitepackages()]
    return [d for d in dirs if isinstance(d, str) and os.path.isdir(d)]


def _named_paths(folder):
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name in ("reference", "grader"):
            yield os.path.join(path, "layers.py")
            yield from around(path)
        if name.endswith((".pth", ".egg-link")) or name.startswith("__editable__"):
            try:
                with open(path, errors="replace") as handle:
                    text = handle.read(1 << 20)
            except OSError:
                continue
            for mentioned in re.findall(r"/[^\s'\"]+", text):
                yield from around(mentioned)


def _solution_text(folder):
    for root, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(root, name)


def leaks():
    folders = _site_dirs()
    for folder in folders:
        yield from around(folder)
    for folder in folders:
        yield from each(lambda folder=folder: _named_paths(folder))
    for folder in folders:
        yield from _solution_text(folder)
