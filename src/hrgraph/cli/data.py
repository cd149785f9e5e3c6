"""The command line's open-data commands: ``hrgraph import | links | export | release``
(docs/importers.md). Exit codes as in :mod:`hrgraph.cli.main`: 0 success, 1 a runtime failure
(``links``: malformed links found), 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from hrgraph import __version__
from hrgraph.cli.options import project_root, store_option
from hrgraph.errors import EXIT_FAILURE, EXIT_OK, BadInput
from hrgraph.settings import Settings


def add_data_commands(commands: Any) -> None:
    """Add ``import``, ``links``, ``export`` and ``release`` to the CLI's subcommands."""
    importer = commands.add_parser(
        "import",
        help="import a UHRI, UPR Info or treaty-status export into the store",
        description="Import an export into its own named graph, graph/import/KIND/FILE-STEM, "
        "as a new store generation (a failed import changes nothing; a re-import replaces the "
        "graph). The import is kept in the store folder and survives `hrgraph build`. "
        "Columns and mapping: docs/importers.md.",
    )
    importer.add_argument(
        "kind", choices=["uhri", "upr-info", "ratifications", "states", "upr-report"]
    )
    importer.add_argument("file", type=Path, help="the export (.xlsx or .csv; .json for upr-info)")
    importer.add_argument(
        "--treaty",
        help="ratifications, a status table of one treaty: the treaty's slug in id/treaty/ "
        "(e.g. iccpr, cat); not with the UN Treaty Collection export, whose rows name it",
    )
    importer.add_argument(
        "--as-at",
        metavar="YYYY-MM-DD",
        help="ratifications, UN Treaty Collection export: the date of the status (default: a "
        "date in the file's or its folder's name)",
    )
    # upr-report: a UPR Working Group report's text (and UPR Info's records, linked to it)
    importer.add_argument(
        "--symbol", help="upr-report: the report's UN symbol (default: read from the text)"
    )
    importer.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="upr-report: the report's date (default: read from the text)",
    )
    importer.add_argument(
        "--upr-info", type=Path, metavar="FILE",
        help="upr-report: UPR Info's records of the review (legacy CSV or Uwazi JSON), each "
        "linked to the report's paragraph it records",
    )  # fmt: skip
    importer.add_argument(
        "--dry-run", action="store_true", help="read and check the file, write nothing"
    )
    importer.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE.ttl",
        help="write the import as the project's own Turtle to FILE.ttl instead of the store "
        "(how `make data` makes the bundled files in data/; the store is not touched)",
    )
    importer.add_argument("--quiet", action="store_true", help="no progress messages")
    store_option(importer)
    importer.set_defaults(handler=lambda args: _import(args))

    links = commands.add_parser(
        "links", help="report outbound links (Wikidata, ELI, undocs.org, adilet): coverage and "
        "malformed links",
    )  # fmt: skip
    links.add_argument("--format", "-f", default="text", choices=["text", "json"])
    links.add_argument("--show", type=int, default=10, metavar="N", help="lacking IRIs per class")
    store_option(links)
    links.set_defaults(handler=lambda args: _links(args))

    export = commands.add_parser("export", help="write the whole dataset in one RDF format")
    export.add_argument(
        "--format", "-f", default="trig", choices=["trig", "nquads", "turtle", "jsonld"]
    )
    export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    store_option(export)
    export.set_defaults(handler=lambda args: _export(args))

    release = commands.add_parser(
        "release", help="write a versioned dump with VoID/DCAT metadata and sha256 checksums"
    )
    release.add_argument("--version", dest="release_version", default=__version__,
                         help=f"release version (default: {__version__})")  # fmt: skip
    release.add_argument(
        "--out", type=Path, default=Path("var/releases"),
        help="folder to write hrgraph-VERSION/ into (default: var/releases)",
    )  # fmt: skip
    release.add_argument("--base-url", help="where the files will be published (for DCAT)")
    store_option(release)
    release.set_defaults(handler=lambda args: _release(args))


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_environment(root=project_root(args), store_path=args.store)
    if settings.store_path is None:
        raise BadInput(
            "a remote store ($HRGRAPH_STORE is a URL) is supported by build, query and serve "
            "only; give --store FOLDER"
        )
    return settings


