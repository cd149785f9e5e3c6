"""SHACL validation of a national framework as it stood on a date (docs/architecture.md, layer
"validation"): the orchestration. The data (:mod:`~hrgraph.validation.dataset`) is cut to what
held on the date (:mod:`~hrgraph.validation.asof`); the shapes (:mod:`~hrgraph.validation.shapes`)
run as SPARQL on the store (:mod:`hrgraph.validation.shaclsparql`) when they use only what that
engine implements, else with pySHACL on an rdflib copy (``engine="pyshacl"`` forces it; both
give the same findings, which the tests check); the report (:mod:`~hrgraph.validation.findings`)
joins each result to the requirement its shape cites and to the sources of the facts.

:func:`validate_dataset` validates a store in memory; :func:`validate` reads the data and shapes
named by paths (the command line), :func:`validate_upload` an uploaded document's triples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
import pyshacl
import rdflib

from hrgraph.settings import Settings
from hrgraph.store.local import GraphStore
from hrgraph.validation import shaclrun, shaclsparql
from hrgraph.validation.asof import cut, merge_graphs, to_graph
from hrgraph.validation.dataset import Dataset, open_dataset, upload_dataset
from hrgraph.validation.errors import ValidationInputError, ValidatorFailure
from hrgraph.validation.findings import (
    StoreView,
    ValidationReport,
    read_report,
)
from hrgraph.validation.increment import Increment
from hrgraph.validation.met import assess_met
from hrgraph.validation.outcomes import (
    authorities,
    count_outcomes,
    date_authorities,
    dated_documents,
    settle,
)
from hrgraph.validation.prepared import PreparedQueryGraph
from hrgraph.validation.shaclsparql import NotCompilable, scan, to_rdflib
from hrgraph.validation.shapes import default_shape_files, load_shapes

Engine = Literal["auto", "sparql", "pyshacl"]
SPARQL_ENGINE = "SPARQL on the Oxigraph store"
PYSHACL_ENGINE = "pySHACL"


def validate(
    settings: Settings,
    *,
    as_of: date | None = None,
    data_files: Sequence[Path] | None = None,
    shape_files: Sequence[Path] | None = None,
    engine: Engine = "auto",
    incremental: bool = True,
) -> ValidationReport:
    """Validate the bundled data (or ``data_files``) against the shapes as of a date (today):
    the data of the backend ``settings`` name (:mod:`hrgraph.validation.dataset`). From the built
    store, the results of its last validation for the same day and shapes are reused when no
    source file, write or import changed since (:class:`~hrgraph.validation.increment.Increment`;
    ``incremental=False`` revalidates everything and keeps its results for the next), and the
    report's ``basis`` says what was revalidated."""
    day = as_of or date.today()
    shape_paths = _shape_paths(settings, shape_files)
    shapes = load_shapes(shape_paths)
    with open_dataset(settings, data_files, shapes) as data:
        increment = None
        if data.generation is not None and settings.store_path is not None:
            increment = Increment.start(
                settings.store_path,
                data.store,
                day,
                shape_paths,
                engine,
                generation=data.generation,
                full=not incremental,
            )
        report = validate_dataset(data, shapes, day, engine, increment)
    report.shapes = [_display(path, settings.root) for path in shape_paths]
    return report


def validate_upload(
    settings: Settings,
    triples: Sequence[ox.Triple],
    *,
    as_of: date | None = None,
    shape_files: Sequence[Path] | None = None,
) -> ValidationReport:
    """Validate an uploaded document's triples (parsed by ``hrgraph.rdf.uploads``), built in
    memory with the ontology, against the shapes as of a date (today)."""
    shape_paths = _shape_paths(settings, shape_files)
    shapes = load_shapes(shape_paths)
    report = validate_dataset(upload_dataset(settings, triples), shapes, as_of or date.today())
    report.shapes = [_display(path, settings.root) for path in shape_paths]
    return report


def validate_dataset(
    data: Dataset,
    shapes: rdflib.Graph,
    day: date,
    engine: Engine = "auto",
    increment: Increment | None = None,
) -> ValidationReport:
    """Validate a private store (which is cut to ``day``: see :func:`hrgraph.validation.asof.cut`)
    against parsed shapes; the report says what was validated (``data.basis``)."""
    basis = data.basis
    stated, cited = authorities(data.store), dated_documents(data.store)
    held = cut(data.store, day, increment.note_cut if increment is not None else None)
    report = evaluate(data.store, shapes, day, engine, held.uncertain, increment)
    date_authorities(report, stated, day, cited)
    if increment is not None:
        basis += increment.finish()
        if increment.previous is not None and not increment.everything:
            report.revalidated = frozenset(str(to_rdflib(node)) for node in increment.reuse.reran)
    report.data = data.names
    report.basis = basis
    return report


