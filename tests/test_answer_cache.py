"""The answer cache (hrgraph.query.cache): answers of a read-only store generation, bounded in
memory, least recently used first out, dropped when a new generation is published."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import build_project_copy, serving

from hrgraph.query.cache import AnswerCache, AnswerKey


def key(query: str, generation: str = "g1", media_type: str = "text/csv") -> AnswerKey:
    return AnswerKey(generation, query, None, None, media_type)


def test_least_recently_used_answers_leave_first_within_the_bound() -> None:
    one = key("SELECT 1")
    cost = 100 + one.size()
    cache = AnswerCache(max_bytes=3 * cost)
    for name in ("SELECT 1", "SELECT 2", "SELECT 3"):
        cache.put(key(name), b"x" * 100)
    assert cache.get(key("SELECT 1")) == b"x" * 100  # now the most recently used
    cache.put(key("SELECT 4"), b"y" * 100)  # one must go: SELECT 2, the least recently used
    assert cache.get(key("SELECT 2")) is None
    assert cache.get(key("SELECT 3")) == b"x" * 100
    assert cache.get(key("SELECT 4")) == b"y" * 100
    stats = cache.stats()
    assert (stats["entries"], stats["bytes"], stats["hits"], stats["misses"]) == (3, 3 * cost, 3, 1)
    assert stats["hit_rate"] == 0.75


def test_each_part_of_the_key_tells_answers_apart() -> None:
    cache = AnswerCache(max_bytes=100_000)
    base = AnswerKey("g1", "SELECT * { ?s ?p ?o }", None, None, "application/json")
    cache.put(base, b"json")
    others = [
        AnswerKey("g1", "SELECT * { ?s ?p ?o }", None, None, "text/csv"),
        AnswerKey("g1", "SELECT * { ?s ?p ?o } ", None, None, "application/json"),
        AnswerKey("g1", "SELECT * { ?s ?p ?o }", ("urn:g",), None, "application/json"),
        AnswerKey("g1", "SELECT * { ?s ?p ?o }", None, ("urn:g",), "application/json"),
        AnswerKey("g1", "SELECT * { ?s ?p ?o }", (), (), "application/json"),
    ]
    assert [cache.get(other) for other in others] == [None] * len(others)
    assert cache.get(base) == b"json"


def test_a_new_generation_drops_the_old_ones_answers() -> None:
    cache = AnswerCache(max_bytes=100_000)
    cache.put(key("ASK {}", "g1"), b"true")
    cache.put(key("ASK {}", "g2"), b"false")
    assert cache.get(key("ASK {}", "g1")) is None
    assert cache.get(key("ASK {}", "g2")) == b"false"
    assert cache.stats()["entries"] == 1


def test_what_it_keeps_is_left_out_of_the_cycle_collectors_walks() -> None:
    """A full collection of the server stops every request; with 150,000 answers kept as
    objects it took about 85 ms. The keys and answers are kept as plain tuples of strings and
    bytes, which the collector stops tracking once it has seen them."""
    cache = AnswerCache(max_bytes=1_000_000)
    for n in range(50):
        cache.put(
            AnswerKey("g1", f"ASK {{ <urn:x:{n}> ?p ?o }}", ("urn:g",), None, "text/csv"), b"1"
        )
    gc.collect()
    held = list(cache._entries.items())
    assert len(held) == 50
    assert not any(gc.is_tracked(slot) or gc.is_tracked(entry) for slot, entry in held)
    assert (
        cache.get(AnswerKey("g1", "ASK { <urn:x:7> ?p ?o }", ("urn:g",), None, "text/csv")) == b"1"
    )


def test_a_zero_bound_keeps_nothing() -> None:
    cache = AnswerCache(max_bytes=0)
    cache.put(key("ASK {}"), b"true")
    assert cache.get(key("ASK {}")) is None
    assert cache.stats()["bytes"] == 0


def test_threads_share_it_without_losing_count() -> None:
    cache = AnswerCache(max_bytes=10_000_000)
    cache.put(key("ASK {}"), b"true")

    def ask() -> None:
        for _ in range(1000):
            assert cache.get(key("ASK {}")) == b"true"

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.stats()["hits"] == 4000


# --- the service: answers of a published generation given again, never stale ----------------

TOKEN = "cache-test-token-7d2e"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:hrgraph-test:p> ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[str]:
    project, store = build_project_copy(
        tmp_path_factory.mktemp("answer-cache"), project_root, world=False
    )
    with serving(project, store, env={"HRGRAPH_WRITE_TOKEN": TOKEN}) as url:
        yield url


def cache_stats(url: str) -> dict[str, int]:
    stats: dict[str, int] = httpx.get(f"{url}/health", timeout=10).json()["answer_cache"]
    return stats


def count(url: str, accept: str = "application/sparql-results+json") -> httpx.Response:
    response = httpx.get(f"{url}/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return response


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_bytes(server: str) -> None:
    before = cache_stats(server)
    first = count(server)
    second = count(server)
    after = cache_stats(server)
    assert second.content == first.content
    assert first.json()["results"]["bindings"][0]["n"]["value"] == "0"
    assert after["misses"] - before["misses"] == 1
    assert after["hits"] - before["hits"] == 1
    assert second.headers["content-type"] == first.headers["content-type"]
    # Another media type is another answer.
    csv = count(server, "text/csv")
    assert csv.text == "n\r\n0\r\n"
    assert cache_stats(server)["misses"] - after["misses"] == 1


def test_refused_and_malformed_queries_are_never_kept(server: str) -> None:
    before = cache_stats(server)
    for _ in range(2):
        refused = httpx.get(
            f"{server}/sparql",
            params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
        )
        assert refused.status_code == 400
        malformed = httpx.get(f"{server}/sparql", params={"query": "SELECT * WHERE {"})
        assert malformed.status_code == 400
    after = cache_stats(server)
    assert after["entries"] == before["entries"]
    assert after["hits"] == before["hits"]


def test_a_write_publishes_a_generation_whose_answers_are_new(server: str) -> None:
    assert count(server).json()["results"]["bindings"][0]["n"]["value"] == "0"
    written = httpx.post(
        f"{server}/sparql",
        content="INSERT DATA { GRAPH <urn:hrgraph-test:g> { <urn:s> <urn:hrgraph-test:p> 1 } }",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert written.status_code == 204, written.text
    before = cache_stats(server)
    assert count(server).json()["results"]["bindings"][0]["n"]["value"] == "1"
    after = cache_stats(server)
    assert after["misses"] - before["misses"] == 1
    # The old generation's answers were dropped when the new one's was kept.
    assert after["entries"] == 1


def test_named_queries_are_cached_too(server: str) -> None:
    before = cache_stats(server)
    first = httpx.get(f"{server}/api/queries/class-counts", timeout=60)
    second = httpx.get(f"{server}/api/queries/class-counts", timeout=60)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    after = cache_stats(server)
    assert (after["misses"] - before["misses"], after["hits"] - before["hits"]) == (1, 1)


def test_the_queries_behind_documents_and_pages_are_cached_too(server: str) -> None:
    # The linked-data document and the HTML page of a resource run the service's own queries.
    for accept in ("text/turtle", "text/html"):
        before = cache_stats(server)
        first = httpx.get(f"{server}/id/state/kaz", headers={"Accept": accept}, timeout=60)
        middle = cache_stats(server)
        second = httpx.get(f"{server}/id/state/kaz", headers={"Accept": accept}, timeout=60)
        after = cache_stats(server)
        assert first.status_code == second.status_code == 200, accept
        assert second.content == first.content
        assert middle["misses"] - before["misses"] > 0, accept  # it ran queries
        asked = middle["misses"] + middle["hits"] - before["misses"] - before["hits"]
        # ... and the second time it asked them all again, each answered from the cache
        assert (after["misses"] - middle["misses"], after["hits"] - middle["hits"]) == (0, asked)


def test_the_cache_can_be_turned_off(tmp_path: Path, project_root: Path) -> None:
    project, store = build_project_copy(tmp_path, project_root, world=False)
    with serving(project, store, "--answer-cache-mb", "0") as url:
        count(url)
        count(url)
        assert httpx.get(f"{url}/health", timeout=10).json()["answer_cache"] is None


def test_a_key_counts_the_bytes_its_text_holds() -> None:
    ascii_text, emoji = key("#" + "a" * 1000), key("#" + "\N{GRINNING FACE}" * 1000)
    assert emoji.size() - ascii_text.size() >= 3000  # four bytes a character, not one


def test_an_answer_is_not_kept_if_a_generation_was_published_while_it_ran(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio
    import contextlib
    from types import SimpleNamespace
    from typing import Any, cast

    from hrgraph.http import deps
    from hrgraph.query.execution import QueryRequest

    class Provider:  # the generation the request read, then the one published meanwhile
        def __init__(self, generations: list[str]) -> None:
            self.generations = generations

        def immutable_generation(self, scope: object = None) -> str:
            return self.generations.pop(0) if len(self.generations) > 1 else self.generations[0]

    @contextlib.asynccontextmanager
    async def no_watch(_request: object) -> Any:
        yield None

    async def executed(*_args: object) -> tuple[bytes, Any]:
        return b"answer", lambda: None

    monkeypatch.setattr(deps, "client_gone", no_watch)
    monkeypatch.setattr(deps, "_execute", executed)
    for generations, kept in ((["g1", "g2"], 0), (["g1", "g1"], 1)):
        cache = AnswerCache(max_bytes=100_000)
        state = SimpleNamespace(answer_cache=cache, store_provider=Provider(generations))
        request = cast(Any, SimpleNamespace(app=SimpleNamespace(state=state), scope={}))
        query = QueryRequest("ASK {}", "csv")
        body, _ = asyncio.run(deps.answer(request, cast(Any, None), query, "text/csv"))
        assert body == b"answer"
        assert cache.stats()["entries"] == kept
