"""Making what a writer wrote durable before it counts: ``fsync`` of files and folders
(docs/architecture.md, layer "store"; used by :mod:`hrgraph.store.generations`)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fsync_file(path)


def fsync_tree(root: Path) -> None:
    """Make a generation's files and folders durable before it is published."""
    for folder, _, files in os.walk(root):
        for name in files:
            fsync_file(Path(folder) / name)
        fsync_dir(Path(folder))
