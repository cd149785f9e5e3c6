"""What the commands share: the types of their arguments (a store folder or URL, whole and
positive numbers, ISO dates, ``NAME=VALUE``) and the settings built from the parsed arguments
(the project folder checked)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from hrgraph.errors import BadInput
from hrgraph.settings import Settings


def store_option(command: argparse.ArgumentParser, *, remote: bool = False) -> None:
    if remote:
        command.add_argument(
            "--store",
            type=store_location,
            metavar="FOLDER|URL",
            help="store folder, or the http(s) URL of an external SPARQL 1.1 store (credentials "
            "from $HRGRAPH_REMOTE_USER/$HRGRAPH_REMOTE_PASSWORD, $HRGRAPH_REMOTE_TOKEN or "
            "$HRGRAPH_REMOTE_TOKEN_FILE; README: Deployment) (default: $HRGRAPH_STORE or "
            "var/store in the project folder)",
        )
        return
    command.add_argument(
        "--store",
        type=local_store,
        help="store folder (default: $HRGRAPH_STORE or var/store in the project folder)",
    )


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def store_location(text: str) -> Path | str:
    """A store folder or the URL of a remote store (kept as text)."""
    return text if is_url(text) else Path(text)


def local_store(text: str) -> Path:
    if is_url(text):
        raise argparse.ArgumentTypeError(
            "a remote store (URL) is supported by build, query, serve and validate only; give a "
            "folder"
        )
    return Path(text)


def project_root(args: argparse.Namespace) -> Path | None:
    """``--root``, checked to be an hrgraph project folder (``None``: found from here)."""
    root: Path | None = args.root
    if root is not None and not (root / "ontology" / "hrgraph.ttl").is_file():
        raise BadInput(f"{root} is not an hrgraph project folder (no ontology/hrgraph.ttl)")
    return root


def settings_from(args: argparse.Namespace, **extra: object) -> Settings:
    root = project_root(args)
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


def split_param(item: str) -> tuple[str, str]:
    name, separator, value = item.partition("=")
    if not separator or not name:
        raise BadInput(f"--param {item!r} must be NAME=VALUE")
    return name, value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def non_negative_int(text: str) -> int:
    return 0 if text.strip() == "0" else positive_int(text)


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def iso_date(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2009-06-01"
        ) from None