def _import(args: argparse.Namespace) -> int:
    from hrgraph.build.importers import ImportFailed
    from hrgraph.build.importers.ratifications import import_ratifications
    from hrgraph.build.importers.states import import_states
    from hrgraph.build.importers.uhri import import_uhri
    from hrgraph.build.importers.uprinfo import import_upr_info
    from hrgraph.store.generations import StoreError

    settings = _settings(args)
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    output: Path | None = args.output
    if output is not None and output.suffix != ".ttl":
        raise BadInput(f"--output {output}: give a Turtle file name ending in .ttl")
    if output is not None and not output.parent.is_dir():
        raise BadInput(f"--output {output}: the folder {output.parent} does not exist")
    try:
        if args.kind == "uhri":
            summary = import_uhri(
                settings, args.file, progress, dry_run=args.dry_run, output=output
            )
        elif args.kind == "upr-info":
            summary = import_upr_info(
                settings, args.file, progress, dry_run=args.dry_run, output=output
            )
        elif args.kind == "states":
            summary = import_states(
                settings, args.file, progress, dry_run=args.dry_run, output=output
            )
        elif args.kind == "upr-report":
            from hrgraph.build.importers.uprreport import import_upr_report

            summary = import_upr_report(
                settings, args.file, progress, dry_run=args.dry_run, output=output,
                symbol=args.symbol, day=args.date, upr_info=args.upr_info,
            )  # fmt: skip
        else:
            summary = import_ratifications(
                settings, args.file, args.treaty, progress,
                dry_run=args.dry_run, as_at=args.as_at, output=output,
            )  # fmt: skip
    except (ImportFailed, StoreError) as error:
        unchanged = "the store is unchanged" if output is None else f"{output} is unchanged"
        raise BadInput(f"{error}; {unchanged}") from None
    print("\n".join(summary.lines()))
    if args.dry_run:
        print("dry run: nothing was written")
    return EXIT_OK


def _open(args: argparse.Namespace) -> Any:
    from hrgraph.store.generations import StoreError, StoreLocation
    from hrgraph.store.local import GraphStore

    settings = _settings(args)
    assert settings.store_path is not None
    try:
        return GraphStore.open_read_only(StoreLocation(settings.store_path))
    except StoreError as error:
        raise BadInput(str(error)) from None


def _links(args: argparse.Namespace) -> int:
    from hrgraph.publish.links import link_report

    report = link_report(_open(args))
    if args.format == "json":
        print(json.dumps(report.as_json(), indent=2))
    else:
        print("\n".join(report.lines(args.show)))
    return EXIT_FAILURE if report.malformed else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from hrgraph.publish.export import export

    data = export(_open(args), args.format)
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        try:
            args.output.write_bytes(data)
        except OSError as error:
            raise BadInput(f"{args.output}: cannot be written: {error.strerror}") from None
        print(f"wrote {args.output} ({len(data)} bytes)", file=sys.stderr)
    return EXIT_OK


def _release(args: argparse.Namespace) -> int:
    import re

    from hrgraph.publish.export import write_release

    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-+]*", args.release_version):
        raise BadInput(f"--version {args.release_version!r}: use e.g. 0.1.0 or 2026.11")
    store = _open(args)
    try:
        files = write_release(store, args.out, args.release_version, args.base_url)
    except (FileExistsError, OSError) as error:
        raise BadInput(str(error)) from None
    for item in files:
        print(f"{item.sha256}  {item.path}")
    print(f"release {args.release_version} written to {files[0].path.parent}", file=sys.stderr)
    return EXIT_OK
