"""Serialised answers kept for the store generation being served (docs/architecture.md,
"Answer cache").

A published store generation never changes, so the answer to a query over it is fixed by the
generation, the query text, the dataset (the protocol's default and named graphs) and the
media type. The service keeps such answers, bounded in memory (least recently used leave
first), and drops them all when a new generation is published. Only complete, successful
answers are kept; a query that failed, was refused or timed out is run again next time.

>>> cache = AnswerCache(max_bytes=1000)
>>> key = AnswerKey("g1", "ASK {}", None, None, "text/csv")
>>> cache.get(key) is None
True
>>> cache.put(key, b"x" * 1000)  # over the bound with its key: not kept
>>> cache.put(key, b"true")
>>> cache.get(key)
b'true'
>>> stats = cache.stats()
>>> stats["hits"], stats["misses"], stats["entries"], stats["bytes"]  # 4 + the key's 255
(1, 1, 1, 259)
>>> cache.put(AnswerKey("g2", "ASK {}", None, None, "text/csv"), b"false")  # a new generation
>>> cache.get(key) is None, cache.stats()["entries"]
(True, 1)
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerKey:
    generation: str
    """The store generation answered from (its name on disk)."""
    query: str
    """The query text exactly as run (after the service's own additions, e.g. its BASE)."""
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    media_type: str

    def slot(self) -> tuple[str, str, tuple[str, ...] | None, tuple[str, ...] | None, str]:
        """The key as the cache holds it: a plain tuple of strings, which Python's cycle
        collector stops tracking, so a full collection does not walk every answer kept (with
        150,000 answers kept, about 85 ms a collection as objects, 5 ms as tuples)."""
        return (
            self.generation,
            self.query,
            self.default_graphs,
            self.named_graphs,
            self.media_type,
        )

    def size(self) -> int:
        """The memory the key holds, its strings as Python keeps them (a character can take
        up to four bytes), and about 200 bytes for the rest."""
        graphs = (self.default_graphs or ()) + (self.named_graphs or ())
        return sys.getsizeof(self.query) + sum(sys.getsizeof(g) for g in graphs) + 200


class AnswerCache:
    """A memory-bounded LRU map from :class:`AnswerKey` to answer bytes, safe across threads.

    Entries of an older generation are dropped as soon as an answer of a newer one is stored,
    so the memory of a replaced generation's answers is given back at once."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[object, ...], tuple[bytes, int]] = OrderedDict()
        """:meth:`AnswerKey.slot` -> the answer and what it costs (its bytes and its key's)."""
        self._bytes = 0
        self._generation: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: AnswerKey) -> bytes | None:
        slot = key.slot()
        with self._lock:
            entry = self._entries.get(slot)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(slot)
            self.hits += 1
            return entry[0]

    def put(self, key: AnswerKey, body: bytes) -> None:
        cost = len(body) + key.size()
        if cost > self.max_bytes:
            return
        with self._lock:
            if key.generation != self._generation:
                self._entries.clear()
                self._bytes = 0
                self._generation = key.generation
            slot = key.slot()
            previous = self._entries.pop(slot, None)
            if previous is not None:
                self._bytes -= previous[1]
            self._entries[slot] = (body, cost)
            self._bytes += cost
            while self._bytes > self.max_bytes:
                _, (_, freed) = self._entries.popitem(last=False)
                self._bytes -= freed

    def stats(self) -> dict[str, int | float]:
        """Hits, misses, the hit rate, entries and the bytes held (answers and keys)."""
        with self._lock:
            asked = self.hits + self.misses
            return {
                "hits": self.hits,
                "misses": self.misses,
                "hit_rate": round(self.hits / asked, 4) if asked else 0.0,
                "entries": len(self._entries),
                "bytes": self._bytes,
                "max_bytes": self.max_bytes,
            }
