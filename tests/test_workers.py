"""The worker pool (hrgraph.query.workers) on a small synthetic on-disk store: answers in the
requested format, checks before any worker, deadlines, the memory limit, the result-size cap, crash
recovery, the bounded queue, new store generations, and the ``hrgraph serve`` options."""

from __future__ import annotations

import errno
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest

from hrgraph.cli.main import _parser
from hrgraph.query import worker as worker_process
from hrgraph.query.execution import (
    Overloaded,
    QueryFailed,
    QueryRequest,
    QuerySyntaxError,
    QueryTimeout,
)
from hrgraph.query.handoff import Handoff, Waiter, Worker
from hrgraph.query.workers import ClientGone, WorkerPool
from hrgraph.settings import Limits, Service
from hrgraph.sparql.querycheck import QueryRejected
from hrgraph.store.generations import StoreError, StoreLocation
from hrgraph.store.local import GraphStore

EX = "http://example.org/"
GRAPH = f"{EX}g"
TRIPLES = 2000
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z FILTER(?x + ?y + ?z = -1) }"
)
"""8 * 10^9 combinations of a 2,000-triple store, in constant memory: runs until killed."""
MEMORY_HUNGRY = "SELECT ?x ?y ?z WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?x ?y ?z LIMIT 1"
"""Sorting 8 * 10^9 rows needs them all in memory."""


def make_store(path: Path, triples: int = TRIPLES, label: str = "first") -> StoreLocation:
    """Publish a new generation at ``path``: ``triples`` numbered triples and one label."""
    location = StoreLocation(path)
    generation = location.new_generation()
    store = GraphStore.create(generation)
    graph = ox.NamedNode(GRAPH)
    store.add_triples(
        graph,
        [
            ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(i))
            for i in range(triples - 1)
        ]
        + [ox.Triple(ox.NamedNode(f"{EX}store"), ox.NamedNode(f"{EX}label"), ox.Literal(label))],
    )
    store.flush()
    store.close()
    location.publish(generation)
    return location


def make_pool(location: StoreLocation, limits: Limits, service: Service) -> WorkerPool:
    return WorkerPool(location.path, limits, service, lambda: frozenset({GRAPH}))


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> StoreLocation:
    return make_store(tmp_path_factory.mktemp("workers") / "store")


@pytest.fixture(scope="module")
def pool(location: StoreLocation) -> Iterator[WorkerPool]:
    with make_pool(location, Limits(query_timeout_s=1.0), Service(workers=2, queue_size=4)) as p:
        yield p


def count(pool: WorkerPool) -> bytes:
    return pool.run(QueryRequest(COUNT, "csv")).body


def test_answers_in_the_requested_format(pool: WorkerPool) -> None:
    assert count(pool) == f"n\r\n{TRIPLES}\r\n".encode()
    ask = pool.run(QueryRequest("ASK { ?s ?p 5 }", "json"))
    assert (ask.body, ask.result_format) == (b'{"head":{},"boolean":true}', "json")
    construct = pool.run(
        QueryRequest(f"CONSTRUCT WHERE {{ <{EX}store> ?p ?o }}", "ntriples")
    ).body.decode()
    assert construct.strip() == f'<{EX}store> <{EX}label> "first" .'


def test_format_that_does_not_fit_the_result_is_406(pool: WorkerPool) -> None:
    with pytest.raises(QueryRejected, match="cannot be written as turtle") as raised:
        pool.run(QueryRequest("ASK {}", "turtle"))
    assert raised.value.status == 406


def test_syntax_errors_come_back_with_their_position(pool: WorkerPool) -> None:
    with pytest.raises(QuerySyntaxError, match="1:"):
        pool.run(QueryRequest("SELECT ?x WHERE { ?x }", "json"))


