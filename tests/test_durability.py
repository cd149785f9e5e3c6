"""Durability of writes, against real processes: a write acknowledged before `hrgraph build` is
there after it; a write during a build waits for it and is kept; two servers writing to one store
lose nothing; kill -9 of a write's process or of a build leaves the previous generation serving
and no partial state; an update past its deadline is stopped with a clear answer; SIGTERM stops a
server in the middle of a long update within seconds; a client that went away gets no write;
pruning never removes a generation a reader has pinned."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from servers import drop_generated, start_server, stop

from hrgraph.build.pipeline import BuildError, build
from hrgraph.build.writes import StoreWriter, journal_entries
from hrgraph.settings import Limits, Settings
from hrgraph.store.generations import StoreLocation
from hrgraph.store.local import GraphStore

pytestmark = pytest.mark.server

TOKEN = "durability-token-41d7"
AUTH = {"authorization": f"Bearer {TOKEN}"}
UPDATE = {"content-type": "application/sparql-update", **AUTH}
EX = "http://example.org/"
HRG = "https://w3id.org/hrgraph/ontology#"
ENV = {"HRGRAPH_WRITE_TOKEN": TOKEN}
SLOW_UPDATE = (
    f"INSERT {{ GRAPH <{EX}slow> {{ <{EX}slow> <{EX}count> ?n }} }} WHERE {{ "
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } "
    "GRAPH ?z { ?g ?h ?i } } }"
)
"""An update that runs for hours (a triple cartesian product) in little memory."""
BULK_TRIPLES = 150_000
"""Added to the project copy where a build must last a few seconds."""


def hrgraph(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("hrgraph")), *args]


def run_build(root: Path, store: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`hrgraph build` in a process of its own, as a user runs it."""
    return subprocess.run(
        hrgraph("--root", str(root), "build", "--store", str(store), *options),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def make_project(base: Path, project_root: Path, bulk: bool = False) -> tuple[Path, Path]:
    project = base / "project"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(project_root / folder, project / folder)
    drop_generated(project / "data")  # the mechanics of writes, on the curated data
    if bulk:
        with (project / "data" / "zz-bulk.nt").open("w") as handle:
            for number in range(BULK_TRIPLES):
                handle.write(f'<{EX}bulk/s{number}> <{EX}bulk/p> "{number}" .\n')
    store = project / "var" / "store"
    build(Settings(root=project, store_path=store))
    return project, store


def ask(url: str, query: str) -> bool:
    response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=60)
    assert response.status_code == 200, response.text
    answer: bool = response.json()["boolean"]
    return answer


def insert(url: str, name: str, timeout: float = 120) -> httpx.Response:
    update = f"INSERT DATA {{ GRAPH <{EX}kept> {{ <{EX}{name}> <{EX}p> '{name}' }} }}"
    return httpx.post(f"{url}/update", content=update, headers=UPDATE, timeout=timeout)


def generations(store: Path) -> list[str]:
    return sorted(p.name for p in (store / "generations").iterdir() if not p.name.startswith("."))


