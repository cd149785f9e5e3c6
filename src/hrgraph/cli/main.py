"""The command line's entry point: the parser of ``hrgraph build | query | validate | serve``
(their work in :mod:`hrgraph.cli.commands`) and, from :mod:`hrgraph.cli.data`, ``import | links |
export | release``; and the command line's one translation of errors (docs/architecture.md,
"Seams").

Exit codes follow pySHACL's convention: 0 success (for ``validate``: the data conforms), 1 a
runtime failure (for ``validate``: findings), 2 bad input (a malformed file, query, parameter or
date, an unusable store path) with one message naming what and where.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from hrgraph import __version__
from hrgraph.cli import commands as commands_module
from hrgraph.cli.options import (
    iso_date,
    non_negative_int,
    positive_float,
    positive_int,
    store_option,
)
from hrgraph.errors import HrgraphError
from hrgraph.settings import Limits, Service, default_workers


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except HrgraphError as error:  # the command line's one translation of errors
        print(f"hrgraph: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hrgraph",
        description="Build, query and serve the hrgraph knowledge graph.",
    )
    parser.add_argument("--version", action="version", version=f"hrgraph {__version__}")
    parser.add_argument("--root", type=Path, help="project folder (default: found from here)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the ontology and data/ into the store")
    store_option(build, remote=True)
    build.add_argument("--quiet", action="store_true", help="print only errors and the summary")
    build.set_defaults(handler=commands_module.run_build)

    query = commands.add_parser("query", help="run a SPARQL query against the built store")
    source = query.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="a file holding a SPARQL query")
    source.add_argument("--name", "-n", help="a named query from queries/ (without .rq)")
    source.add_argument("--text", "-e", help="the query text itself")
    query.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter of a named query (repeatable)",
    )
    query.add_argument(
        "--format",
        "-f",
        default="table",
        choices=[
            "table",
            "csv",
            "sparql-csv",
            "tsv",
            "json",
            "xml",
            "turtle",
            "ntriples",
            "jsonld",
        ],
        help="output format (default: an aligned table; Turtle for CONSTRUCT/DESCRIBE); csv "
        "is neutralised for spreadsheets (a cell starting with = + - @ gets a leading '), "
        "sparql-csv is the exact SPARQL CSV results format",
    )
    store_option(query, remote=True)
    query.set_defaults(handler=commands_module.run_query)

    validate = commands.add_parser(
        "validate", help="validate the framework against the SHACL shapes, as of a date"
    )
    validate.add_argument(
        "--as-of", type=iso_date, help="the day to validate the framework as of (default: today)"
    )
    validate.add_argument(
        "--data", type=Path, nargs="+", metavar="FILE",
        help="validate these files (Turtle, N-Triples, JSON-LD) instead of the bundled data",
    )  # fmt: skip
    validate.add_argument(
        "--shapes", type=Path, nargs="+", metavar="FILE",
        help="shape files to use (default: every shapes/*.ttl)",
    )  # fmt: skip
    store_option(validate, remote=True)
    validate.add_argument(
        "--engine", default="auto", choices=["auto", "sparql", "pyshacl"],
        help="run the shapes as SPARQL on the store (sparql), with pySHACL on a copy (pyshacl), "
        "or as SPARQL when the shapes allow it, else pySHACL (auto, the default)",
    )  # fmt: skip
    validate.add_argument(
        "--full", action="store_true",
        help="judge every resource again, reusing no result of an earlier validation of the built "
        "store (by default the results are reused when no data file, write or import changed)",
    )  # fmt: skip
    validate.add_argument(
        "--format", "-f", default="text", choices=["text", "markdown", "json", "turtle", "html"],
        help="report format (default: text, grouped by institution, act and treaty article)",
    )  # fmt: skip
    validate.set_defaults(handler=commands_module.run_validate)

    serve = commands.add_parser(
        "serve",
        help="serve the built store over HTTP",
        description="Serve the built store over HTTP. Queries run in worker processes, each "
        "with a deadline and a memory limit; a killed or crashed worker is replaced. When every "
        "worker is busy and the queue is full the service answers 503 with Retry-After. "
        "docs/http-safety.md describes every limit.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--workers", type=positive_int, default=default_workers(),
        help=f"query worker processes (default: one per CPU, at least 2; here {default_workers()})",
    )  # fmt: skip
    serve.add_argument(
        "--queue", type=non_negative_int, default=Service.queue_size, metavar="N",
        help="requests that may wait for a busy worker before the service answers 503 "
        f"(default {Service.queue_size})",
    )  # fmt: skip
    serve.add_argument(
        "--query-timeout", type=positive_float, default=Limits.query_timeout_s, metavar="SECONDS",
        help="deadline of one query; the worker running it is then killed and replaced "
        f"(default {Limits.query_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--max-memory-mb", type=positive_int, default=Limits.max_memory_mb, metavar="MB",
        help=f"address space of one query worker (default {Limits.max_memory_mb})",
    )  # fmt: skip
    serve.add_argument(
        "--max-result-mb", type=positive_float, default=Limits.max_result_bytes / 1e6,
        metavar="MB", help="largest result sent; a larger one is refused with 413, never "
        f"truncated (default {Limits.max_result_bytes / 1e6:g})",
    )  # fmt: skip
    serve.add_argument(
        "--queue-timeout", type=positive_float, default=Service.queue_timeout_s,
        metavar="SECONDS", help="longest a request waits for a busy worker before 503 "
        f"(default {Service.queue_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--validation-workers", type=positive_int, default=Service.validation_workers,
        metavar="N", help="validations run at a time, each in its own process "
        f"(default {Service.validation_workers})",
    )  # fmt: skip
    serve.add_argument(
        "--validation-queue", type=non_negative_int, default=Service.validation_queue,
        metavar="N", help="validations that may wait before the service answers 503 "
        f"(default {Service.validation_queue})",
    )  # fmt: skip
    serve.add_argument(
        "--validation-timeout", type=positive_float, default=Service.validation_timeout_s,
        metavar="SECONDS", help="deadline of one validation; its process is then killed "
        f"(default {Service.validation_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--header-timeout", type=positive_float, default=Service.header_timeout_s,
        metavar="SECONDS", help="a request's headers must arrive within this time, its body "
        f"within --body-timeout (default {Service.header_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--body-timeout", type=positive_float, default=Service.body_timeout_s,
        metavar="SECONDS", help="a request's body must arrive within this time after its "
        f"headers (default {Service.body_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--send-timeout", type=positive_float, default=Service.send_timeout_s,
        metavar="SECONDS", help="a client that reads nothing of an answer for this long is "
        f"disconnected (default {Service.send_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--answer-cache-mb", type=non_negative_int, default=Service.answer_cache_mb, metavar="MB",
        help="memory for answers of the store generation served, given again without running "
        f"the query; 0: none (default {Service.answer_cache_mb})",
    )  # fmt: skip
    store_option(serve, remote=True)
    serve.add_argument(
        "--write-token-file", type=Path, metavar="FILE",
        help="enable SPARQL Update and the Graph Store Protocol for clients that send this file's "
        "first line as a bearer token (or set $HRGRAPH_WRITE_TOKEN); writes are off otherwise",
    )  # fmt: skip
    serve.add_argument(
        "--public-base", metavar="URL",
        help="the URL the service is published at, for links and the service description "
        "(default: http://HOST:PORT/)",
    )  # fmt: skip
    serve.set_defaults(handler=commands_module.run_serve)
    for command in (query, serve):
        command.add_argument(
            "--allow-service", action="append", default=[], metavar="ENDPOINT",
            help="allow SERVICE to this endpoint IRI (repeatable; SERVICE is refused otherwise)",
        )  # fmt: skip
    from hrgraph.cli.data import add_data_commands

    add_data_commands(commands)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
