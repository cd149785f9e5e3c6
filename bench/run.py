"""Benchmark: hrgraph side by side with Oxigraph's own server, rdflib-endpoint and plain pySHACL,
on generated data at growing scale (bench/generate.py).

    make bench                     # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --scales 0.01,0.1,1 --runs 3 --duration 5

For each scale: build time, store size and the build's peak memory; cold start of
``hrgraph serve`` (and of ``oxigraph serve-read-only``) to its first answer; throughput and
p50/p95/p99 latency of the named-query mix (every ``queries/*.rq``, parameters sampled
deterministically over the generated States, bound by hrgraph's own binding) at 1, 4 and 16
concurrent clients against ``hrgraph serve``, ``oxigraph serve-read-only`` on the very same store
folder and, at the scales it can hold, rdflib-endpoint on the same quads; peak memory (RSS of the
server and its workers, psutil); whole-graph SHACL validation as ``hrgraph validate`` does it
against plain pySHACL on the same snapshot and shapes, findings compared. Loopback only;
every run is bounded in time; medians of ``--runs`` runs. Writes ``bench/results/bench.md``,
``bench/results/bench.json`` and ``bench/results/bench.png``. Timing belongs here, never in tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from hrgraph.sparql.queries import load_queries  # noqa: E402

BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
ACCEPT = "application/sparql-results+json"
AS_OF = date(2026, 11, 1)


# --- processes and memory ---------------------------------------------------------------------


class PeakMemory:
    """Samples the RSS of a process and its children (workers) until stopped; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                self.peak = max(self.peak, sum(_rss(p) for p in procs))
            except psutil.Error:
                return
            time.sleep(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join(2)
        return self.peak


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    command: list[str]
    path: str  # the SPARQL endpoint's path
    port: int
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    memory: PeakMemory | None = None

    def start(self, timeout: float) -> float:
        """Start the server; return the seconds to its first answer to ``ASK {}``."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **self.env},
            start_new_session=True,
        )
        self.memory = PeakMemory(self.process.pid)
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                status, _ = request(self.port, self.path, "ASK {}", timeout=5)
                if status == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:g} s")

    def stop(self) -> int:
        """Stop the server (its own process group only); return its peak memory in bytes."""
        peak = self.memory.stop() if self.memory else 0
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(5)
        self.process = None
        return peak


def request(port: int, path: str, query: str, timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        return _post(connection, path, query)
    finally:
        connection.close()


def _post(connection: http.client.HTTPConnection, path: str, query: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": query})
    connection.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT},
    )
    response = connection.getresponse()
    return response.status, response.read()


# --- the query mix ------------------------------------------------------------------------------


def sample_parameters(
    states: int, size: int = 60, seed: int = 8
) -> list[tuple[str, dict[str, str]]]:
    """``size`` (name, parameter values) pairs: every named query in turn, parameters sampled
    deterministically over the generated States (and Kazakhstan)."""
    queries = load_queries(ROOT / "queries")
    rng = random.Random(seed)  # noqa: S311 (sampling, not secrets)
    state_iris = [
        f"https://w3id.org/hrgraph/id/state/{generate.code(n).lower()}" for n in range(states)
    ] + ["https://w3id.org/hrgraph/id/state/kaz"]
    names = sorted(queries)
    samples: list[tuple[str, dict[str, str]]] = []
    for index in range(size):
        name = names[index % len(names)]
        known = {p.name for p in queries[name].parameters}
        values: dict[str, str] = {}
        if "state" in known:
            values["state"] = rng.choice(state_iris)
        if name == "recommendations":
            if rng.random() < 0.5:
                values["cycle"] = str(rng.randint(1, 4))
            if rng.random() < 0.5:
                values["right"] = "https://w3id.org/hrgraph/id/right/" + rng.choice(generate.RIGHTS)
        if "date" in known:
            values["date"] = f"{rng.randint(2000, 2026)}-{rng.randint(1, 12):02d}-01"
        if name == "changes-between":
            year = rng.randint(2005, 2025)
            values.update({"from": f"{year}-01-01", "to": f"{year + 1}-01-01"})
        samples.append((name, values))
    return samples


def query_mix(states: int, size: int = 60, seed: int = 8) -> list[tuple[str, str]]:
    """``size`` (name, SPARQL) pairs: :func:`sample_parameters` bound as hrgraph's named-query
    API binds them."""
    queries = load_queries(ROOT / "queries")
    return [
        (name, queries[name].bind(values)) for name, values in sample_parameters(states, size, seed)
    ]


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def load(
    port: int, path: str, mix: list[tuple[str, str]], clients: int, duration: float
) -> LoadResult:
    """``clients`` threads, each with one keep-alive connection, sending the mix for
    ``duration`` seconds (a request in flight is finished; at most 60 s each)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at: list[float] = [0.0]

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        position = (number * 7) % len(mix)
        start.wait()
        while time.perf_counter() < stop_at[0]:
            _, query = mix[position % len(mix)]
            position += 1
            began = time.perf_counter()
            try:
                status, _ = _post(connection, path, query)
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if status == 200:
                latencies[number].append(time.perf_counter() - began)
            else:
                errors[number] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join(duration + 120)
    seconds = time.perf_counter() - began
    flat = [x for per in latencies for x in per]
    return LoadResult(len(flat), sum(errors), seconds, flat)


def answers(port: int, path: str, mix: list[tuple[str, str]]) -> dict[str, int]:
    """Warm-up: the first query of each name once; its number of result rows (-1: an error or
    no answer within 60 s)."""
    rows = {}
    for name, query in mix:
        if name in rows:
            continue
        try:
            status, body = request(port, path, query, timeout=60)
            data = json.loads(body) if status == 200 else None
            rows[name] = len(data["results"]["bindings"]) if data else -1
        except (OSError, ValueError, KeyError):
            rows[name] = -1
    return rows


# --- the steps ----------------------------------------------------------------------------------


def timed_process(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    memory = PeakMemory(process.pid)
    _, errors = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"failed: {' '.join(command)}\n{errors[-2000:]}")
    return time.perf_counter() - started, memory.stop()


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def bench_build(root: Path, store: Path, runs: int) -> dict[str, Any]:
    seconds, peaks = [], []
    for _ in range(runs):
        if store.exists():
            shutil.rmtree(store)
        s, peak = timed_process(
            [str(BIN / "hrgraph"), "--root", str(root), "build", "--store", str(store), "--quiet"]
        )
        seconds.append(s)
        peaks.append(peak)
    current = (store / "current").resolve()
    import pyoxigraph as ox

    triples = len(ox.Store.read_only(str(current)))
    return {
        "seconds": statistics.median(seconds),
        "runs": runs,
        "store_bytes": folder_size(current),
        "quads": triples,
        "peak_rss": max(peaks),
    }


def servers(
    root: Path, store: Path, nquads: Path | None, answer_cache: bool = False
) -> dict[str, Callable[[], Server]]:
    """The servers compared, each started on demand; hrgraph's answer cache is off unless
    ``answer_cache`` (the query mix measures running queries, as Oxigraph does; the cache has
    its own benchmark, bench/http_cache.py)."""
    current = str((store / "current").resolve())
    made: dict[str, Callable[[], Server]] = {}

    def hrgraph() -> Server:
        port = free_port()
        return Server(
            "hrgraph",
            [
                str(BIN / "hrgraph"),
                "--root",
                str(root),
                "serve",
                "--store",
                str(store),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                *([] if answer_cache else ["--answer-cache-mb", "0"]),
            ],
            "/sparql",
            port,
        )

    def oxigraph() -> Server:
        port = free_port()
        return Server(
            "oxigraph",
            [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                current,
                "--union-default-graph",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            "/query",
            port,
        )

    made["hrgraph"] = hrgraph
    made["oxigraph"] = oxigraph
    if nquads is not None:

        def rdflib_endpoint() -> Server:
            port = free_port()
            return Server(
                "rdflib-endpoint",
                [sys.executable, str(ROOT / "bench" / "rdflib_server.py"), str(nquads), str(port)],
                "/sparql",
                port,
            )

        made["rdflib-endpoint"] = rdflib_endpoint
    return made


def summarise(per_run: list[LoadResult]) -> dict[str, float]:
    return {
        "throughput": statistics.median(r.throughput for r in per_run),
        "p50": statistics.median(r.percentile(50) for r in per_run),
        "p95": statistics.median(r.percentile(95) for r in per_run),
        "p99": statistics.median(r.percentile(99) for r in per_run),
        "requests": sum(r.requests for r in per_run),
        "errors": sum(r.errors for r in per_run),
    }


def bench_servers(
    makers: dict[str, Callable[[], Server]],
    mix: list[tuple[str, str]],
    concurrencies: list[int],
    runs: int,
    duration: float,
    start_timeout: float,
    warm: bool = True,
) -> dict[str, dict[str, Any]]:
    """Cold starts of each server, then the load runs *interleaved* (server A, server B, A, B,
    ... at each concurrency) with every server up, so the shared machine's noise falls on all
    of them alike; medians over the runs."""
    results: dict[str, dict[str, Any]] = {}
    started: dict[str, Server] = {}
    try:
        for name, make in makers.items():
            cold: list[float] = []
            for _ in range(max(1, runs) - 1):  # cold starts alone; the last one serves the load
                server = make()
                cold.append(server.start(start_timeout))
                server.stop()
            server = make()
            cold.append(server.start(start_timeout))
            started[name] = server
            results[name] = {"cold_start_s": statistics.median(cold), "load": {}}
            if warm:
                results[name]["rows"] = answers(server.port, server.path, mix)
        for clients in concurrencies:
            per_run: dict[str, list[LoadResult]] = {name: [] for name in started}
            for _ in range(runs):
                for name, server in started.items():
                    per_run[name].append(load(server.port, server.path, mix, clients, duration))
            for name in started:
                results[name]["load"][str(clients)] = summarise(per_run[name])
                print(
                    f"    {name} {clients:>2} clients: {results[name]['load'][str(clients)]}",
                    flush=True,
                )
    finally:
        for name, server in started.items():
            results[name]["peak_rss"] = server.stop()
    return results


def bench_validation(root: Path, store: Path, runs: int) -> dict[str, Any]:
    """Whole-graph validation as ``hrgraph validate`` does it (from the store built from
    ``root``) against plain pySHACL (the same data and shapes), in a child process so its memory
    is measured alone."""
    script = ROOT / "bench" / "validate_scale.py"
    out = subprocess.run(
        [sys.executable, str(script), str(root), str(store), str(runs), AS_OF.isoformat()],
        capture_output=True,
        text=True,
        check=True,
    )
    result = dict(json.loads(out.stdout.strip().splitlines()[-1]))
    result.pop("plain_findings_list", None)  # compared in the child; too long to keep
    return result


# --- the report ---------------------------------------------------------------------------------


def _validation_method(val: dict[str, Any]) -> str:
    if "basis" not in val:  # results of an earlier harness
        return "build in memory, snapshot, shapes, report"
    basis = str(val["basis"]).split(" (")[0]  # the store's path is this machine's
    return f"{basis}: a checkpoint, cut to the day; {val['engine']}; report"


def versions() -> dict[str, str]:
    names = ["hrgraph", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "pyshacl"]
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["python"] = platform.python_version()
    return found


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs ({cpu}), {memory:.0f} GiB, {platform.system()}"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def report(results: dict[str, Any]) -> str:
    v = results["versions"]
    lines = [
        "# Benchmarks: hrgraph beside Oxigraph's server, rdflib-endpoint and plain pySHACL",
        "",
        f"Measured {results['date']} on {results['machine']}; hrgraph {v['hrgraph']}, "
        f"pyoxigraph {v['pyoxigraph']}, oxigraph server {v['oxigraph']}, rdflib {v['rdflib']}, "
        f"rdflib-endpoint {v['rdflib-endpoint']}, pySHACL {v['pyshacl']}, Python {v['python']}. "
        f"Command: `{results['command']}`. Medians of {results['runs']} load runs per "
        "concurrency (their length is given for each scale); the query mix is "
        f"{results['mix_size']} "
        "bound named queries (all of `queries/*.rq`, parameters sampled with a fixed seed), "
        "sent as SPARQL protocol POSTs on loopback with `Accept: application/sparql-results+json`"
        "; both servers read the same store folder, and hrgraph's answer cache is off (every "
        "request runs its query; the cache is measured by `bench/http_cache.py`). Throughput is "
        "answered requests over the time "
        "from the start until the last request in flight is answered (clients stop sending after "
        "the run's duration). Latencies in milliseconds.",
        "",
    ]
    for scale, r in results["scales"].items():
        b = r["build"]
        lines += [
            f"## Scale {scale}: {r['states']} synthetic States + the real graph, "
            f"{b['quads']:,} quads",
            "",
            f"Load runs of {r.get('duration', results['duration']):g} s. "
            f"Build {b['seconds']:.1f} s (median of {b['runs']}), "
            f"store {b['store_bytes'] / 2**20:.0f}"
            f" MiB, build peak memory {b['peak_rss'] / 2**20:.0f} MiB.",
            "",
            "| server | clients | queries/s | p50 | p95 | p99 | errors | throughput ratio | "
            "p99 ratio | target |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        servers_ = r["servers"]
        ox_ = servers_.get("oxigraph", {}).get("load", {})
        hr_ = servers_.get("hrgraph", {}).get("load", {})
        for name, s in servers_.items():
            for clients, m in s.get("load", {}).items():
                ratio = p99_ratio = target = ""
                if name == "hrgraph" and clients in ox_:
                    t = m["throughput"] / ox_[clients]["throughput"]
                    q = m["p99"] / ox_[clients]["p99"]
                    ratio, p99_ratio = f"{t:.2f}x Oxigraph", f"{q:.2f}x Oxigraph"
                    target = f"≥0.8x: {verdict(t >= 0.8)}; p99 ≤1.5x: {verdict(q <= 1.5)}"
                if name == "rdflib-endpoint" and clients in hr_:
                    t = hr_[clients]["throughput"] / max(m["throughput"], 1e-9)
                    ratio = f"hrgraph {t:.0f}x"
                    target = f"hrgraph ≥50x: {verdict(t >= 50)}"
                lines.append(
                    f"| {name} | {clients} | {m['throughput']:.1f} | {m['p50'] * 1e3:.1f} | "
                    f"{m['p95'] * 1e3:.1f} | {m['p99'] * 1e3:.1f} | {m['errors']} | {ratio} | "
                    f"{p99_ratio} | {target} |"
                )
        lines += [
            "",
            "| server | cold start to first answer (s) | peak memory (MiB) "
            "| same answers as Oxigraph |",
            "| --- | ---: | ---: | --- |",
        ]
        ox_rows = servers_.get("oxigraph", {}).get("rows")
        for name, s in servers_.items():
            if "error" in s:
                lines.append(f"| {name} | not measured: {s['error']} | | |")
                continue
            rows = s.get("rows") or {}
            differ = sorted(k for k in rows if ox_rows and rows[k] != ox_rows.get(k))
            same = (
                "—"
                if name == "oxigraph"
                else "not compared (no warm-up)"
                if not rows
                else "yes (row counts of every named query)"
                if not differ
                else "differs on " + ", ".join(differ)
            )
            target = f" (<2 s: {verdict(s['cold_start_s'] < 2)})" if name == "hrgraph" else ""
            lines.append(
                f"| {name} | {s['cold_start_s']:.2f}{target} | {s['peak_rss'] / 2**20:.0f} | "
                f"{same} |"
            )
        val = r.get("validation")
        lines.append("")
        if val is None:
            lines.append("Validation: not measured at this scale.")
        elif "error" in val:
            lines.append(f"Validation: not measured: {val['error']}")
        else:
            ratio = val["plain_s"] / val["hrgraph_s"]
            lines += [
                f"| validation of the whole graph (median of {val.get('runs', 1)}) | seconds | "
                "findings | peak memory (MiB) |",
                "| --- | ---: | ---: | ---: |",
                f"| `hrgraph validate` ({_validation_method(val)}) | "
                f"{val['hrgraph_s']:.2f} | {val['hrgraph_findings']} | "
                f"{val.get('hrgraph_peak_rss', val['peak_rss']) / 2**20:.0f} |",
                f"| plain pySHACL on the same data and shapes (validation only) | "
                f"{val['plain_s']:.2f} | {val['plain_findings']} | "
                + (
                    f"{val['peak_rss'] / 2**20:.0f} (the process's) |"
                    if "hrgraph_peak_rss" in val
                    else "(same process) |"
                ),
                "",
                f"Identical findings: {'yes' if val['same'] else '**NO**'}. hrgraph is "
                f"{ratio:.2f}x as fast as plain pySHACL; target ≥10x from scale 0.1: "
                + (verdict(ratio >= 10) if float(scale) >= 0.1 else "not applicable below 0.1")
                + ".",
            ]
        lines.append("")
    kz = results.get("kazakhstan_validation")
    if kz:
        lines += [
            "## The Kazakhstan graph",
            "",
            f"`hrgraph validate` of the bundled graph (as of {AS_OF}): {kz['hrgraph_s']:.2f} s "
            f"(median of {kz['runs']}); target < 2 s: {verdict(kz['hrgraph_s'] < 2)}."
            + (
                f" Plain pySHACL: {kz['plain_s']:.2f} s, findings identical: "
                f"{'yes' if kz['same'] else '**NO**'}."
                if "plain_s" in kz
                else ""
            ),
            "",
        ]
    if results.get("not_measured"):
        unique = dict.fromkeys(results["not_measured"])  # a merged run repeats the old ones
        lines += ["## Not measured", ""] + [f"- {x}" for x in unique] + [""]
    return "\n".join(lines)


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = list(results["scales"])
    fig, axes = plt.subplots(2, len(scales), figsize=(5 * len(scales), 7), squeeze=False)
    colours = {"hrgraph": "#1b6ca8", "oxigraph": "#d9822b", "rdflib-endpoint": "#7a7a7a"}
    for column, scale in enumerate(scales):
        servers_ = results["scales"][scale]["servers"]
        names = [n for n in servers_ if servers_[n].get("load")]
        concurrencies = sorted({int(c) for n in names for c in servers_[n]["load"]})
        width = 0.8 / max(1, len(names))
        for row, (metric, label) in enumerate(
            [("throughput", "queries/s"), ("p99", "p99 latency (ms)")]
        ):
            ax = axes[row][column]
            for i, name in enumerate(names):
                load_ = servers_[name]["load"]
                xs = [k + i * width for k, c in enumerate(concurrencies) if str(c) in load_]
                ys = [
                    load_[str(c)][metric] * (1e3 if metric == "p99" else 1)
                    for c in concurrencies
                    if str(c) in load_
                ]
                ax.bar(xs, ys, width, label=name, color=colours.get(name))
            ax.set_xticks([k + width * (len(names) - 1) / 2 for k in range(len(concurrencies))])
            ax.set_xticklabels([f"{c} clients" for c in concurrencies])
            ax.set_ylabel(label)
            if metric == "p99":  # throughput on a linear axis from 0, so ratios read true
                ax.set_yscale("log")
            ax.set_title(f"scale {scale}: {label}")
            ax.legend(fontsize=8)
    fig.suptitle(f"hrgraph named-query mix, {results['date']}, {results['machine'][:60]}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.01,0.1", help="comma-separated scale factors")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load run")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--rdflib-max-scale", type=float, default=0.01)
    parser.add_argument("--validation-max-scale", type=float, default=0.1)
    parser.add_argument("--start-timeout", type=float, default=300.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other scales already in the output's bench.json (e.g. add scale 1.0)",
    )
    parser.add_argument(
        "--validation-only",
        action="store_true",
        help="measure SHACL validation only (building a scale's store if it is missing); with "
        "--merge the other measurements of each scale are kept",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write bench.md and bench.png again from the output's bench.json",
    )
    args = parser.parse_args()
    if args.report_only:
        saved = json.loads((args.output / "bench.json").read_text())
        (args.output / "bench.md").write_text(report(saved))
        chart(saved, args.output / "bench.png")
        return 0
    scales = [float(s) for s in args.scales.split(",")]
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "versions": versions(),
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "runs": args.runs,
        "duration": args.duration,
        "scales": {},
        "not_measured": [],
    }
    args.output.mkdir(parents=True, exist_ok=True)
    previous = args.output / "bench.json"
    if args.merge and previous.is_file():
        old = json.loads(previous.read_text())
        results["scales"] = {k: v for k, v in old.get("scales", {}).items()}
        results["mix_size"] = old.get("mix_size")
        results["not_measured"] = [
            x for x in old.get("not_measured", []) if "not in --scales" not in x
        ]
        results["command"] += f" (merged into the results of: {old.get('command')})"
        if args.validation_only:  # the load runs kept are the earlier run's
            results["runs"], results["duration"] = old.get("runs"), old.get("duration")

    def save() -> None:
        (args.output / "bench.json").write_text(json.dumps(results, indent=1))
        (args.output / "bench.md").write_text(report(results))
        chart(results, args.output / "bench.png")

    for scale in scales:
        label = f"{scale:g}"
        print(f"scale {label}", flush=True)
        root = generate.generate(scale, WORK / f"scale-{label}")
        store = WORK / f"store-{label}"
        states = generate.states_for(scale)
        if args.validation_only:
            kept = results["scales"].get(label)
            entry = kept or {"states": states, "servers": {}, "duration": args.duration}
            results["scales"][label] = entry
            if not (store / "current").exists() or "build" not in entry:
                entry["build"] = bench_build(root, store, 1)
            entry["validation"] = bench_validation(root, store, args.runs)
            print(f"  validation: {entry['validation']}", flush=True)
            results["not_measured"] = [
                x
                for x in results["not_measured"]
                if not x.startswith(f"SHACL validation at scale {label} ")
            ]
            save()
            continue
        entry: dict[str, Any] = {"states": states, "servers": {}, "duration": args.duration}
        results["scales"][label] = entry
        entry["build"] = bench_build(root, store, args.runs if scale <= 0.01 else 1)
        print(f"  build: {entry['build']}", flush=True)
        mix = query_mix(states)
        results["mix_size"] = len(mix)
        nquads = None
        if scale <= args.rdflib_max_scale:
            nquads = WORK / f"dump-{label}.nq"
            import pyoxigraph as ox

            ox.Store.read_only(str((store / "current").resolve())).dump(
                str(nquads), ox.RdfFormat.N_QUADS
            )
            results["not_measured"].append(
                f"rdflib-endpoint at scale {label}: one run per concurrency, 1 and 4 clients "
                "only (at seconds a query, 16 clients queue past the 60 s client timeout); "
                "no warm-up, so its answers are not compared"
            )
        else:
            results["not_measured"].append(
                f"rdflib-endpoint at scale {label} (above --rdflib-max-scale "
                f"{args.rdflib_max_scale:g}: loading the quads into rdflib takes too long)"
            )
        makers = servers(root, store, nquads)
        slow = makers.pop("rdflib-endpoint", None)
        groups: list[tuple[dict[str, Callable[[], Server]], bool]] = [(makers, False)]
        if slow is not None:  # seconds a query: one run, no 16-client queue, no warm-up
            groups.append(({"rdflib-endpoint": slow}, True))
        for group, is_slow in groups:
            print(f"  {', '.join(group)}", flush=True)
            try:
                entry["servers"].update(
                    bench_servers(
                        group,
                        mix,
                        [c for c in concurrencies if c <= 4] if is_slow else concurrencies,
                        1 if is_slow else args.runs,
                        args.duration,
                        args.start_timeout,
                        warm=not is_slow,
                    )
                )
            except Exception as error:  # a peer that fails is reported, not fatal
                for name in group:
                    entry["servers"].setdefault(name, {"error": str(error)})
                results["not_measured"].append(f"{', '.join(group)} at scale {label}: {error}")
            save()
        if scale <= args.validation_max_scale:
            try:
                entry["validation"] = bench_validation(root, store, args.runs)
            except subprocess.CalledProcessError as error:
                entry["validation"] = {"error": (error.stderr or "")[-300:]}
            print(f"  validation: {entry['validation']}", flush=True)
        else:
            results["not_measured"].append(
                f"SHACL validation at scale {label} (above --validation-max-scale "
                f"{args.validation_max_scale:g})"
            )
        save()
    if "1" not in results["scales"]:
        results["not_measured"].append("scale 1.0 (not in --scales for this run)")
    kz_store = WORK / "store-kazakhstan"
    bench_build(ROOT, kz_store, 1)
    kz = bench_validation(ROOT, kz_store, args.runs)
    results["kazakhstan_validation"] = {**kz, "runs": args.runs}
    save()
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