def current(store: Path) -> str:
    return (store / "current").resolve().name


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def new_child(pid: int, before: set[int], timeout: float = 30) -> int:
    """The first process started by ``pid`` that is not in ``before`` (the write's process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = children(pid) - before
        if started:
            return min(started)
        time.sleep(0.02)
    raise AssertionError("the server started no process for the write")


def wait_for(predicate: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


class Call(threading.Thread):
    """An HTTP request in the background; ``response`` or ``error`` once it is done."""

    def __init__(self, method: str, url: str, **kwargs: object) -> None:
        super().__init__(daemon=True)
        self.method, self.url, self.kwargs = method, url, kwargs
        self.response: httpx.Response | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.response = httpx.request(self.method, self.url, **self.kwargs)  # type: ignore[arg-type]
        except Exception as error:
            self.error = error


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> tuple[Path, Path]:
    return make_project(tmp_path_factory.mktemp("durable"), project_root)


@pytest.fixture(scope="module")
def server(project: tuple[Path, Path]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    root, store = project
    url, process = start_server(root, store, "--query-timeout", "4", env=ENV)
    yield url, process
    stop(process)


def test_a_write_acknowledged_before_a_build_is_still_there_after_it(
    server: tuple[str, subprocess.Popen[bytes]], project: tuple[Path, Path]
) -> None:
    url, _ = server
    root, store = project
    assert insert(url, "before-build").status_code == 204
    put = httpx.put(
        f"{url}/rdf-graphs/service",
        params={"graph": f"{EX}gsp-kept"},
        content=f"<{EX}gsp> <{EX}p> 'a \\\"quoted\\\" value'@en .",
        headers={"content-type": "text/turtle", **AUTH},
        timeout=60,
    )
    assert put.status_code == 201, put.text
    curated = f"<https://w3id.org/hrgraph/id/state/kaz> <{HRG}note> 'written over HTTP'"
    added = httpx.post(
        f"{url}/update",
        content=f"INSERT DATA {{ GRAPH <{EX}kept> {{ {curated} }} }}",
        headers=UPDATE,
        timeout=60,
    )
    assert added.status_code == 204
    entries = [p.name for p in journal_entries(store)]
    assert len(entries) == 3
    assert [name.rsplit(".", 1)[1] for name in entries] == ["ru", "nt", "ru"]

    done = run_build(root, store)
    assert done.returncode == 0, done.stderr
    assert "replaying 3 write(s) from writes/" in done.stdout + done.stderr
    assert ask(url, f"ASK {{ GRAPH <{EX}kept> {{ <{EX}before-build> <{EX}p> 'before-build' }} }}")
    assert ask(
        url, f"ASK {{ GRAPH <{EX}gsp-kept> {{ <{EX}gsp> <{EX}p> 'a \"quoted\" value'@en }} }}"
    )
    assert ask(url, f"ASK {{ {curated} }}")
    assert ask(url, f"ASK {{ ?x a <{HRG}Treaty> }}")  # and the sources, rebuilt
    # A second build replays the same log once more: nothing doubles.
    again = run_build(root, store, "--quiet")
    assert again.returncode == 0
    on_disk = GraphStore.open_read_only(StoreLocation(store))
    assert on_disk.graph_size(ox.NamedNode(f"{EX}kept")) == 2
    assert on_disk.graph_size(ox.NamedNode(f"{EX}gsp-kept")) == 1
    on_disk.close()


def test_a_write_waits_for_another_process_holding_the_lock_and_imports_and_builds_keep_it(
    server: tuple[str, subprocess.Popen[bytes]], project: tuple[Path, Path], project_root: Path
) -> None:
    url, _ = server
    root, store = project
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path\n"
         "from hrgraph.store.generations import StoreLocation\n"
         "with StoreLocation(Path(sys.argv[1])).lock():\n"
         "    print('locked', flush=True); time.sleep(3)\n",
         str(store)],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline() == b"locked\n"
    response = insert(url, "after-lock")
    assert response.status_code == 204, response.text
    assert holder.poll() == 0  # the write was published after the other process let go
    table = project_root / "tests" / "fixtures" / "imports" / "treaty-status-iccpr.csv"
    imported = subprocess.run(
        hrgraph("--root", str(root), "import", "ratifications", str(table), "--treaty", "iccpr",
                "--store", str(store), "--quiet"),
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    graph = "https://w3id.org/hrgraph/graph/import/ratifications/treaty-status-iccpr"
    assert ask(url, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert ask(url, f"ASK {{ <{EX}after-lock> <{EX}p> 'after-lock' }}")  # the import kept it
    rebuilt = run_build(root, store, "--quiet")
    assert rebuilt.returncode == 0
    assert ask(url, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert ask(url, f"ASK {{ <{EX}after-lock> <{EX}p> 'after-lock' }}")


def test_an_update_past_its_deadline_is_stopped_and_the_server_keeps_answering(
    server: tuple[str, subprocess.Popen[bytes]], project: tuple[Path, Path]
) -> None:
    url, process = server
    _, store = project
    before = current(store)
    response = httpx.post(f"{url}/update", content=SLOW_UPDATE, headers=UPDATE, timeout=120)
    assert response.status_code == 503
    assert response.json()["message"] == (
        "the update ran past the deadline of 4 s and was stopped; nothing was applied"
    )
    assert response.headers["retry-after"] == "5"
    assert current(store) == before
    assert httpx.get(f"{url}/health", timeout=10).status_code == 200
    assert not ask(url, f"ASK {{ <{EX}slow> ?p ?o }}")
    assert insert(url, "after-deadline").status_code == 204
    assert process.poll() is None


def test_a_deeply_nested_update_does_not_stop_the_server(
    server: tuple[str, subprocess.Popen[bytes]], project: tuple[Path, Path]
) -> None:
    """Refused by the checks (400) or, if it got past them, it crashes only the write's process
    (500); either way nothing is applied and the server answers."""
    url, process = server
    _, store = project
    before = current(store)
    depth = 5000
    update = f"INSERT {{ <{EX}deep> <{EX}p> 1 }} WHERE {{ {'{ ' * depth}?s ?p ?o{' }' * depth} }}"
    response = httpx.post(f"{url}/update", content=update, headers=UPDATE, timeout=120)
    assert response.status_code in {400, 500}
    assert set(response.json()) == {"status", "error", "message"}
    assert current(store) == before
    assert httpx.get(f"{url}/health", timeout=10).status_code == 200
    assert process.poll() is None


def test_kill_9_of_the_write_process_leaves_the_previous_store_serving(
    server: tuple[str, subprocess.Popen[bytes]], project: tuple[Path, Path]
) -> None:
    url, process = server
    _, store = project
    before_generation, before_children = current(store), children(process.pid)
    call = Call("POST", f"{url}/update", content=SLOW_UPDATE, headers=UPDATE, timeout=120)
    call.start()
    child = new_child(process.pid, before_children)
    wait_for(lambda: _locked(store))  # the write's process holds the store lock
    os.kill(child, signal.SIGKILL)
    call.join(60)
    assert call.response is not None, call.error
    assert call.response.status_code == 500
    assert call.response.json()["message"].startswith("the update stopped the process applying")
    assert current(store) == before_generation
    assert httpx.get(f"{url}/health", timeout=10).status_code == 200
    assert ask(url, f"ASK {{ ?x a <{HRG}Treaty> }}")
    # The next writer removes what the killed one left (its unpublished generation).
    assert insert(url, "after-kill").status_code == 204
    published = int(current(store).split("-")[0])
    assert all(int(name.split("-")[0]) <= published for name in generations(store))
    assert [p for p in (store / "writes").iterdir() if p.name.startswith(".")] == []


def _locked(store: Path) -> bool:
    """Whether a process holds the store lock."""
    import fcntl

    with (store / "generations" / ".lock").open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_a_client_that_goes_away_gets_no_write(
    server: tuple[str, subprocess.Popen[bytes]], project: tuple[Path, Path]
) -> None:
    url, process = server
    _, store = project
    before_generation, before_children = current(store), children(process.pid)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{url}/update", content=SLOW_UPDATE, headers=UPDATE, timeout=1.5)
    # The write's process is stopped well before the 4 s deadline would have stopped it.
    wait_for(lambda: not (children(process.pid) - before_children), timeout=3.5)
    assert current(store) == before_generation
    assert not ask(url, f"ASK {{ <{EX}slow> ?p ?o }}")


def test_two_servers_writing_to_one_store_lose_nothing(tmp_path: Path, project_root: Path) -> None:
    root, store = make_project(tmp_path, project_root)
    first, first_process = start_server(root, store, env=ENV)
    try:
        second, second_process = start_server(root, store, env=ENV)
        try:
            jobs = [(url, f"w{url[-5:]}-{n}") for n in range(4) for url in (first, second)]
            with ThreadPoolExecutor(max_workers=8) as pool:
                codes = list(pool.map(lambda job: insert(*job).status_code, jobs))
            assert codes == [204] * 8
            for url in (first, second):
                for _, name in jobs:
                    assert ask(url, f"ASK {{ <{EX}{name}> <{EX}p> '{name}' }}"), name
            assert len(journal_entries(store)) == 8
        finally:
            stop(second_process)
    finally:
        stop(first_process)


@pytest.fixture(scope="module")
def slow_project(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> tuple[Path, Path]:
    """A project whose build lasts a few seconds (a large extra data file)."""
    return make_project(tmp_path_factory.mktemp("slow"), project_root, bulk=True)


def _start_build(root: Path, store: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        hrgraph("--root", str(root), "build", "--store", str(store)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    before = len(generations(store))
    # The build holds the lock and has made its generation: it is under way.
    wait_for(lambda: len(generations(store)) > before or process.poll() is not None)
    assert process.poll() is None, "the build finished before the test could write"
    return process


def test_a_write_during_a_build_waits_for_it_and_is_kept(slow_project: tuple[Path, Path]) -> None:
    root, store = slow_project
    url, server = start_server(root, store, env=ENV)
    try:
        building = _start_build(root, store)
        assert _locked(store)
        response = insert(url, "during-build")
        assert building.wait(300) == 0
        assert response.status_code == 204, response.text
        assert ask(url, f"ASK {{ <{EX}during-build> <{EX}p> 'during-build' }}")
        assert ask(url, f"ASK {{ <{EX}bulk/s1> ?p ?o }}")
        # Published after the build's generation (it waited), and kept by the next build.
        again = run_build(root, store, "--quiet")
        assert again.returncode == 0
        assert ask(url, f"ASK {{ <{EX}during-build> <{EX}p> 'during-build' }}")
    finally:
        stop(server)


def test_kill_9_during_a_build_leaves_the_previous_store_serving(
    slow_project: tuple[Path, Path],
) -> None:
    root, store = slow_project
    url, server = start_server(root, store, env=ENV)
    try:
        served = current(store)
        building = _start_build(root, store)
        building.kill()
        building.wait(30)
        assert current(store) == served
        assert len(generations(store)) >= 2  # the killed build's, unpublished
        assert not _locked(store)  # the kernel released the dead build's lock
        assert httpx.get(f"{url}/health", timeout=10).status_code == 200
        assert ask(url, f"ASK {{ <{EX}bulk/s1> ?p ?o }}")
        assert insert(url, "after-killed-build").status_code == 204
        published = int(current(store).split("-")[0])
        assert all(int(name.split("-")[0]) <= published for name in generations(store))
    finally:
        stop(server)


def test_sigterm_during_a_long_update_stops_the_server_within_seconds(
    tmp_path: Path, project_root: Path
) -> None:
    root, store = make_project(tmp_path, project_root)
    url, process = start_server(root, store, "--query-timeout", "600", env=ENV)
    served, before_children = current(store), children(process.pid)
    call = Call("POST", f"{url}/update", content=SLOW_UPDATE, headers=UPDATE, timeout=120)
    call.start()
    child = new_child(process.pid, before_children)
    wait_for(lambda: _locked(store))
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError("the server did not stop within 15 s of SIGTERM") from None
    call.join(30)
    assert call.response is not None, call.error
    assert call.response.status_code == 503
    assert call.response.json()["message"] == (
        "the service is shutting down; the write was not applied"
    )
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text()
    assert current(store) == served
    assert not _locked(store)


def test_pruning_never_removes_a_generation_a_reader_uses(
    tmp_path: Path, project_root: Path
) -> None:
    _, store = make_project(tmp_path, project_root)
    location = StoreLocation(store)
    reader = GraphStore.open_read_only(location)
    pinned = reader.path
    assert pinned is not None
    writer = StoreWriter(location, Limits())
    for number in range(4):
        writer.update(f"INSERT DATA {{ <{EX}n{number}> <{EX}p> {number} }}")
    assert pinned.is_dir()  # older than the three kept, but in use
    assert bool(reader.query("ASK { ?x ?p ?o }"))
    assert len(generations(store)) == 4
    reader.close()
    writer.update(f"INSERT DATA {{ <{EX}n9> <{EX}p> 9 }}")
    assert not pinned.exists()
    assert len(generations(store)) == 3


def test_a_write_that_died_before_its_publish_is_undone_by_the_next_writer(
    tmp_path: Path, project_root: Path
) -> None:
    """What kill -9 between staging the log entry and switching `current` leaves behind."""
    _, store = make_project(tmp_path, project_root)
    location = StoreLocation(store)
    served = current(store)
    with location.lock():
        generation = location.new_generation()
        (generation / "partial").write_bytes(b"")
        location.writes_dir.mkdir()
        entry = location.writes_dir / "entry.tmp"
        entry.write_text("INSERT DATA { <http://example.org/ghost> <http://example.org/p> 1 }")
        location.stage(entry, location.writes_dir / f"{generation.name[:6]}.ru", generation)
    assert [p.name for p in location.writes_dir.iterdir()] == [
        f".staged-{generation.name[:6]}-{generation.name[:6]}.ru"
    ]
    StoreWriter(location, Limits()).update(f"INSERT DATA {{ <{EX}real> <{EX}p> 1 }}")
    assert not (generation / "partial").exists()
    assert [p.suffix for p in journal_entries(store)] == [".ru"]
    assert "ghost" not in journal_entries(store)[0].read_text()
    assert current(store) != served


def test_the_build_replays_graph_store_writes_in_order_and_skips_what_no_longer_applies(
    tmp_path: Path, project_root: Path
) -> None:
    root, store = make_project(tmp_path, project_root)
    (root / "data" / "zz-extra.ttl").write_text(f"<{EX}extra> <{EX}p> 1 .\n")
    settings = Settings(root=root, store_path=store)
    build(settings)
    writer = StoreWriter(StoreLocation(store), Limits())
    graph = ox.NamedNode(f"{EX}g")

    def triple(name: str) -> ox.Triple:
        return ox.Triple(ox.NamedNode(f"{EX}{name}"), ox.NamedNode(f"{EX}p"), ox.Literal(name))

    assert writer.add_to_graph(graph, [triple("a"), triple("b")]).created
    assert not writer.replace_graph(graph, [triple("c")]).created
    writer.replace_graph(None, [triple("in-default")])
    writer.update("DROP GRAPH <https://w3id.org/hrgraph/graph/data/zz-extra>")
    writer.add_to_graph(ox.NamedNode(f"{EX}gone"), [triple("d")])
    writer.delete_graph(ox.NamedNode(f"{EX}gone"))
    entries = journal_entries(store)
    assert [p.suffix for p in entries] == [".nt", ".nt", ".nt", ".ru", ".nt", ".nt"]

    (root / "data" / "zz-extra.ttl").unlink()
    report, built = build(settings)
    assert report.replayed == 5
    skipped = [w for w in report.warnings if w.startswith("writes/")]
    assert len(skipped) == 1
    assert skipped[0].startswith(f"writes/{entries[3].name} no longer applies and was skipped: ")
    assert sorted(str(t) for t in built.quads(None, None, None) if t.graph_name == graph) == [
        f'<{EX}c> <{EX}p> "c" <{EX}g>'
    ]
    assert built.contains(
        ox.Quad(ox.NamedNode(f"{EX}in-default"), ox.NamedNode(f"{EX}p"), ox.Literal("in-default"))
    )
    assert ox.NamedNode(f"{EX}gone") not in built.named_graphs()
    built.close()


def test_an_update_adding_more_than_the_cap_is_refused_whole(
    tmp_path: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hrgraph.build.writes

    _, store = make_project(tmp_path, project_root)
    served = current(store)
    monkeypatch.setattr(hrgraph.build.writes, "MAX_WRITE_QUADS", 10)
    values = " ".join(str(number) for number in range(11))
    with pytest.raises(hrgraph.build.writes.WriteRefused) as refused:
        StoreWriter(StoreLocation(store), Limits()).update(
            f"INSERT {{ <{EX}many> <{EX}p> ?n }} WHERE {{ VALUES ?n {{ {values} }} }}"
        )
    assert (refused.value.status, str(refused.value)) == (
        413,
        "the update would add more than 10 triples, the most one write may add; split it "
        "(nothing was applied)",
    )
    assert current(store) == served
    assert journal_entries(store) == []


def test_a_write_log_entry_that_cannot_be_read_stops_the_build_and_nothing_is_lost(
    tmp_path: Path, project_root: Path
) -> None:
    root, store = make_project(tmp_path, project_root)
    settings = Settings(root=root, store_path=store)
    build(settings)
    StoreWriter(StoreLocation(store), Limits()).update(f"INSERT DATA {{ <{EX}kept> <{EX}p> 1 }}")
    served = current(store)
    (entry,) = journal_entries(store)
    text = entry.read_text()
    entry.unlink()
    entry.mkdir()  # reading it fails as a disk error would: not "no longer applies"
    with pytest.raises(BuildError) as raised:
        build(settings)
    assert str(raised.value).startswith(f"writes/{entry.name}: cannot be replayed (")
    assert current(store) == served  # the store served before keeps serving, with the write
    entry.rmdir()
    entry.write_text(text)
    _report, built = build(settings)
    assert built.contains(ox.Quad(ox.NamedNode(f"{EX}kept"), ox.NamedNode(f"{EX}p"), ox.Literal(1)))
