"""The generations of an on-disk store: its folder (:class:`StoreLocation`), the store lock, the
readers' pins, and the lifecycle of a new generation (:class:`Generation`); docs/architecture.md,
layer "store".

An on-disk store is a folder of *generations*: each build writes a new generation and then
swaps the ``current`` symbolic link to it in one atomic rename, so a failed build never
touches what is being served, and a reader opened on the old generation keeps working.

One writer at a time, across processes: every publisher (a build, an HTTP write, an import)
holds the store lock, ``fcntl.flock`` on ``generations/.lock`` (:meth:`StoreLocation.lock`),
from the moment it reads the current generation until it has published. The kernel releases the
lock when its holder dies, even by ``kill -9``; the next holder then removes what the dead one
left (:meth:`StoreLocation.recover`). The switch of ``current`` is the commit point: files that
belong to a write (its write-log entry, an import's saved triples) are *staged* before it under
a name that records the generation, and count only if that generation was published.

Readers pin the generation they opened (a shared ``flock`` on ``generations/.pins/<name>``), and
pruning, done under the store lock, never removes the current generation, one a process has
pinned, or one being written.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, ClassVar

from hrgraph.errors import EXIT_BAD_INPUT, EXIT_FAILURE, HrgraphError
from hrgraph.store.durable import fsync_dir, fsync_file, fsync_tree

GENERATIONS_KEPT = 3
"""Older generations kept after a publish, so readers opened on them are not cut off."""
log = logging.getLogger("hrgraph.store.generations")

LOCK_FILE = ".lock"
PINS_FOLDER = ".pins"
WRITES_FOLDER = "writes"
"""The store's write log (``hrgraph.build.writes``), replayed by every build after the sources."""
STAGED = ".staged-"
"""Prefix of a file waiting for its generation's publish: ``.staged-<number>-<final name>``."""
STAGED_FOLDERS = (WRITES_FOLDER, "imports/*")
"""Where staged files are looked for (relative to the store folder)."""

_HELD: dict[Path, int] = {}
"""Store locks held in this process (store folder -> the holding thread's id)."""
_HELD_GUARD = threading.Lock()
_THREAD_LOCKS: dict[Path, threading.Lock] = {}
"""Serialise this process's threads before the flock (which is per process, not per thread)."""


class StoreError(HrgraphError):
    """The store cannot be opened, created or written; the message names the path. On the
    command line the store named is at fault (exit code 2); over HTTP the service failed (500,
    the message, which names the server's paths, only logged)."""

    exit_code: ClassVar[int] = EXIT_BAD_INPUT
    public: ClassVar[bool] = False


class StoreBusy(StoreError):
    """Another process held the store lock for longer than the caller would wait: a runtime
    condition, not bad input (exit code 1)."""

    exit_code: ClassVar[int] = EXIT_FAILURE


class _Wait:
    """Waiting for a lock that others may hold: tries until it is had, tells ``waiting`` once
    that it is busy, and gives up with :class:`StoreBusy` after ``wait_s`` (``None``: never);
    one budget for all the locks a writer takes in turn."""

    def __init__(self, wait_s: float | None, waiting: Callable[[], None] | None) -> None:
        self.wait_s, self.waiting = wait_s, waiting
        self.started, self.told = time.monotonic(), False

    def until(self, acquired: Callable[[], bool], busy: str) -> None:
        while not acquired():
            if self.waiting is not None and not self.told:
                self.waiting()
                self.told = True
            if self.wait_s is not None and time.monotonic() - self.started > self.wait_s:
                raise StoreBusy(busy)