def test_dataset_parameters_reach_the_worker(pool: WorkerPool) -> None:
    body = pool.run(QueryRequest(COUNT, "csv", default_graphs=(f"{EX}other",))).body
    assert body == b"n\r\n0\r\n"


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("SELECT * WHERE " + "{ " * 5000 + "}" * 5000, 400, "nests 5000 levels"),
        ("#" * 200_000 + "\nASK {}", 413, "the limit is 100000"),
        (f"SELECT * {{ SERVICE <{EX}sparql> {{ ?s ?p ?o }} }}", 400, "SERVICE"),
        (f"SELECT * FROM <{EX}elsewhere> {{ ?s ?p ?o }}", 400, "FROM"),
    ],
)
def test_queries_are_checked_before_any_worker(
    location: StoreLocation, query: str, status: int, message: str
) -> None:
    # A pool that was never started has no worker: a query reaching one would wait, not fail.
    unstarted = make_pool(location, Limits(), Service(workers=1, queue_size=0))
    with pytest.raises(QueryRejected, match=message) as raised:
        unstarted.run(QueryRequest(query, "json"))
    assert raised.value.status == status
    assert unstarted.pids() == []


def test_deadline_kills_the_worker_and_a_replacement_answers(pool: WorkerPool) -> None:
    before = set(pool.pids())
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="deadline of 1 s") as raised:
        pool.run(QueryRequest(ENDLESS, "json"))
    assert 1.0 <= time.monotonic() - started < 3.0
    assert raised.value.status == 503
    assert len(pool.pids()) == 2
    assert set(pool.pids()) != before
    assert count(pool).endswith(b"2000\r\n")


def test_a_worker_killed_while_idle_is_replaced_without_failing_a_query(pool: WorkerPool) -> None:
    for pid in pool.pids():
        os.kill(pid, signal.SIGKILL)
    for _ in range(4):
        assert count(pool).endswith(b"2000\r\n")
    assert len(pool.pids()) == 2


def test_a_worker_crashing_mid_query_fails_that_query_only(location: StoreLocation) -> None:
    limits = Limits(query_timeout_s=10.0)
    with make_pool(location, limits, Service(workers=1, queue_size=1)) as single:
        (pid,) = single.pids()
        threading.Timer(0.3, os.kill, (pid, signal.SIGSEGV)).start()
        with pytest.raises(QueryFailed, match="worker crashed") as raised:
            single.run(QueryRequest(ENDLESS, "json"))
        assert raised.value.status == 500
        assert single.pids() != [pid]
        assert count(single).endswith(b"2000\r\n")


def test_memory_limit_fails_the_query_and_replaces_the_worker(location: StoreLocation) -> None:
    # The cap is on address space, which a worker reserves about 620 MB of as it starts (the
    # interpreter, the engine, its threads' stacks and malloc arenas); at 800 MB a worker started
    # while other tests ran could not create a thread (a clean-clone run of 2026-12-04).
    limits = Limits(query_timeout_s=10.0, max_memory_mb=1200)
    with make_pool(location, limits, Service(workers=1, queue_size=1)) as small:
        (pid,) = small.pids()
        with pytest.raises(QueryFailed, match=r"more memory than a query may use \(1200 MB\)"):
            small.run(QueryRequest(MEMORY_HUNGRY, "json"))
        assert small.pids() != [pid]
        assert count(small).endswith(b"2000\r\n")


def test_result_size_cap_is_an_error_never_a_truncation(location: StoreLocation) -> None:
    limits = Limits(max_result_bytes=2000)
    with make_pool(location, limits, Service(workers=1, queue_size=1)) as capped:
        with pytest.raises(QueryFailed, match="larger than 2000 bytes") as raised:
            capped.run(QueryRequest("SELECT * WHERE { ?s ?p ?o }", "json"))
        assert raised.value.status == 413
        assert "nothing was truncated" in str(raised.value)
        small = capped.run(QueryRequest("SELECT * WHERE { ?s ?p ?o } LIMIT 3", "json"))
        assert len(small.body) < 2000


