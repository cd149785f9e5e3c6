"""Benchmark: the latency of each named query, one client, through the real service path.

    .venv/bin/python bench/named_queries.py                  # scale 1, 20 samples per query
    .venv/bin/python bench/named_queries.py --scale 0.1 --samples 20

Builds the scale's store if it is missing (bench/generate.py's project folder in
``var/bench/scale-S/``, built as bench/run.py builds it into ``var/bench/store-S/``), starts
``hrgraph serve`` on loopback and asks every ``queries/*.rq`` in turn as users call it: ``GET
/api/queries/{name}?...`` with SPARQL JSON results, one keep-alive connection, one request at a
time. The parameters are bench/run.py's (:func:`run.sample_parameters`: sampled with a fixed seed
over all the generated States and Kazakhstan; a query's other parameters keep their defaults).
Each query is asked once per query worker to warm up (not counted), then ``--samples`` times, within
``--budget`` seconds per query (a request in flight is finished). Per query: the samples
answered, p50, p95, p99 and max latency, the result rows (median over the samples) and whether
p95 is under the 250 ms target. Writes ``OUT.json`` (all scales measured so far, merged) and
``OUT.md``. Medians and percentiles only; timing belongs here, never in tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
import run  # noqa: E402

from hrgraph.sparql.queries import load_queries  # noqa: E402

TARGET = 0.250  # seconds: issue #18's p95 target for one client
ACCEPT = "application/sparql-results+json"
WARM_UP = max(2, len(os.sched_getaffinity(0)))
"""Warm-up requests per query: one per query worker of ``hrgraph serve`` (as many as CPUs, at
least two), so that no counted request is a worker's first."""


def ask(
    connection: http.client.HTTPConnection, name: str, values: dict[str, str]
) -> tuple[int, float, int]:
    """One GET of the named query; its status, seconds and number of result rows (-1: none)."""
    path = f"/api/queries/{name}"
    if values:
        path += "?" + urllib.parse.urlencode(values)
    began = time.perf_counter()
    connection.request("GET", path, headers={"Accept": ACCEPT})
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - began
    rows = -1
    if response.status == 200:
        rows = len(json.loads(body)["results"]["bindings"])
    return response.status, seconds, rows


