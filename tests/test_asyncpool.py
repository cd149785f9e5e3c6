"""Queries awaited on the worker pool from an event loop (hrgraph.query.asyncpool), the HTTP
service's path: the same answers as the pool's threads give, large answers read whole without
blocking, the query deadline, queued requests served in turn, and clients that leave."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import anyio.to_thread
import pytest
from test_workers import COUNT, ENDLESS, GRAPH, make_pool, make_store, reads

from hrgraph.query.asyncpool import Cancel, _replace_given_up, run_held
from hrgraph.query.execution import QueryRequest, QueryTimeout
from hrgraph.query.workers import ClientGone, WorkerPool
from hrgraph.settings import Limits, Service

LARGE = "SELECT * WHERE { ?s ?p ?o VALUES ?x { 1 2 3 4 5 6 7 8 } }"
"""About 1.5 MB of SPARQL JSON: far more than a pipe's buffer holds."""


async def answer(pool: WorkerPool, query: str, cancel: Cancel | None = None) -> bytes:
    response, release = await run_held(pool, QueryRequest(query, "json"), cancel)
    release()
    return response.body


def test_awaited_answers_are_the_pools_own_and_queued_requests_go_in_turn(tmp_path: Path) -> None:
    location = make_store(tmp_path / "store")
    service = Service(workers=1, queue_size=4, queue_timeout_s=30.0)
    with make_pool(location, Limits(query_timeout_s=2.0), service) as single:
        (pid,) = single.pids()
        expected = single.run(QueryRequest(LARGE, "json")).body
        assert len(expected) > 1_000_000

        async def scenario() -> tuple[BaseException | bytes, list[str], bytes]:
            done: list[str] = []

            async def ask(name: str, query: str) -> bytes:
                body = await answer(single, query)
                done.append(name)
                return body

            endless = asyncio.create_task(answer(single, ENDLESS))
            await asyncio.sleep(0.3)
            queued = []
            for limit, name in enumerate(("first", "second", "third"), 1):
                query = f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} LIMIT {limit}"
                queued.append(asyncio.create_task(ask(name, query)))
                await asyncio.sleep(0.05)
            timed_out = (await asyncio.gather(endless, return_exceptions=True))[0]
            await asyncio.gather(*queued)
            return timed_out, done, await answer(single, LARGE)

        timed_out, done, large = asyncio.run(scenario())
        assert isinstance(timed_out, QueryTimeout)
        assert done == ["first", "second", "third"]
        assert large == expected
        assert single.admitted() == 0
        assert single.pids() != [pid]  # the worker past its deadline was replaced


def test_awaited_requests_whose_client_leaves_are_dropped_or_killed(tmp_path: Path) -> None:
    location = make_store(tmp_path / "store")
    service = Service(workers=1, queue_size=1, queue_timeout_s=30.0)
    with make_pool(location, Limits(query_timeout_s=30.0), service) as single:
        (pid,) = single.pids()

        async def scenario() -> list[BaseException | bytes]:
            running, queued = Cancel(), Cancel()
            first = asyncio.create_task(answer(single, ENDLESS, running))
            await asyncio.sleep(0.3)
            second = asyncio.create_task(answer(single, COUNT, queued))
            await asyncio.sleep(0.3)
            assert single.admitted() == 2
            queued.set()  # leaves the queue
            running.set()  # its worker is killed
            return await asyncio.gather(first, second, return_exceptions=True)

        outcomes = asyncio.run(scenario())
        assert [type(outcome) for outcome in outcomes] == [ClientGone, ClientGone]
        assert single.admitted() == 0
        assert single.pids() != [pid]
        assert b'"2000"' in asyncio.run(answer(single, COUNT))


async def cancel_mid_query(pool: WorkerPool) -> None:
    """Start an endless query and cancel its request while the worker runs it."""
    task = asyncio.create_task(answer(pool, ENDLESS))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_a_worker_given_up_is_replaced_at_once_not_by_the_next_request(tmp_path: Path) -> None:
    location = make_store(tmp_path / "store")
    with make_pool(location, Limits(query_timeout_s=30.0), Service(workers=1)) as single:
        (pid,) = single.pids()
        asyncio.run(cancel_mid_query(single))
        # no request since: the free worker is already a fresh, running one
        deadline = time.monotonic() + 30
        while (free := single._free.take_now()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert free is not None
        assert free.usable()
        assert free.pid != pid
        single._free.put(free)
        assert b'"2000"' in asyncio.run(answer(single, COUNT))


def test_a_request_cancelled_mid_query_never_leaves_its_reply_to_the_next(
    tmp_path: Path,
) -> None:
    location = make_store(tmp_path / "store")
    with make_pool(location, Limits(query_timeout_s=30.0), Service(workers=1)) as single:
        (pid,) = single.pids()

        async def scenario() -> bytes:
            await cancel_mid_query(single)
            return await answer(single, COUNT)

        assert b'"2000"' in asyncio.run(scenario())
        assert single.admitted() == 0
        assert single.pids() != [pid]  # given up, killed and replaced


def test_a_replacement_is_put_back_only_once_it_has_the_store_open(tmp_path: Path) -> None:
    location = make_store(tmp_path / "store")
    generation = location.current()
    assert generation is not None
    with make_pool(location, Limits(query_timeout_s=30.0), Service(workers=1)) as single:
        given_up = single._free.take_now()
        assert given_up is not None
        _replace_given_up(single, given_up)  # what a cancelled request's thread runs
        fresh = single._free.take_now()
        assert fresh is not None
        assert fresh.pid != given_up.pid
        assert reads(fresh.pid, generation)  # not a cold process for the next request
        single._free.put(fresh)


def test_a_request_cancelled_before_its_thread_starts_gives_its_worker_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = make_store(tmp_path / "store")
    with make_pool(location, Limits(query_timeout_s=30.0), Service(workers=1)) as single:
        stopped = single._free.take_now()
        assert stopped is not None
        stopped.process.kill()  # the request that takes it replaces it, in a thread
        stopped.process.join(5)
        single._free.put(stopped)

        async def cancelled_first(*_args: object) -> None:
            raise asyncio.CancelledError  # as anyio does while it waits for a free thread

        monkeypatch.setattr(anyio.to_thread, "run_sync", cancelled_first)
        with pytest.raises(asyncio.CancelledError):
            asyncio.run(answer(single, COUNT))
        monkeypatch.undo()
        assert single.admitted() == 0
        deadline = time.monotonic() + 30
        while (free := single._free.take_now()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert free is not None  # not lost to the pool: replaced
        assert free.usable()
        single._free.put(free)
        assert b'"2000"' in asyncio.run(answer(single, COUNT))