def test_overload_is_refused_at_once_with_retry_after(location: StoreLocation) -> None:
    limits = Limits(query_timeout_s=1.0)
    with make_pool(location, limits, Service(workers=1, queue_size=1, retry_after_s=3)) as busy:

        def attempt(_: int) -> Exception | None:
            try:
                busy.run(QueryRequest(ENDLESS, "json"))
            except Exception as error:
                return error
            return None

        started = time.monotonic()
        with ThreadPoolExecutor(4) as threads:
            outcomes = list(threads.map(attempt, range(4)))
        overloaded = [e for e in outcomes if isinstance(e, Overloaded)]
        timed_out = [e for e in outcomes if isinstance(e, QueryTimeout)]
        # One runs, one waits in the queue, and the others are refused without waiting.
        assert (len(overloaded), len(timed_out)) == (2, 2)
        assert all(e.status == 503 and e.retry_after == 3 for e in overloaded)
        assert time.monotonic() - started < 4.0
        assert count(busy).endswith(b"2000\r\n")


def test_cancelled_requests_leave_the_queue_or_have_their_worker_killed(
    location: StoreLocation,
) -> None:
    limits = Limits(query_timeout_s=30.0)
    service = Service(workers=1, queue_size=1, queue_timeout_s=30.0)
    with make_pool(location, limits, service) as single:
        (pid,) = single.pids()
        running, queued = threading.Event(), threading.Event()

        def attempt(cancel: threading.Event) -> Exception | None:
            try:
                single.run(QueryRequest(ENDLESS, "json"), cancel)
            except Exception as error:
                return error
            return None

        with ThreadPoolExecutor(2) as threads:
            first = threads.submit(attempt, running)
            time.sleep(0.5)
            second = threads.submit(attempt, queued)
            time.sleep(0.5)
            assert single.admitted() == 2
            queued.set()  # leaves the queue
            assert isinstance(second.result(timeout=5), ClientGone)
            running.set()  # its worker is killed
            assert isinstance(first.result(timeout=5), ClientGone)
        assert single.admitted() == 0
        assert single.pids() != [pid]
        assert count(single).endswith(b"2000\r\n")


def test_a_queued_request_gives_up_after_the_queue_timeout(location: StoreLocation) -> None:
    limits = Limits(query_timeout_s=30.0)
    service = Service(workers=1, queue_size=1, queue_timeout_s=1.0, retry_after_s=3)
    with make_pool(location, limits, service) as single:
        cancel = threading.Event()
        with ThreadPoolExecutor(1) as threads:
            running = threads.submit(single.run, QueryRequest(ENDLESS, "json"), cancel)
            time.sleep(0.5)
            started = time.monotonic()
            with pytest.raises(Overloaded, match="no query worker became free within 1 s") as busy:
                single.run(QueryRequest(COUNT, "csv"))
            assert 1.0 <= time.monotonic() - started < 3.0
            assert busy.value.retry_after == 3
            cancel.set()
            with pytest.raises(ClientGone):
                running.result(timeout=5)


def test_an_answer_held_until_sent_keeps_its_place(location: StoreLocation) -> None:
    service = Service(workers=1, queue_size=0)
    with make_pool(location, Limits(query_timeout_s=5.0), service) as single:
        response, release = single.run_held(QueryRequest(COUNT, "csv"))
        assert response.body.endswith(b"2000\r\n")
        with pytest.raises(Overloaded, match="the queue is full"):
            single.run(QueryRequest(COUNT, "csv"))
        release()
        release()  # once only
        assert single.admitted() == 0
        assert count(single).endswith(b"2000\r\n")


def test_concurrent_queries_each_get_their_own_answer(pool: WorkerPool) -> None:
    def ask(i: int) -> bool:
        query = f"SELECT ?o WHERE {{ <{EX}s{i}> ?p ?o }}"
        return pool.run(QueryRequest(query, "csv")).body == f"o\r\n{i}\r\n".encode()

    with ThreadPoolExecutor(6) as threads:  # as many as the pool admits: 2 workers + 4 queued
        answers = list(threads.map(ask, range(200)))
    assert len(answers) == 200
    assert all(answers)


def test_a_started_worker_has_the_store_open_before_any_query(tmp_path: Path) -> None:
    # A worker replacing a killed one opens the store while nobody waits for it.
    location = make_store(tmp_path / "store", triples=10)
    generation = location.current()
    assert generation is not None
    with make_pool(location, Limits(), Service(workers=1, queue_size=0)) as fresh:
        (pid,) = fresh.pids()  # started and answered its ping; no query asked yet
        assert reads(pid, generation), open_files(pid)