def measure(
    port: int, samples: list[tuple[str, dict[str, str]]], budget: float
) -> dict[str, dict[str, Any]]:
    """Ask each query's samples in turn on one connection; per query the latency summary."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    by_name: dict[str, list[dict[str, str]]] = {}
    for name, values in samples:
        by_name.setdefault(name, []).append(values)
    results: dict[str, dict[str, Any]] = {}
    try:
        for name, params in by_name.items():
            for _ in range(WARM_UP):  # not counted; one per query worker, whichever answers
                ask(connection, name, params[0])
            latencies, rows, errors = [], [], []
            stop_at = time.perf_counter() + budget
            for values in params:
                if time.perf_counter() > stop_at:
                    break
                status, seconds, count = ask(connection, name, values)
                if status == 200:
                    latencies.append(seconds)
                    rows.append(count)
                else:
                    errors.append(status)
            timing = run.LoadResult(len(latencies), len(errors), sum(latencies), latencies)
            results[name] = {
                "samples": len(latencies),
                "errors": len(errors),
                "error_statuses": sorted(set(errors)),
                "p50": timing.percentile(50),
                "p95": timing.percentile(95),
                "p99": timing.percentile(99),
                "max": max(latencies, default=float("nan")),
                "rows": statistics.median(rows) if rows else None,
                "rows_min": min(rows, default=None),
                "rows_max": max(rows, default=None),
                "under_target": bool(latencies) and timing.percentile(95) < TARGET,
            }
            print(f"  {name}: {results[name]}", flush=True)
    finally:
        connection.close()
    return results


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds == seconds else "-"  # NaN: nothing answered


def _rows(entry: dict[str, Any]) -> str:
    if entry["rows"] is None:
        return "-"
    if entry["rows_min"] == entry["rows_max"]:
        return f"{entry['rows_min']:,}"
    return f"{entry['rows']:g} ({entry['rows_min']:,}-{entry['rows_max']:,})"


def report(results: dict[str, Any]) -> str:
    lines = [
        "# Named queries, one client, per query",
        "",
        "Every `queries/*.rq` asked through the service as users call it (`GET "
        "/api/queries/{name}`, SPARQL JSON results) on a running `hrgraph serve` on loopback, one "
        "client, one request at a time on one keep-alive connection. Parameters sampled with a "
        "fixed seed over all the generated States and Kazakhstan (`bench/run.py`'s "
        "`sample_parameters`, the same as the benchmark's query mix); a query's other parameters "
        "keep their defaults. Each query is first asked once per query worker of the server "
        "to warm up (not counted). Latency is the client's, from sending the request to the "
        "last byte of the answer, in milliseconds; "
        "percentiles are nearest-rank over the samples answered. The server runs with its answer "
        "cache off (`--answer-cache-mb 0`), so that every request runs its query. Rows: the "
        "median number of result rows over the samples (range in brackets). Target: p95 under "
        "250 ms.",
        "",
        f"Reproduce: `{results['command']}` (per scale: "
        "`.venv/bin/python bench/named_queries.py --scale S`; building scale 1 the first time "
        "takes 11-20 minutes and about 4 GB in `var/bench/`).",
        "",
        f"Machine: {results['machine']}.",
        "",
    ]
    for label, scale in sorted(results["scales"].items(), key=lambda kv: float(kv[0])):
        queries = scale["queries"]
        met = sum(1 for q in queries.values() if q["under_target"])
        lines += [
            f"## Scale {label} ({scale['states']} States, {scale['quads']:,} quads)",
            "",
            f"Measured {scale['when']}; {scale['samples']} samples per query asked (at most "
            f"{scale['budget']:g} s per query); {met} of {len(queries)} queries under the target.",
            "",
            "| query | samples | p50 ms | p95 ms | p99 ms | max ms | rows | p95 < 250 ms |",
            "|---|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for name, q in queries.items():
            errors = ""
            if q["errors"]:
                statuses = ", ".join(str(s) for s in q.get("error_statuses", []))
                errors = f" ({q['errors']} answered {statuses})"
            lines.append(
                f"| `{name}` | {q['samples']}{errors} | {_ms(q['p50'])} | {_ms(q['p95'])} | "
                f"{_ms(q['p99'])} | {_ms(q['max'])} | {_rows(q)} | "
                f"{'yes' if q['under_target'] else '**no**'} |"
            )
        lines.append("")
    notes = results.get("notes")
    if notes:
        lines += ["## Over the target, and why", "", *notes, ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--samples", type=int, default=20, help="per query (default 20)")
    parser.add_argument(
        "--budget", type=float, default=120.0, help="seconds per query at most (default 120)"
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated query names: measure only these, keeping the scale's other rows",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=run.RESULTS / "named-queries",
        help="writes OUT.md and OUT.json (default bench/results/named-queries)",
    )
    args = parser.parse_args()
    label = f"{args.scale:g}"
    root = generate.generate(args.scale, run.WORK / f"scale-{label}")
    store = run.WORK / f"store-{label}"
    states = generate.states_for(args.scale)
    if not (store / "current").exists():
        print(f"building {store} (scale {label})", flush=True)
        run.bench_build(root, store, 1)
    import pyoxigraph as ox

    quads = len(ox.Store.read_only(str((store / "current").resolve())))
    names = sorted(load_queries(ROOT / "queries"))
    samples = run.sample_parameters(states, args.samples * len(names), args.seed)
    only = {name for name in args.only.split(",") if name}
    if only - set(names):
        parser.error(f"no named query {sorted(only - set(names))[0]!r}")
    if only:
        samples = [(name, values) for name, values in samples if name in only]
    # the answer cache off: the queries themselves, not the service's cache of answers (the
    # same parameters asked twice would otherwise be answered from memory)
    server = run.servers(root, store, None)["hrgraph"]()
    started = server.start(timeout=300)
    print(f"scale {label}: hrgraph serve answered after {started:.1f} s", flush=True)
    try:
        queries = measure(server.port, samples, args.budget)
    finally:
        server.stop()

    json_path, md_path = args.out.with_suffix(".json"), args.out.with_suffix(".md")
    results: dict[str, Any] = {"scales": {}}
    if json_path.is_file():
        results = json.loads(json_path.read_text())
    results["command"] = ".venv/bin/python bench/named_queries.py --scale 1 && " + (
        ".venv/bin/python bench/named_queries.py --scale 0.1"
    )
    results["machine"] = run.machine()
    results["versions"] = run.versions()
    if only and label in results["scales"]:
        queries = {**results["scales"][label]["queries"], **queries}
        queries = {name: queries[name] for name in sorted(queries)}
    results["scales"][label] = {
        "states": states,
        "quads": quads,
        "samples": args.samples,
        "budget": args.budget,
        "seed": args.seed,
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "queries": queries,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=1))
    md_path.write_text(report(results))
    print(f"wrote {md_path} and {json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
