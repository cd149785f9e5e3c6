"""The command line: ``hrgraph build | query | validate | serve``.

Exit codes follow pySHACL's convention: 0 success (for ``validate``: the data conforms), 1 a
runtime failure (for ``validate``: findings), 2 bad input (a malformed file, query, parameter or
date, an unusable store path) with one message naming what and where.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from hrgraph import __version__
from hrgraph.settings import Settings

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user; printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"hrgraph: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
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
    _store_option(build)
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
        choices=["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"],
        help="output format (default: an aligned table; Turtle for CONSTRUCT/DESCRIBE)",
    )
    _store_option(query)
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
    validate.add_argument(
        "--format", "-f", default="text", choices=["text", "markdown", "json", "turtle", "html"],
        help="report format (default: text, grouped by institution, act and treaty article)",
    )  # fmt: skip
    validate.set_defaults(handler=_validate)

    serve = commands.add_parser("serve", help="serve the built store over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    _store_option(serve)
    serve.set_defaults(handler=_serve)
    return parser


def _store_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--store",
        type=Path,
        help="store folder (default: $HRGRAPH_STORE or var/store in the project folder)",
    )


def _settings(args: argparse.Namespace, **extra: object) -> Settings:
    root: Path | None = args.root
    if root is not None and not (root / "ontology" / "hrgraph.ttl").is_file():
        raise UsageError(f"{root} is not an hrgraph project folder (no ontology/hrgraph.ttl)")
    return Settings.from_environment(root=root, store_path=getattr(args, "store", None), **extra)


def _build(args: argparse.Namespace) -> int:
    from hrgraph.build import BuildError, build
    from hrgraph.store import StoreError

    settings = _settings(args)
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    try:
        report, _store = build(settings, progress)
    except (BuildError, StoreError) as error:
        raise UsageError(f"{error}; the previous store, if any, is unchanged") from None
    width = max(len(graph.graph) for graph in report.graphs)
    for graph in report.graphs:
        print(f"{graph.graph.ljust(width)}  {graph.triples:>8}  {graph.source}")
    print(f"{'inferred'.ljust(width)}  {report.inferred:>8}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    from hrgraph.execution import QuerySyntaxError, run_query
    from hrgraph.queries import ParameterError, QueryFileError, load_query
    from hrgraph.querycheck import QueryRejected
    from hrgraph.results import render_table, serialize
    from hrgraph.store import GraphStore, StoreError, StoreLocation

    settings = _settings(args)
    params = dict(_split_param(item) for item in args.param)
    if args.name is not None:
        path = settings.queries_dir / f"{args.name}.rq"
        if not path.is_file():
            available = ", ".join(sorted(p.stem for p in settings.queries_dir.glob("*.rq")))
            raise UsageError(f"no named query {args.name!r} (available: {available or 'none'})")
        try:
            text = load_query(path).bind(params)
        except (QueryFileError, ParameterError, ValueError) as error:
            raise UsageError(str(error)) from None
        origin = f"query {args.name!r}"
    else:
        if params:
            raise UsageError("--param applies to named queries (--name) only")
        if args.file is not None:
            try:
                text = args.file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise UsageError(f"{args.file}: cannot be read: {error}") from None
            origin = str(args.file)
        else:
            text, origin = args.text, "the query"
    assert settings.store_path is not None
    try:
        store = GraphStore.open_read_only(StoreLocation(settings.store_path))
    except StoreError as error:
        raise UsageError(str(error)) from None
    try:
        result = run_query(store, text, settings.limits)
        if args.format == "table":
            output = render_table(result, text).encode("utf-8")
        else:
            output = serialize(result, args.format)
    except QueryRejected as error:
        raise UsageError(f"{origin}: {error}") from None
    except QuerySyntaxError as error:
        raise UsageError(f"{origin}: {error}") from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    sys.stdout.buffer.write(output)
    if output and not output.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    return EXIT_OK


def _split_param(item: str) -> tuple[str, str]:
    name, separator, value = item.partition("=")
    if not separator or not name:
        raise UsageError(f"--param {item!r} must be NAME=VALUE")
    return name, value


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
    from hrgraph.reportformat import render
    from hrgraph.validate import ValidationInputError, ValidatorFailure, validate

    settings = _settings(args)
    try:
        report = validate(settings, as_of=args.as_of, data_files=args.data, shape_files=args.shapes)
    except ValidationInputError as error:
        raise UsageError(str(error)) from None
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

    from hrgraph.api import create_app
    from hrgraph.store import GraphStore, StoreError, StoreLocation

    settings = _settings(args, host=args.host, port=args.port)
    assert settings.store_path is not None
    try:
        GraphStore.open_read_only(StoreLocation(settings.store_path))
    except StoreError as error:
        raise UsageError(str(error)) from None
    print(f"serving on http://{settings.host}:{settings.port}/sparql", file=sys.stderr)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