def test_an_idle_worker_moves_to_a_new_generation_and_lets_the_old_one_go(
    tmp_path: Path,
) -> None:
    location = make_store(tmp_path / "store", triples=10, label="first")
    old = location.current()
    assert old is not None
    with make_pool(location, Limits(), Service(workers=2, queue_size=0)) as fresh:
        assert all(reads(pid, old) for pid in fresh.pids())
        make_store(tmp_path / "store", triples=10, label="second")  # no query asked since
        new = location.current()
        assert new is not None
        assert new != old
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all(
            reads(pid, new) and not reads(pid, old) for pid in fresh.pids()
        ):
            time.sleep(0.1)
        assert [(reads(pid, new), reads(pid, old)) for pid in fresh.pids()] == [(True, False)] * 2
        location.prune(keep=1)  # nothing pins the old generation any more: it goes
        assert not old.exists()


def open_files(pid: int) -> set[str]:
    return {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}


def reads(pid: int | None, generation: Path) -> bool:
    """Whether process ``pid`` has a file of ``generation`` open."""
    assert pid is not None
    return any(name.startswith(f"{generation.resolve()}/") for name in open_files(pid))


def test_the_free_worker_used_last_is_taken_first_and_waiters_in_turn() -> None:
    free = Handoff()
    first, second, third = (Worker(cast(Any, n), cast(Any, n)) for n in range(3))
    free.put(first)
    free.put(second)
    assert free.take_now() is second  # its memory is the one still in the processor's caches
    assert free.take_now() is first
    assert free.take_now() is None
    woken: list[str] = []
    early, late = Waiter(lambda: woken.append("early")), Waiter(lambda: woken.append("late"))
    assert free.take_or_wait(early) is None
    assert free.take_or_wait(late) is None
    free.put(third)
    assert (woken, early.worker, late.worker) == (["early"], third, None)


def test_workers_answer_from_a_newly_published_generation(tmp_path: Path) -> None:
    location = make_store(tmp_path / "store", triples=10, label="first")
    label = f"SELECT ?l WHERE {{ <{EX}store> <{EX}label> ?l }}"
    with make_pool(location, Limits(), Service(workers=2, queue_size=0)) as fresh:
        assert fresh.run(QueryRequest(label, "csv")).body == b"l\r\nfirst\r\n"
        pids = fresh.pids()
        make_store(tmp_path / "store", triples=10, label="second")
        for _ in range(3):
            assert fresh.run(QueryRequest(label, "csv")).body == b"l\r\nsecond\r\n"
        # every worker, not only the one asked last (the free worker used last is taken first)
        idle = [fresh._free.take_now(), fresh._free.take_now()]
        for worker in idle:
            assert worker is not None
            assert fresh._run_on(worker, QueryRequest(label, "csv")).body == b"l\r\nsecond\r\n"
            fresh._free.put(worker)
        assert fresh.pids() == pids


def test_a_removed_store_is_a_503_without_its_path(tmp_path: Path) -> None:
    location = make_store(tmp_path / "store", triples=10)
    with make_pool(location, Limits(), Service(workers=1, queue_size=0)) as orphan:
        location.current_link.unlink()
        with pytest.raises(QueryFailed) as raised:
            orphan.run(QueryRequest(COUNT, "csv"))
        assert raised.value.status == 503
        assert str(tmp_path) not in str(raised.value)
        assert "not available" in str(raised.value)


