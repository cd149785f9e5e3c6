"""The work of ``hrgraph build | query | validate | serve``: each command reads its parsed
arguments, asks the layers below (docs/architecture.md) and prints what the user needs; errors
are raised as they are and translated once, in :func:`hrgraph.cli.main.main`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from hrgraph.cli.options import settings_from, split_param
from hrgraph.errors import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, BadInput
from hrgraph.settings import Limits, Service, Settings

if TYPE_CHECKING:
    from hrgraph.store.remote import RemoteStore


def run_build(args: argparse.Namespace) -> int:
    from hrgraph.build.pipeline import BuildError, build
    from hrgraph.store.generations import StoreBusy, StoreError

    settings = settings_from(args)
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


def run_query(args: argparse.Namespace) -> int:
    from hrgraph.query.execution import QuerySyntaxError, run_query
    from hrgraph.rdf.results import CLI_FORMATS, cli_output, render_table, serialize
    from hrgraph.sparql.queries import ParameterError, QueryFileError, load_query
    from hrgraph.sparql.querycheck import QueryRejected
    from hrgraph.store.backend import EmbeddedBackend, open_backend
    from hrgraph.store.remote import RemoteStore

    settings = settings_from(args)
    params = dict(split_param(item) for item in args.param)
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
    backend = open_backend(settings)
    if isinstance(backend, RemoteStore):
        return run_query_remote(backend, settings, args, text, origin)
    assert isinstance(backend, EmbeddedBackend)
    store = backend.current()
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


def run_query_remote(
    remote: RemoteStore, settings: Settings, args: argparse.Namespace, text: str, origin: str
) -> int:
    """``hrgraph query --store URL``: the same checks, answered by the remote store."""
    from dataclasses import replace

    import pyoxigraph as ox

    from hrgraph.query.execution import QueryFailed, QueryRequest
    from hrgraph.query.remote import RemoteExecutor
    from hrgraph.rdf.results import CLI_FORMATS, GRAPH_FORMATS, cli_output, render_table
    from hrgraph.sparql.querycheck import QueryRejected, query_form

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


def run_validate(args: argparse.Namespace) -> int:
    from hrgraph.validation.errors import ValidatorFailure
    from hrgraph.validation.reportformat import render
    from hrgraph.validation.validate import validate

    settings = settings_from(args)
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


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hrgraph.http.app import create_app, freeze_startup_heap
    from hrgraph.store.backend import open_backend
    from hrgraph.store.remote import RemoteStore

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
        answer_cache_mb=args.answer_cache_mb,
    )  # fmt: skip
    token = os.environ.get("HRGRAPH_WRITE_TOKEN") or None
    if args.write_token_file is not None:
        from hrgraph.build.writes import read_token_file

        try:
            token = read_token_file(args.write_token_file)
        except ValueError as error:
            raise BadInput(f"{args.write_token_file}: {error}") from None
    settings = settings_from(
        args, host=args.host, port=args.port, limits=limits, service=service,
        write_token=token, public_base=args.public_base,
    )  # fmt: skip
    backend = open_backend(settings)
    try:
        remote = isinstance(backend, RemoteStore)
        if remote and token:
            raise BadInput(
                "writes (a write token) are not supported over a remote store yet; write to the "
                "store itself, or serve a store folder"
            )
        graphs = backend.named_graphs()  # opens the store: stops here if it cannot be served
    finally:
        backend.close()
    if remote and not graphs:
        raise BadInput(
            f"no hrgraph dataset at {settings.remote_store}: run "
            f"`hrgraph build --store {settings.remote_store}`"
        )
    writes = "writes enabled (bearer token)" if token else "read-only"
    print(f"serving on http://{settings.host}:{settings.port}/sparql, {writes}", file=sys.stderr)
    from hrgraph.http.bounded import protocol_class

    app = create_app(settings)
    freeze_startup_heap()  # short pauses of the cycle collector under load
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_level="info",
        http=protocol_class(service),  # header, body and send deadlines; httptools' parser
        loop="auto",  # uvloop where it is installed (a dependency), else asyncio's own
        timeout_keep_alive=max(1, round(service.keep_alive_s)),
        limit_concurrency=service.max_connections,
        timeout_graceful_shutdown=5,
    )  # fmt: skip
    return EXIT_OK
