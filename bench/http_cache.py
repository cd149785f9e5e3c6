"""Benchmark: the HTTP layer beside Oxigraph's own server, with wrk, on the same store.

    .venv/bin/python bench/http_cache.py --scale 0.01 --runs 3 --duration 10

Both servers read the very same store folder (the scale's build, bench/generate.py):
``hrgraph serve`` and ``oxigraph serve-read-only --union-default-graph``. wrk
(https://github.com/wg/wrk; Debian's package, ``make bench-http`` installs it) sends SPARQL
protocol GETs with ``Accept: application/sparql-results+json`` on loopback, at 1, 4 and 16
connections, in two streams:

- *repeated*: one query again and again (the grouped count of quads per graph, the query of
  issue 18), the request a public endpoint gets most, which hrgraph answers from its answer
  cache after the first time;
- *distinct*: a different query every request (the same shape with a different LIMIT and a
  different literal, so that no answer is cached anywhere), which measures the path itself;
- *distinct scans*: a different query every request that reads 10,000 or 1,000 quads past an
  OFFSET and returns one row, between the two: the cost of a query is the one thing that changes,
  so these show from what cost of a query on the ratio to Oxigraph is met;
- *distinct lookups*: a different cheap query every request (the subjects and predicates of one
  literal), where the cost of the HTTP layer and the worker round trip shows most.

A third server, the *isolation floor* (``bench/isolation_floor.py``: a bare ASGI application on
the same uvicorn, each query handed to a worker process over a pipe, nothing checked), shows what
the process boundary every hrgraph query crosses costs by itself on this machine, and so how much
of the gap to Oxigraph is hrgraph's own path (``--no-floor`` leaves it out).

Runs are interleaved (hrgraph, Oxigraph, the floor, hrgraph, ...) with all servers up; after each
run the harness waits until that server has used no processor time for a quarter of a second (a
server that does not cancel the queries in flight when wrk closes its connections goes on
answering them, and would slow the next server's run); medians of ``--runs``. wrk's own
percentiles give p50 and p99. hrgraph's answer-cache hit rate and memory are read from its
``/health`` after the runs. Writes ``bench/results/http-cache.md`` and ``.json``.
Timing belongs here, never in tests.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
from run import WORK, Server, bench_build, free_port, machine, servers, versions  # noqa: E402

RESULTS = ROOT / "bench" / "results"
ACCEPT = "application/sparql-results+json"
REPEATED = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
# A different literal and LIMIT per request: never the same text. The lookup is the cheap request
# (an index lookup and a few rows), where the HTTP path's own cost shows.
LOOKUP = "SELECT ?s ?p WHERE { ?s ?p %d } LIMIT %d"
DISTINCT = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?o != %d) } "
    "GROUP BY ?g LIMIT %d"
)
# Queries between the two, whose cost is set by how many quads they read past the OFFSET: one row
# out, so the answer's size does not change with the cost.
SCAN = "SELECT ?s WHERE { ?s ?p ?o FILTER(?o != %d) } OFFSET {offset} LIMIT 1"
STREAMS = {
    "repeated": REPEATED,
    "distinct": DISTINCT,
    "distinct scans of 10000": SCAN.replace("{offset}", "10000"),
    "distinct scans of 1000": SCAN.replace("{offset}", "1000"),
    "distinct lookups": LOOKUP,
}
TARGETS = {name: 1.0 if name == "repeated" else 0.8 for name in STREAMS}
STREAM_NOTES = {
    "distinct": " with a different number per request (no answer is ever reused)",
    "distinct scans of 10000": ", likewise: the cost of a query set by the quads it reads",
    "distinct scans of 1000": ", likewise, a tenth of the reading",
    "distinct lookups": ", likewise: cheap requests, where the HTTP path's own cost shows",
}

LUA = r"""
local template = __TEMPLATE__
local path = __PATH__
local accept = __ACCEPT__
local counter = 0
local made = 0
local base = __BASE__  -- a different range per wrk run: no run repeats another's queries
id = 0  -- a global: setup() sets each thread's own (a local here would hide it)

local function encode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

setup = function(thread)
  made = made + 1
  thread:set("id", made)
end

request = function()
  counter = counter + 1
  local query = template
  if template:find("%%d") then
    local n = base + id * 10000000 + counter
    -- a template with one number takes the first (string.format ignores the second)
    query = string.format(template, n, 100000 + n)
  end
  return wrk.format("GET", path .. "?query=" .. encode(query), {["Accept"] = accept})
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %f, \"errors\": %d, \"p50_ms\": %f, "
    .. "\"p99_ms\": %f, \"max_ms\": %f}\n",
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