def test_serve_options_set_the_limits() -> None:
    args = _parser().parse_args(
        ["serve", "--workers", "3", "--queue", "0", "--query-timeout", "2.5",
         "--max-memory-mb", "512", "--max-result-mb", "1.5"]
    )  # fmt: skip
    assert (args.workers, args.queue, args.query_timeout) == (3, 0, 2.5)
    assert (args.max_memory_mb, args.max_result_mb) == (512, 1.5)
    defaults = _parser().parse_args(["serve"])
    assert defaults.workers >= 2
    assert (defaults.query_timeout, defaults.queue) == (30.0, 16)
    bounds = _parser().parse_args(
        ["serve", "--queue-timeout", "4", "--validation-workers", "3", "--validation-queue", "0",
         "--validation-timeout", "9", "--header-timeout", "2", "--body-timeout", "5",
         "--send-timeout", "7", "--public-base", "https://hrgraph.example.org/"]
    )  # fmt: skip
    assert (bounds.queue_timeout, bounds.validation_workers, bounds.validation_queue) == (4, 3, 0)
    assert (bounds.validation_timeout, bounds.header_timeout) == (9, 2)
    assert (bounds.body_timeout, bounds.send_timeout) == (5, 7)
    assert (defaults.queue_timeout, defaults.validation_timeout) == (10.0, 120.0)
    assert (defaults.header_timeout, defaults.body_timeout, defaults.send_timeout) == (10, 60, 30)
    for bad in (
        ["--workers", "0"], ["--query-timeout", "-1"], ["--max-memory-mb", "x"],
        ["--validation-workers", "0"], ["--header-timeout", "0"],
    ):  # fmt: skip
        with pytest.raises(SystemExit):
            _parser().parse_args(["serve", *bad])


def test_a_worker_that_cannot_be_replaced_keeps_its_place_in_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = make_store(tmp_path / "store", triples=10)
    service = Service(workers=1, queue_size=0, queue_timeout_s=1.0)
    with make_pool(location, Limits(), service) as single:
        stopped = single._free.take_now()
        assert stopped is not None
        stopped.process.kill()
        stopped.process.join(5)
        single._free.put(stopped)

        def no_process() -> None:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

        monkeypatch.setattr(single, "_spawn", no_process)
        with pytest.raises(OSError, match="temporarily unavailable"):
            single.run(QueryRequest(COUNT, "csv"))
        assert single.admitted() == 0
        monkeypatch.undo()  # processes can be started again: the next request starts one
        assert single.run(QueryRequest(COUNT, "csv")).body == b"n\r\n10\r\n"


def test_a_generation_that_fails_to_open_leaves_the_worker_the_store_it_had(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = make_store(tmp_path / "store", triples=10, label="first")
    label = f"SELECT ?l WHERE {{ <{EX}store> <{EX}label> ?l }}"
    opened = worker_process._current_store(location, None)
    make_store(tmp_path / "store", triples=10, label="second")

    def refuse(_location: StoreLocation) -> GraphStore:
        raise StoreError("cannot open the store: simulated")

    monkeypatch.setattr(GraphStore, "open_read_only", refuse)
    with pytest.raises(QueryFailed) as raised:
        worker_process._current_store(location, opened)
    assert raised.value.status == 503
    still = opened[1].query(label)  # open: the next query tries the new generation again
    assert isinstance(still, ox.QuerySolutions)
    assert [row["l"].value for row in still] == ["first"]
    monkeypatch.undo()
    again = worker_process._current_store(location, opened)
    assert again[0] == location.current()
    answer = again[1].query(label)
    assert isinstance(answer, ox.QuerySolutions)
    assert [row["l"].value for row in answer] == ["second"]
    again[1].close()


def test_the_generation_a_query_reads_is_resolved_again_only_when_the_link_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = make_store(tmp_path / "store", triples=10, label="first")
    first = worker_process._current_generation(location)
    assert first is not None
    assert first == location.current()
    resolved: list[Path | None] = []
    original = StoreLocation.current

    def counted(self: StoreLocation) -> Path | None:
        resolved.append(original(self))
        return resolved[-1]

    monkeypatch.setattr(StoreLocation, "current", counted)
    assert worker_process._current_generation(location) == first
    assert resolved == []  # the same link: one lstat, no walk of the path
    make_store(tmp_path / "store", triples=10, label="second")  # publishes a new link
    resolved.clear()
    second = worker_process._current_generation(location)
    assert second is not None
    assert second != first
    assert resolved == [second]
    assert worker_process._current_generation(location) == second
    assert len(resolved) == 1
    location.current_link.unlink()
    assert worker_process._current_generation(location) is None
