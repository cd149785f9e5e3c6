"""What every killable child process does first (docs/architecture.md, "Worker processes"):
bound its memory, and exit when the server that started it is gone. Used by the query workers,
the update worker and the validation worker."""

from __future__ import annotations

import os
import resource
import threading
import time


def limit_memory(max_memory_mb: int) -> None:
    """Cap this process's address space (``RLIMIT_AS``): past it an allocation fails and the
    child reports "out of memory" instead of the kernel killing the server; 0 means no cap."""
    if max_memory_mb > 0:
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def exit_with_parent() -> None:
    """Exit when the server process is gone (even killed), so no orphan keeps running a
    query: a watchdog thread, since queries release the GIL."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()