_RUNS = itertools.count(1)


def wrk_script(template: str, path: str) -> Path:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        LUA.replace("__BASE__", str(next(_RUNS) * 1_000_000_000))
        .replace("__TEMPLATE__", lua_string(template))
        .replace("__PATH__", lua_string(path))
        .replace("__ACCEPT__", lua_string(ACCEPT))
    )
    return script


def run_wrk(server: Server, template: str, connections: int, duration: float) -> dict[str, Any]:
    script = wrk_script(template, server.path)
    try:
        out = subprocess.run(
            [
                "wrk", "-t", str(min(2, connections)), "-c", str(connections),
                "-d", f"{duration:g}s", "--timeout", "30s", "-s", str(script),
                f"http://127.0.0.1:{server.port}",
            ],
            capture_output=True, text=True, timeout=duration + 120, check=True,
        )  # fmt: skip
    finally:
        script.unlink()
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    result["per_second"] = result["requests"] / result["seconds"]
    return result


def cpu_seconds(pid: int) -> float:
    """The processor time used so far by a server and its children (its workers), with psutil
    as bench/run.py's PeakMemory reads their memory."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:  # the process ended meanwhile
            continue
        total += times.user + times.system
    return total


def wait_idle(server: Server, limit: float = 60.0) -> float:
    """Wait until ``server`` has finished the work wrk left it when it stopped (the queries in
    flight: a server that does not cancel them goes on answering for seconds), so that the next
    run, of another server, starts on an idle machine; at most ``limit`` seconds. Returns the
    seconds waited."""
    assert server.process is not None
    started = time.perf_counter()
    used = cpu_seconds(server.process.pid)
    while time.perf_counter() - started < limit:
        time.sleep(0.25)
        now = cpu_seconds(server.process.pid)
        if now - used < 0.01:
            break
        used = now
    return time.perf_counter() - started


def floor_server(store: Path) -> Server:
    """The isolation floor (bench/isolation_floor.py) on the store generation both others read,
    with as many workers as ``hrgraph serve`` starts by default."""
    port = free_port()
    current = str((store / "current").resolve())
    command = [sys.executable, str(ROOT / "bench" / "isolation_floor.py"), current, str(port)]
    return Server("floor", command, "/sparql", port)


def health(server: Server) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/health", timeout=10) as answer:
        data: dict[str, Any] = json.loads(answer.read())
        return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", default="1,4,16")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--streams",
        default=",".join(STREAMS),
        help=f"the streams to run, comma-separated, of: {', '.join(STREAMS)}",
    )
    parser.add_argument(
        "--no-floor", action="store_true", help="leave out the isolation floor (a third server)"
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.streams.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in STREAMS]
    if unknown or not chosen:
        parser.error(f"--streams: unknown {unknown!r}; choose from {', '.join(STREAMS)}")
    if shutil.which("wrk") is None:
        print("wrk is not installed: `make bench-http` installs Debian's package", file=sys.stderr)
        return 2
    label = f"{args.scale:g}"
    root = generate.generate(args.scale, WORK / f"scale-{label}")
    store = WORK / f"store-{label}"
    if not (store / "current").exists():
        bench_build(root, store, 1)
    made = servers(root, store, None, answer_cache=True)
    running = {name: made[name]() for name in ("hrgraph", "oxigraph")}
    if not args.no_floor:
        running["floor"] = floor_server(store)
    for server in running.values():
        server.start(300)
    streams = {name: STREAMS[name] for name in chosen}
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "versions": versions(),
        "command": "python bench/http_cache.py " + " ".join(sys.argv[1:]),
        "scale": label,
        "streams": streams,
        "runs": args.runs,
        "duration": args.duration,
        "rows": [],
    }
    try:
        for stream, template in streams.items():
            for connections in [int(c) for c in args.connections.split(",")]:
                per: dict[str, list[dict[str, Any]]] = {name: [] for name in running}
                for _ in range(args.runs):
                    for name, server in running.items():
                        per[name].append(run_wrk(server, template, connections, args.duration))
                        wait_idle(server)
                row: dict[str, Any] = {"stream": stream, "connections": connections}
                for name, runs in per.items():
                    row[name] = {
                        key: statistics.median(r[key] for r in runs)
                        for key in ("per_second", "p50_ms", "p99_ms", "max_ms", "errors")
                    }
                row["throughput_ratio"] = (
                    row["hrgraph"]["per_second"] / row["oxigraph"]["per_second"]
                )
                row["p99_ratio"] = row["hrgraph"]["p99_ms"] / row["oxigraph"]["p99_ms"]
                if "floor" in row:
                    row["floor_ratio"] = row["floor"]["per_second"] / row["oxigraph"]["per_second"]
                    row["hrgraph_of_floor"] = (
                        row["hrgraph"]["per_second"] / row["floor"]["per_second"]
                    )
                results["rows"].append(row)
                print(json.dumps(row), flush=True)
        results["cache"] = health(running["hrgraph"]).get("answer_cache")
    finally:
        for server in running.values():
            server.stop()
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "http-cache.json").write_text(json.dumps(results, indent=1))
    page = args.output / "http-cache.md"
    page.write_text(report(results) + kept_notes(page))
    return 0


NOTES = "\n## What changed for this run, and what is still not met\n"


def kept_notes(page: Path) -> str:
    """The hand-written section of the results page (from :data:`NOTES` on), kept when the
    table is measured again: it says what the table cannot (profiles, what changed, why)."""
    text = page.read_text() if page.exists() else ""
    return text[text.index(NOTES) :] if NOTES in text else ""


def report(results: dict[str, Any]) -> str:
    lines = [
        "# The HTTP layer beside Oxigraph's own server (wrk)",
        "",
        f"Measured {results['date']} on {results['machine']}; "
        + ", ".join(f"{k} {v}" for k, v in results["versions"].items())
        + f". Command: `{results['command']}`. Scale {results['scale']} (bench/generate.py); the "
        "servers read the same store folder; wrk GETs with `Accept: " + ACCEPT + "` on loopback; "
        f"medians of {results['runs']} interleaved runs of {results['duration']:g} s. Latencies in "
        "milliseconds.",
        "",
        *[
            f"- {name}: `{template}`" + STREAM_NOTES.get(name, "")
            for name, template in results.get("streams", STREAMS).items()
        ],
        "",
        "| stream | connections | hrgraph req/s | Oxigraph req/s | ratio | hrgraph p50 "
        "| hrgraph p99 | Oxigraph p50 | Oxigraph p99 | p99 ratio | errors (h/o) | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in results["rows"]:
        h, o = row["hrgraph"], row["oxigraph"]
        wanted = TARGETS[row["stream"]]
        met = row["throughput_ratio"] >= wanted and row["p99_ratio"] <= 1.5
        lines.append(
            f"| {row['stream']} | {row['connections']} | {h['per_second']:.0f} | "
            f"{o['per_second']:.0f} | {row['throughput_ratio']:.2f}x | {h['p50_ms']:.1f} | "
            f"{h['p99_ms']:.1f} | {o['p50_ms']:.1f} | {o['p99_ms']:.1f} | "
            f"{row['p99_ratio']:.2f}x | {h['errors']:g}/{o['errors']:g} | ≥{wanted:g}x, p99 ≤1.5x: "
            f"{'met' if met else 'not met'} |"
        )
    floors = [row for row in results["rows"] if "floor" in row]
    if floors:
        lines += [
            "",
            "The isolation floor beside them (bench/isolation_floor.py, in the same interleaved"
            " runs):"
            " a bare ASGI application on the same uvicorn that hands each query to a worker process"
            " over a pipe and checks nothing. hrgraph / floor is the share of the floor's"
            " throughput hrgraph keeps (what its own path costs); floor / Oxigraph is the most any"
            " server that runs each query in another process reached here.",
            "",
            "| stream | connections | floor req/s | floor p50 | floor p99 | hrgraph / floor "
            "| floor / Oxigraph |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in floors:
            f = row["floor"]
            lines.append(
                f"| {row['stream']} | {row['connections']} | {f['per_second']:.0f} | "
                f"{f['p50_ms']:.1f} | {f['p99_ms']:.1f} | {row['hrgraph_of_floor']:.2f}x | "
                f"{row['floor_ratio']:.2f}x |"
            )
    cache = results.get("cache") or {}
    if cache:
        lines += [
            "",
            f"hrgraph's answer cache after the runs: {cache.get('hits')} hits, "
            f"{cache.get('misses')} misses (hit rate {cache.get('hit_rate')}), "
            f"{cache.get('entries')} answers in {cache.get('bytes')} bytes of at most "
            f"{cache.get('max_bytes')}.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
