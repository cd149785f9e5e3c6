"""The command line: ``hrgraph build | query | validate | serve`` and, in :mod:`hrgraph.cli.data`,
``import | links | export | release``.

Exit codes follow pySHACL's convention: 0 success (for ``validate``: the data conforms), 1 a
runtime failure (for ``validate``: findings), 2 bad input (a malformed file, query, parameter or
date, an unusable store path) with one message naming what and where.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from hrgraph import __version__
from hrgraph.errors import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, BadInput, HrgraphError
from hrgraph.settings import Limits, Service, Settings, default_workers


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
    _store_option(build, remote=True)
    build.add_argument("--quiet", action="store_true", help="print only errors and the summary")
    build.set_defaults(handler=_build)

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
    _store_option(query, remote=True)
    query.set_defaults(handler=_query)

    validate = commands.add_parser(
        "validate", help="validate the framework against the SHACL shapes, as of a date"
    )
    validate.add_argument(
        "--as-of", type=_iso_date, help="the day to validate the framework as of (default: today)"
    )
    validate.add_argument(
        "--data", type=Path, nargs="+", metavar="FILE",
        help="validate these files (Turtle, N-Triples, JSON-LD) instead of the bundled data",
    )  # fmt: skip
    validate.add_argument(
        "--shapes", type=Path, nargs="+", metavar="FILE",
        help="shape files to use (default: every shapes/*.ttl)",
    )  # fmt: skip
    _store_option(validate, remote=True)
    validate.add_argument(
        "--engine", default="auto", choices=["auto", "sparql", "pyshacl"],
        help="run the shapes as SPARQL on the store (sparql), with pySHACL on a copy (pyshacl), "
        "or as SPARQL when the shapes allow it, else pySHACL (auto, the default)",
    )  # fmt: skip
    validate.add_argument(
        "--full", action="store_true",
        help="judge every resource again, reusing no result of an earlier validation of the built "
        "store (by default only what a changed data file mentions is revalidated)",
    )  # fmt: skip
    validate.add_argument(
        "--format", "-f", default="text", choices=["text", "markdown", "json", "turtle", "html"],
        help="report format (default: text, grouped by institution, act and treaty article)",
    )  # fmt: skip
    validate.set_defaults(handler=_validate)

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
        "--workers", type=_positive_int, default=default_workers(),
        help=f"query worker processes (default: one per CPU, at least 2; here {default_workers()})",
    )  # fmt: skip
    serve.add_argument(
        "--queue", type=_non_negative_int, default=Service.queue_size, metavar="N",
        help="requests that may wait for a busy worker before the service answers 503 "
        f"(default {Service.queue_size})",
    )  # fmt: skip
    serve.add_argument(
        "--query-timeout", type=_positive_float, default=Limits.query_timeout_s, metavar="SECONDS",
        help="deadline of one query; the worker running it is then killed and replaced "
        f"(default {Limits.query_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--max-memory-mb", type=_positive_int, default=Limits.max_memory_mb, metavar="MB",
        help=f"address space of one query worker (default {Limits.max_memory_mb})",
    )  # fmt: skip
    serve.add_argument(
        "--max-result-mb", type=_positive_float, default=Limits.max_result_bytes / 1e6,
        metavar="MB", help="largest result sent; a larger one is refused with 413, never "
        f"truncated (default {Limits.max_result_bytes / 1e6:g})",
    )  # fmt: skip
    serve.add_argument(
        "--queue-timeout", type=_positive_float, default=Service.queue_timeout_s,
        metavar="SECONDS", help="longest a request waits for a busy worker before 503 "
        f"(default {Service.queue_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--validation-workers", type=_positive_int, default=Service.validation_workers,
        metavar="N", help="validations run at a time, each in its own process "
        f"(default {Service.validation_workers})",
    )  # fmt: skip
    serve.add_argument(
        "--validation-queue", type=_non_negative_int, default=Service.validation_queue,
        metavar="N", help="validations that may wait before the service answers 503 "
        f"(default {Service.validation_queue})",
    )  # fmt: skip
    serve.add_argument(
        "--validation-timeout", type=_positive_float, default=Service.validation_timeout_s,
        metavar="SECONDS", help="deadline of one validation; its process is then killed "
        f"(default {Service.validation_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--header-timeout", type=_positive_float, default=Service.header_timeout_s,
        metavar="SECONDS", help="a request's headers must arrive within this time, its body "
        f"within --body-timeout (default {Service.header_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--body-timeout", type=_positive_float, default=Service.body_timeout_s,
        metavar="SECONDS", help="a request's body must arrive within this time after its "
        f"headers (default {Service.body_timeout_s:g})",
    )  # fmt: skip
    serve.add_argument(
        "--send-timeout", type=_positive_float, default=Service.send_timeout_s,
        metavar="SECONDS", help="a client that reads nothing of an answer for this long is "
        f"disconnected (default {Service.send_timeout_s:g})",
    )  # fmt: skip
    _store_option(serve, remote=True)
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
    serve.set_defaults(handler=_serve)
    for command in (query, serve):
        command.add_argument(
            "--allow-service", action="append", default=[], metavar="ENDPOINT",
            help="allow SERVICE to this endpoint IRI (repeatable; SERVICE is refused otherwise)",
        )  # fmt: skip
    from hrgraph.cli.data import add_data_commands

    add_data_commands(commands, _store_option)
    return parser


def _store_option(command: argparse.ArgumentParser, *, remote: bool = False) -> None:
    if remote:
        command.add_argument(
            "--store",
            type=_store_location,
            metavar="FOLDER|URL",
            help="store folder, or the http(s) URL of an external SPARQL 1.1 store (credentials "
            "from $HRGRAPH_REMOTE_USER/$HRGRAPH_REMOTE_PASSWORD, $HRGRAPH_REMOTE_TOKEN or "
            "$HRGRAPH_REMOTE_TOKEN_FILE; README: Deployment) (default: $HRGRAPH_STORE or "
            "var/store in the project folder)",
        )
        return
    command.add_argument(
        "--store",
        type=_local_store,
        help="store folder (default: $HRGRAPH_STORE or var/store in the project folder)",
    )


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _store_location(text: str) -> Path | str:
    """A store folder or the URL of a remote store (kept as text)."""
    return text if _is_url(text) else Path(text)


def _local_store(text: str) -> Path:
    if _is_url(text):
        raise argparse.ArgumentTypeError(
            "a remote store (URL) is supported by build, query, serve and validate only; give a "
            "folder"
        )
    return Path(text)


def _settings(args: argparse.Namespace, **extra: object) -> Settings:
    root: Path | None = args.root
    if root is not None and not (root / "ontology" / "hrgraph.ttl").is_file():
        raise BadInput(f"{root} is not an hrgraph project folder (no ontology/hrgraph.ttl)")
    store = getattr(args, "store", None)
    remote = store if isinstance(store, str) else None
    local = None if isinstance(store, str) else store
    settings = Settings.from_environment(root=root, store_path=local, remote_store=remote, **extra)
    remote_commands = {"build", "query", "serve", "validate"}
    if settings.remote_store is not None and args.command not in remote_commands:
        raise BadInput(
            "a remote store ($HRGRAPH_STORE is a URL) is supported by build, query, serve and "
            "validate only"
        )
    return settings


def _build(args: argparse.Namespace) -> int:
    from hrgraph.build.pipeline import BuildError, build
    from hrgraph.store.local import StoreBusy, StoreError

    settings = _settings(args)
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    try:
        report, _store = build(settings, progress)
    except StoreBusy as error:  # a runtime condition, not bad input: exit 1
        print(f"hrgraph: {error}; the previous store, if any, is unchanged", file=sys.stderr)
        return EXIT_FAILURE
    except (BuildError, StoreError) as error:
        raise BadInput(f"{error}; the previous store, if any, is unchanged") from None
    width = max(len(graph.graph) for graph in report.graphs)
    for graph in report.graphs:
        print(f"{graph.graph.ljust(width)}  {graph.triples:>8}  {graph.source}")
    print(f"{'inferred'.ljust(width)}  {report.inferred:>8}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    from hrgraph.query.execution import QuerySyntaxError, run_query
    from hrgraph.rdf.results import CLI_FORMATS, cli_output, render_table, serialize
    from hrgraph.sparql.queries import ParameterError, QueryFileError, load_query
    from hrgraph.sparql.querycheck import QueryRejected
    from hrgraph.store.local import GraphStore, StoreLocation

    settings = _settings(args)
    params = dict(_split_param(item) for item in args.param)
    if args.name is not None:
        path = settings.queries_dir / f"{args.name}.rq"
        if not path.is_file():
            available = ", ".join(sorted(p.stem for p in settings.queries_dir.glob("*.rq")))
            raise BadInput(f"no named query {args.name!r} (available: {available or 'none'})")
        try:
            text = load_query(path).bind(params)
        except (QueryFileError, ParameterError, ValueError) as error:
            raise BadInput(str(error)) from None
        origin = f"query {args.name!r}"
    else:
        if params:
            raise BadInput("--param applies to named queries (--name) only")
        if args.file is not None:
            try:
                text = args.file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise BadInput(f"{args.file}: cannot be read: {error}") from None
            origin = str(args.file)
        else:
            text, origin = args.text, "the query"
    if settings.remote_store is not None:
        return _query_remote(settings, args, text, origin)
    assert settings.store_path is not None
    store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    if args.allow_service:
        from dataclasses import replace

        settings = replace(
            settings, limits=replace(settings.limits, service_endpoints=tuple(args.allow_service))
        )
    try:
        result = run_query(store, text, settings.limits)
        if args.format == "table":
            output = render_table(result, text).encode("utf-8")
        else:
            output = cli_output(
                args.format, serialize(result, CLI_FORMATS.get(args.format, args.format))
            )
    except QueryRejected as error:
        raise BadInput(f"{origin}: {error}") from None
    except QuerySyntaxError as error:
        raise BadInput(f"{origin}: {error}") from None
    except ValueError as error:
        raise BadInput(str(error)) from None
    sys.stdout.buffer.write(output)
    if output and not output.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    return EXIT_OK


def _query_remote(settings: Settings, args: argparse.Namespace, text: str, origin: str) -> int:
    """``hrgraph query --store URL``: the same checks, answered by the remote store."""
    from dataclasses import replace

    import pyoxigraph as ox

    from hrgraph.query.execution import QueryFailed, QueryRequest
    from hrgraph.rdf.results import CLI_FORMATS, GRAPH_FORMATS, cli_output, render_table
    from hrgraph.sparql.querycheck import QueryRejected, query_form
    from hrgraph.store.remote import RemoteExecutor, RemoteStore

    limits = replace(settings.limits, service_endpoints=tuple(args.allow_service))
    try:
        form = query_form(text)
    except ValueError as error:
        raise BadInput(f"{origin}: {error}") from None
    graph_query = form in {"CONSTRUCT", "DESCRIBE"}
    table = args.format == "table"
    wire_format = CLI_FORMATS.get(args.format, args.format)
    result_format = ("turtle" if graph_query else "json") if table else wire_format
    if graph_query != (result_format in GRAPH_FORMATS):
        kind = "an RDF syntax" if graph_query else "a results format"
        raise BadInput(f"{origin}: a {form} query needs {kind}, not {args.format}")
    remote = RemoteStore.from_url(settings.remote_store or "")
    try:
        output = RemoteExecutor(remote, limits).run(QueryRequest(text, result_format)).body
        if table and not graph_query:
            parsed = ox.parse_query_results(output, format=ox.QueryResultsFormat.JSON)
            output = render_table(parsed, text).encode("utf-8")
        elif not table:
            output = cli_output(args.format, output)
    except QueryRejected as error:
        raise BadInput(f"{origin}: {error}") from None
    except QueryFailed as error:
        if error.status == 400:
            raise BadInput(f"{origin}: {error}") from None
        print(f"hrgraph: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        remote.close()
    sys.stdout.buffer.write(output)
    if output and not output.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    return EXIT_OK


def _split_param(item: str) -> tuple[str, str]:
    name, separator, value = item.partition("=")
    if not separator or not name:
        raise BadInput(f"--param {item!r} must be NAME=VALUE")
    return name, value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _non_negative_int(text: str) -> int:
    return 0 if text.strip() == "0" else _positive_int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def _iso_date(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2009-06-01"
        ) from None


def _validate(args: argparse.Namespace) -> int:
    from hrgraph.validation.reportformat import render
    from hrgraph.validation.validate import ValidatorFailure, validate

    settings = _settings(args)
    try:
        report = validate(
            settings,
            as_of=args.as_of,
            data_files=args.data,
            shape_files=args.shapes,
            engine=args.engine,
            incremental=not args.full,
        )
    except ValidatorFailure as error:
        print(
            f"hrgraph: the validator failed (not a finding about the data): {error}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    sys.stdout.write(render(report, args.format))
    return EXIT_OK if report.conforms else EXIT_FAILURE


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hrgraph.http.app import create_app
    from hrgraph.store.local import GraphStore, StoreLocation

    limits = Limits(
        query_timeout_s=args.query_timeout,
        max_memory_mb=args.max_memory_mb,
        max_result_bytes=int(args.max_result_mb * 1_000_000),
        service_endpoints=tuple(args.allow_service),
    )
    service = Service(
        workers=args.workers, queue_size=args.queue, queue_timeout_s=args.queue_timeout,
        validation_workers=args.validation_workers, validation_queue=args.validation_queue,
        validation_timeout_s=args.validation_timeout, header_timeout_s=args.header_timeout,
        body_timeout_s=args.body_timeout, send_timeout_s=args.send_timeout,
    )  # fmt: skip
    token = os.environ.get("HRGRAPH_WRITE_TOKEN") or None
    if args.write_token_file is not None:
        from hrgraph.build.writes import read_token_file

        try:
            token = read_token_file(args.write_token_file)
        except ValueError as error:
            raise BadInput(f"{args.write_token_file}: {error}") from None
    settings = _settings(
        args, host=args.host, port=args.port, limits=limits, service=service,
        write_token=token, public_base=args.public_base,
    )  # fmt: skip
    if settings.remote_store is not None:
        from hrgraph.store.remote import RemoteStore

        if token:
            raise BadInput(
                "writes (a write token) are not supported over a remote store yet; write to the "
                "store itself, or serve a store folder"
            )

        remote = RemoteStore.from_url(settings.remote_store)
        try:
            graphs = remote.manifest()
        finally:
            remote.close()
        if not graphs:
            raise BadInput(
                f"no hrgraph dataset at {settings.remote_store}: run "
                f"`hrgraph build --store {settings.remote_store}`"
            )
    else:
        assert settings.store_path is not None
        GraphStore.open_read_only(StoreLocation(settings.store_path))
    writes = "writes enabled (bearer token)" if token else "read-only"
    print(f"serving on http://{settings.host}:{settings.port}/sparql, {writes}", file=sys.stderr)
    from hrgraph.http.bounded import protocol_class

    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_level="info",
        http=protocol_class(service),  # header, body and send deadlines
        timeout_keep_alive=max(1, round(service.keep_alive_s)),
        h11_max_incomplete_event_size=16 * 1024,  # the request line and headers
        limit_concurrency=service.max_connections,
        timeout_graceful_shutdown=5,
    )  # fmt: skip
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
