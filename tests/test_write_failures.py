"""Failures on the write path, in process: one after the switch of ``current`` (the commit point)
never removes the generation just published, and a storage error of the engine during an update
is the server's fault, never a 400 whose message names the server's files."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

import hrgraph.build.writes
from hrgraph.build.writes import StoreWriter, WriteRefused, journal_entries
from hrgraph.errors import BadInput
from hrgraph.settings import Limits
from hrgraph.store.generations import StoreError, StoreLocation
from hrgraph.store.local import GraphStore

EX = "http://example.org/"


def _published(path: Path) -> StoreLocation:
    location = StoreLocation(path)
    with location.lock(), location.begin() as generation:
        GraphStore.create(generation.path).close()
        generation.publish()
    return location


def _write_with_entry(location: StoreLocation, text: str) -> tuple[Path, Path]:
    """Under the lock: a new generation with a staged write-log entry, published; returns the
    generation and the entry's final path (whatever the publish raised is left to the caller)."""
    with location.lock(), location.begin() as generation:
        GraphStore.create(generation.path).close()
        location.writes_dir.mkdir(exist_ok=True)
        final = location.writes_dir / f"{generation.number:06d}.ru"
        temporary = location.writes_dir / "entry.tmp"
        temporary.write_text(text)
        generation.stage(temporary, final)
        generation.publish()
    return generation.path, final


def _fail_in_publish(monkeypatch: pytest.MonkeyPatch, name: str, error: BaseException) -> None:
    """Make ``StoreLocation.<name>`` raise ``error`` when ``publish`` calls it (not elsewhere)."""
    original: Callable[..., object] = getattr(StoreLocation, name)

    def failing(self: StoreLocation, *args: object) -> object:
        if inspect.currentframe().f_back.f_code.co_name == "publish":  # type: ignore[union-attr]
            raise error
        return original(self, *args)

    monkeypatch.setattr(StoreLocation, name, failing)


def test_an_error_after_the_switch_is_logged_and_the_published_generation_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    location = _published(tmp_path / "store")
    _fail_in_publish(monkeypatch, "prune", PermissionError(13, "Permission denied", "/srv/pin"))
    with caplog.at_level(logging.ERROR, logger="hrgraph.store.generations"):
        generation, entry = _write_with_entry(location, "# the entry")
    assert location.current() == generation.resolve()
    assert generation.is_dir()
    assert entry.read_text() == "# the entry"
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [PermissionError]
    monkeypatch.undo()
    later, _ = _write_with_entry(location, "# later")
    assert location.current() == later.resolve()
    assert [p.name for p in journal_entries(location.path)] == [entry.name, f"{later.name[:6]}.ru"]


def test_an_interrupt_after_the_switch_keeps_the_published_generation_for_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = _published(tmp_path / "store")
    _fail_in_publish(monkeypatch, "_staged", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        _write_with_entry(location, "# the entry")
    generation = location.current()
    assert generation is not None
    assert generation.is_dir()
    assert generation.name.startswith("000002-")
    assert journal_entries(location.path) == []  # still staged: the next recover() moves it
    monkeypatch.undo()
    with location.lock():
        location.recover()
    assert [p.read_text() for p in journal_entries(location.path)] == ["# the entry"]
    later, _ = _write_with_entry(location, "# later")
    assert location.current() == later.resolve()


class _FailingUpdates:
    """An engine whose storage fails on update, as RocksDB does on a full or broken disk."""

    def __init__(self, store: ox.Store, error: Exception) -> None:
        self._store, self._error = store, error

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def __len__(self) -> int:
        return len(self._store)

    def update(self, _sparql: str) -> None:
        raise self._error


@pytest.mark.parametrize("kind", ["I/O", "corruption"])
def test_a_storage_error_during_an_update_is_not_the_clients_fault_nor_shown_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    location = _published(tmp_path / "store")
    served = location.current()
    assert served is not None
    fill_copy = hrgraph.build.writes._fill_copy
    storage_error = (
        OSError("IO error: While appending to file: /srv/secret/generations/000042/1.sst")
        if kind == "I/O"
        else RuntimeError(f"Corruption: bad block in {location.generations_dir}/000042/1.sst")
    )

    def failing_fill_copy(current: Path, generation: Path, apply: Callable[..., None]) -> int:
        return fill_copy(
            current, generation, lambda store: apply(_FailingUpdates(store, storage_error))
        )

    monkeypatch.setattr(hrgraph.build.writes, "_fill_copy", failing_fill_copy)
    with pytest.raises(StoreError) as failed:
        StoreWriter(location, Limits()).update(f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }}")
    error = failed.value
    assert not isinstance(error, BadInput)
    assert (error.status, error.public) == (500, False)  # HTTP: a generic answer, message logged
    assert str(storage_error) in str(error)  # for the server's log
    assert location.current() == served
    assert sorted(p.name for p in location.generations_dir.iterdir()) == [".lock", served.name]
    assert journal_entries(location.path) == []
    monkeypatch.undo()  # an engine error that is the update's fault stays a 400 with its reason
    with pytest.raises(WriteRefused) as refused:
        StoreWriter(location, Limits()).update(f"DROP GRAPH <{EX}missing>")
    assert (refused.value.status, str(refused.value)) == (
        400,
        f"the update failed: The graph <{EX}missing> does not exist",
    )