def _shape_paths(settings: Settings, shape_files: Sequence[Path] | None) -> list[Path]:
    shape_paths = list(shape_files) if shape_files is not None else default_shape_files(settings)
    if not shape_paths:
        raise ValidationInputError(f"no shapes to validate with in {settings.shapes_dir}")
    return shape_paths


def evaluate(
    store: GraphStore,
    shapes: rdflib.Graph,
    day: date,
    engine: Engine = "auto",
    uncertain: Mapping[str, str] | None = None,
    increment: Increment | None = None,
) -> ValidationReport:
    """Run the shapes on ``store`` (already cut to the day; see :func:`cut`); a finding resting
    on a resource in ``uncertain`` (IRI -> why) is not established (see :func:`settle`);
    ``increment`` reuses earlier results (see :class:`Increment`)."""
    targets: dict[str, frozenset[shaclsparql.Focus]] = {}
    report = _evaluate(store, shapes, day, engine, targets, increment)
    settle(report, uncertain or {}, day)
    report.met = assess_met(store, shapes, report, _runner(store), targets, uncertain or {})
    count_outcomes(report)
    return report


def _evaluate(
    store: GraphStore,
    shapes: rdflib.Graph,
    day: date,
    engine: Engine,
    targets: dict[str, frozenset[shaclsparql.Focus]] | None = None,
    increment: Increment | None = None,
) -> ValidationReport:
    reason = "asked for"
    if engine != "pyshacl":
        try:
            compiled = shaclsparql.compile_shapes(shapes)
            reuse = None
            if compiled.needs_set_semantics:
                merge_graphs(store)
                if increment is not None:
                    increment.everything = "the shapes count solutions"
            elif increment is not None:
                reuse = increment.reuse
            results = shaclrun.run(compiled, _runner(store), targets, reuse)
        except NotCompilable as error:
            if engine == "sparql":
                raise ValidationInputError(
                    f"these shapes cannot run as SPARQL on the store ({error}); "
                    "use the pySHACL engine"
                ) from None
            reason = f"the shapes use {error}"
        else:
            _, graph = shaclrun.report_graph(results)
            report = read_report(StoreView(store), shapes, graph, day)
            report.engine = SPARQL_ENGINE
            return report
    if increment is not None:
        increment.everything = "pySHACL validates the whole graph"
    report = run_shapes(to_graph(store, graph=PreparedQueryGraph()), shapes, day)
    report.engine = f"{PYSHACL_ENGINE} ({reason})"
    return report


def _runner(store: GraphStore) -> shaclsparql.Query:
    """Runs a shape's query on the store as :meth:`GraphStore.query` does (the union default
    graph unless the query names its graphs), deciding that once per query text: a constraint
    runs once per focus node, and reading its text again each time cost more than running it."""
    engine: ox.Store = store._engine  # the same store; its FROM check memoised
    union: dict[str, bool] = {}

    def query(
        text: str, substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal]
    ) -> ox.QuerySolutions:
        try:
            if text not in union:
                union[text] = not any("FROM" in word for word in scan(text).keywords)
            focus = substitutions.get(shaclsparql.THIS) if len(substitutions) == 1 else None
            inlined = shaclrun.inline(text, focus) if focus is not None else None
            result = engine.query(
                inlined or text,
                use_default_graph_as_union=union[text],
                substitutions=None if inlined else dict(substitutions) or None,
            )
        except SyntaxError as error:
            raise ValidationInputError(f"a shape's SPARQL query is malformed: {error}") from None
        except RuntimeError as error:
            if "projection" in str(error):  # $this not selected: substitution needs it
                raise NotCompilable(f"a query that does not select $this ({error})") from None
            raise ValidatorFailure(f"a shape's query failed on the store: {error}") from None
        if not isinstance(result, ox.QuerySolutions):
            raise ValidationInputError("a shape's sh:select is not a SELECT query")
        return result

    return query


def run_shapes(data: rdflib.Graph, shapes: rdflib.Graph, day: date) -> ValidationReport:
    """pySHACL's report on ``data``, a graph made for this run: it is validated in place (not
    copied first; a :class:`PreparedQueryGraph` stays one, so each SPARQL text is parsed once)."""
    try:
        _conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            inplace=True,
            allow_warnings=False,
            allow_infos=True,  # not established is never a breach
            do_owl_imports=False,
        )
    except Exception as error:
        raise ValidatorFailure(f"the SHACL validator failed: {error}") from error
    if not isinstance(results, rdflib.Graph):
        raise ValidatorFailure(f"the SHACL validator returned no report: {results!r}"[:500])
    return read_report(data, shapes, results, day)


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