class StoreLocation:
    """An on-disk store folder: ``generations/<id>/`` and a ``current`` link to one of them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.current_link = path / "current"
        self.generations_dir = path / "generations"

    @property
    def lock_path(self) -> Path:
        return self.generations_dir / LOCK_FILE

    @property
    def writes_dir(self) -> Path:
        return self.path / WRITES_FOLDER

    def holds_lock(self) -> bool:
        """Whether this thread holds the store lock (taken with :meth:`lock`)."""
        with _HELD_GUARD:
            return _HELD.get(self._key()) == threading.get_ident()

    def _key(self) -> Path:
        return self.path.resolve()

    @contextlib.contextmanager
    def lock(
        self, wait_s: float | None = None, waiting: Callable[[], None] | None = None
    ) -> Iterator[None]:
        """Hold the store-wide writer lock for the ``with`` block (one writer at a time, across
        processes). ``wait_s``: how long to wait for another holder (``None``: as long as it
        takes), then :class:`StoreBusy`; ``waiting`` is called once if the lock is busy."""
        self.check_usable()
        key = self._key()
        with _HELD_GUARD:
            if _HELD.get(key) == threading.get_ident():
                raise StoreError(f"the store {self.path} is already locked by this thread")
            in_process = _THREAD_LOCKS.setdefault(key, threading.Lock())
        wait = _Wait(wait_s, waiting)
        wait.until(
            lambda: in_process.acquire(timeout=0.05),
            f"the store {self.path} is being written by another writer; try again when it has "
            "finished",
        )
        try:
            with self._flock(wait):
                with _HELD_GUARD:
                    _HELD[key] = threading.get_ident()
                try:
                    yield
                finally:
                    with _HELD_GUARD:
                        _HELD.pop(key, None)
        finally:
            in_process.release()

    @contextlib.contextmanager
    def _flock(self, wait: _Wait) -> Iterator[None]:
        try:
            self.generations_dir.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StoreError(f"cannot lock the store {self.path}: {error.strerror}") from None

        def locked() -> bool:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                time.sleep(0.05)
                return False
            return True

        try:
            wait.until(
                locked,
                f"the store {self.path} is being written by another process (a build, an "
                "import or a write); try again when it has finished",
            )
        except BaseException:
            os.close(descriptor)
            raise
        try:
            yield
        finally:
            os.close(descriptor)  # releases the flock

    def recover(self) -> None:
        """Under the lock: finish or undo what a writer that died left behind. Staged files of
        a published generation are moved into place, those of an unpublished one removed, and
        generations newer than ``current`` (never published; nobody else writes while we hold
        the lock) are removed with old ones (:meth:`prune`)."""
        current = self.current()
        published = self._number(current) if current is not None else 0
        for staged in self._staged():
            number, final = _parse_staged(staged)
            if number <= published:
                os.replace(staged, final)
            else:
                staged.unlink(missing_ok=True)
        self.prune()

    def _staged(self) -> list[Path]:
        found: list[Path] = []
        for pattern in STAGED_FOLDERS:
            for folder in sorted(self.path.glob(pattern)):
                if folder.is_dir():
                    found += sorted(p for p in folder.iterdir() if p.name.startswith(STAGED))
        return found

    def stage(self, temporary: Path, final: Path, generation: Path) -> None:
        """Under the lock, before publishing ``generation``: put ``temporary`` (written and
        closed) next to ``final`` under a staged name. It becomes ``final`` when the generation
        is published (:meth:`publish`), or, if this process dies first, at the next
        :meth:`recover` if the generation was published and is removed if it was not."""
        staged = final.parent / f"{STAGED}{self._number(generation):06d}-{final.name}"
        fsync_file(temporary)
        os.replace(temporary, staged)
        fsync_dir(final.parent)

    def check_usable(self) -> None:
        """Refuse a path that is a file, unreadable, or a non-empty folder that is not a store."""
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store path {self.path} exists and is not a folder")
        if self.path.is_dir():
            if not os.access(self.path, os.R_OK | os.W_OK | os.X_OK):
                raise StoreError(f"store path {self.path} is not readable and writable")
            entries = {entry.name for entry in self.path.iterdir()}
            if entries and not entries & {"current", "generations"}:
                raise StoreError(
                    f"store path {self.path} is a non-empty folder that is not an hrgraph store; "
                    "choose an empty or new folder"
                )

    def current(self) -> Path | None:
        """The generation being served, or ``None`` if nothing was ever built here."""
        if not self.current_link.is_symlink():
            return None
        target = self.current_link.resolve()
        return target if target.is_dir() else None

    def begin(self) -> Generation:
        """A new, empty :class:`Generation` to fill and then publish or discard; under the store
        lock (:meth:`lock`), after :meth:`recover`."""
        if not self.holds_lock():
            raise StoreError(f"a new generation of {self.path} needs the store lock")
        return Generation(self, self.new_generation())

    def new_generation(self) -> Path:
        """A new, empty generation folder, numbered after every existing one."""
        self.check_usable()
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        numbers = [self._number(p) for p in self._generations()]
        if self.writes_dir.is_dir():  # write-log entries are named by number: never reuse one
            numbers += [int(p.stem) for p in self.writes_dir.iterdir() if p.stem.isdigit()]
        number = max(numbers, default=0) + 1
        while True:
            generation = self.generations_dir / f"{number:06d}-{stamp}"
            try:
                generation.mkdir(parents=True)
                return generation
            except FileExistsError:
                number += 1  # a concurrent build took this number
            except OSError as error:
                raise StoreError(
                    f"cannot create a store generation in {self.path}: {error}"
                ) from None

    def _generations(self) -> list[Path]:
        if not self.generations_dir.is_dir():
            return []
        return sorted(
            p for p in self.generations_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    @staticmethod
    def _number(generation: Path) -> int:
        head = generation.name.split("-", 1)[0]
        return int(head) if head.isdigit() else 0

    def publish(self, generation: Path) -> None:
        """Durably and atomically make ``generation`` the current one (its files and the switch
        of ``current`` fsynced), then move its staged files into place and prune, under the store
        lock (taken here if not held). A failure after the switch (the commit point) is only
        logged: the next :meth:`recover` finishes what it left undone."""
        if not self.holds_lock():
            with self.lock():
                self.publish(generation)
            return
        fsync_tree(generation)
        fsync_dir(self.generations_dir)  # the generation's entry is durable before it is named
        temporary = self.path / f".current-{os.getpid()}"
        if temporary.is_symlink():
            temporary.unlink()
        temporary.symlink_to(generation.relative_to(self.path))
        os.replace(temporary, self.current_link)
        fsync_dir(self.path)
        try:
            for staged in self._staged():
                if _parse_staged(staged)[0] <= self._number(generation):
                    os.replace(staged, _parse_staged(staged)[1])
            self.prune()
        except Exception:
            log.exception("%s is published; the next writer finishes its staged files", generation)

    def prune(self, keep: int = GENERATIONS_KEPT) -> None:
        """Remove old generations, keeping the ``keep`` newest up to ``current``, and any that a
        reader has pinned; generations newer than ``current`` are unpublished leftovers of a
        writer that died. Only under the store lock (nobody else is writing one)."""
        current = self.current()
        if current is None:
            return
        published = self._number(current)
        generations = sorted(self._generations(), key=self._number)
        older = [g for g in generations if self._number(g) <= published and g != current]
        kept = set(older[len(older) - (keep - 1) :] if keep > 1 else [])
        for generation in generations:
            if generation == current or generation in kept:
                continue
            if self._number(generation) > published:
                shutil.rmtree(generation, ignore_errors=True)  # never published, never pinned
            else:
                self._remove_unpinned(generation)

    def _remove_unpinned(self, generation: Path) -> None:
        pin = self.generations_dir / PINS_FOLDER / generation.name
        try:
            handle = pin.open("rb")
        except FileNotFoundError:
            shutil.rmtree(generation, ignore_errors=True)
            return
        except OSError:
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a process is reading it; removed by a later prune
            shutil.rmtree(generation, ignore_errors=True)
            pin.unlink(missing_ok=True)

    def pin(self, generation: Path) -> IO[bytes] | None:
        """Pin ``generation`` for a reader (a shared flock kept until the handle is closed, or
        the process ends): pruning leaves it alone. ``None`` for a store folder the reader
        cannot write to (read without a pin); :class:`_Gone` if it was removed meanwhile."""
        folder = self.generations_dir / PINS_FOLDER
        try:
            folder.mkdir(exist_ok=True)
            handle = (folder / generation.name).open("ab")
        except OSError:
            return None
        fcntl.flock(handle, fcntl.LOCK_SH)
        if not generation.is_dir():
            handle.close()
            raise _Gone
        return handle

    @staticmethod
    def discard(generation: Path) -> None:
        shutil.rmtree(generation, ignore_errors=True)


class Generation:
    """One new store generation from its creation to its end, the lifecycle every writer of an
    embedded store shares (``hrgraph build``, HTTP writes, imports): it is filled, then either
    published (:meth:`publish`, the commit point: ``current`` switches to it and its staged files
    move into place) or discarded (:meth:`discard`: removed with whatever was staged for it).
    Leaving the ``with`` block without publishing discards it, so a failure before the switch
    leaves the previous generation serving (one after it, this one). Created by
    :meth:`StoreLocation.begin`, under the store lock; nobody reads it until it is published.

    >>> import tempfile
    >>> from hrgraph.store.local import GraphStore
    >>> location = StoreLocation(Path(tempfile.mkdtemp()) / "store")
    >>> with location.lock(), location.begin() as generation:
    ...     GraphStore.create(generation.path).close()
    ...     generation.publish()
    >>> location.current() == generation.path
    True
    >>> with location.lock(), location.begin() as failed:
    ...     pass  # not published
    >>> failed.path.exists(), location.current() == generation.path
    (False, True)
    """

    def __init__(self, location: StoreLocation, path: Path) -> None:
        self.location = location
        self.path = path
        self.ended = False

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def number(self) -> int:
        """The generation's number, also the number of its write-log entry (if any)."""
        return StoreLocation._number(self.path)

    def stage(self, temporary: Path, final: Path) -> None:
        """Put ``temporary`` in place as ``final`` if and only if this generation is published
        (:meth:`StoreLocation.stage`)."""
        self.location.stage(temporary, final, self.path)

    def publish(self) -> None:
        """Make this generation the current one, durably and atomically."""
        self.location.publish(self.path)
        self.ended = True

    def discard(self) -> None:
        """Remove this generation and what was staged for it, unless it is the current one."""
        if not self.ended and self.location.current() != self.path.resolve():
            StoreLocation.discard(self.path)
            self.location.recover()  # drops the files staged for the discarded generation
        self.ended = True

    def __enter__(self) -> Generation:
        return self

    def __exit__(self, *_exception: object) -> None:
        if not self.ended:
            self.discard()


class _Gone(Exception):
    """The generation was pruned between reading ``current`` and pinning it."""


def _parse_staged(staged: Path) -> tuple[int, Path]:
    number, _, name = staged.name.removeprefix(STAGED).partition("-")
    return (int(number) if number.isdigit() else 1 << 62), staged.parent / name
