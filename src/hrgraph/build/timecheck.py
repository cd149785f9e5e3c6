"""Build check: time-bound facts that outlive the law they rest on.

One job: after the graphs load, list what the data says still holds although the norm it rests
on has ended, so that a superseded or repealed fact cannot be judged as if it were current.
Three rules (an act or provision "has ended" when it, or an act or provision that contains it
through ``hrg:hasProvision``, has an ``hrg:inForceUntil``, whatever the day of the build):

1. a time-bound fact with an open end (no ``hrg:validUntil``) whose granting act or provision
   (``hrg:grantedBy``, ``hrg:basisAct``) has ended;
2. an institutional feature that outlives the institution's legal basis on the same act: the
   ``hrg:LegalBasis`` feature of the same institution whose ``hrg:basisAct`` is the act (or
   contains the provision) that grants the feature has an ``hrg:validUntil``, and the feature
   has none, or a later one;
3. a provision with an open end (no ``hrg:inForceUntil``) in an act or provision that has ended.

Dates are compared on the part both values state (``"2022-11"`` against ``"2022-11-16"``
compares ``2022-11`` with ``2022-11``), so a partial end is "later" only when it is certainly
later. The build prints each problem as a ``warning:`` line and never fails on them
(``hrgraph.build.pipeline``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from hrgraph.rdf.namespaces import NAMESPACE
from hrgraph.store.local import GraphStore

PREFIX = f"PREFIX hrg: <{NAMESPACE}>\n"

ENDED = """
  { ?act hrg:inForceUntil ?end . BIND (?act AS ?ended) }
  UNION
  { ?ended hrg:hasProvision+ ?act . ?ended hrg:inForceUntil ?end }
"""
"""Binds ``?ended`` (the act itself or an act containing it) and its ``?end`` for ``?act``."""


def problems(store: GraphStore) -> list[str]:
    """Every problem the three rules find, one sentence each, in a stable order."""
    return (
        open_facts_of_ended_acts(store)
        + features_outliving_their_basis(store)
        + open_provisions_of_ended_acts(store)
    )


def open_facts_of_ended_acts(store: GraphStore) -> list[str]:
    """Rule 1: open-ended facts granted by an act or provision that has ended."""
    rows = _rows(
        store,
        PREFIX
        + f"""SELECT DISTINCT ?fact ?act ?ended ?end WHERE {{
          {{ ?fact hrg:grantedBy ?act }} UNION {{ ?fact hrg:basisAct ?act }}
          FILTER NOT EXISTS {{ ?fact hrg:validUntil ?until }}
          {ENDED}
        }}""",
    )
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for row in rows:
        fact, act, ended, end = (_text(row[name]) for name in ("fact", "act", "ended", "end"))
        key = (fact, act)
        if key not in found or (end, ended) < found[key]:
            found[key] = (end, ended)
    messages = []
    for (fact, act), (end, ended) in sorted(found.items()):
        where = "" if ended == act else f" (it is part of {ended})"
        messages.append(
            f"{fact} has no hrg:validUntil, but {act}, which grants it, left force on {end}{where}"
        )
    return messages


def features_outliving_their_basis(store: GraphStore) -> list[str]:
    """Rule 2: features that hold on after the legal basis (same institution, same act) ended."""
    rows = _rows(
        store,
        PREFIX
        + """SELECT DISTINCT ?feature ?basis ?basisEnd ?featureEnd WHERE {
          ?basis a hrg:LegalBasis ; hrg:featureOf ?institution ; hrg:basisAct ?act ;
                 hrg:validUntil ?basisEnd .
          ?feature hrg:featureOf ?institution ; hrg:grantedBy ?granting .
          FILTER (?feature != ?basis)
          FILTER (?granting = ?act || EXISTS { ?act hrg:hasProvision+ ?granting })
          OPTIONAL { ?feature hrg:validUntil ?featureEnd }
        }""",
    )
    messages = set()
    for row in rows:
        feature, basis, basis_end = (_text(row[name]) for name in ("feature", "basis", "basisEnd"))
        feature_end = row["featureEnd"]
        if feature_end is None:
            messages.add(
                f"{feature} has no hrg:validUntil, but the legal basis it rests on, {basis}, "
                f"ended on {basis_end}"
            )
        elif later(_text(feature_end), basis_end):
            messages.add(
                f"{feature} ends on {_text(feature_end)}, after the legal basis it rests on, "
                f"{basis}, ended on {basis_end}"
            )
    return sorted(messages)


def open_provisions_of_ended_acts(store: GraphStore) -> list[str]:
    """Rule 3: provisions with an open end inside an act or provision that has ended."""
    rows = _rows(
        store,
        PREFIX
        + """SELECT DISTINCT ?provision ?ended ?end WHERE {
          ?ended hrg:hasProvision+ ?provision ; hrg:inForceUntil ?end .
          FILTER NOT EXISTS { ?provision hrg:inForceUntil ?until }
        }""",
    )
    found: dict[str, tuple[str, str]] = {}
    for row in rows:
        provision, ended, end = (_text(row[name]) for name in ("provision", "ended", "end"))
        if provision not in found or (end, ended) < found[provision]:
            found[provision] = (end, ended)
    return [
        f"{provision} has no hrg:inForceUntil, but {ended}, which contains it, left force on {end}"
        for provision, (end, ended) in sorted(found.items())
    ]


def later(value: str, than: str) -> bool:
    """Whether the date ``value`` is certainly later than ``than``, comparing the part both
    state (each an xsd:date, xsd:gYearMonth or xsd:gYear lexical form)."""
    common = min(len(value), len(than))
    return value[:common] > than[:common]


def _rows(store: GraphStore, sparql: str) -> Iterable[ox.QuerySolution]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _text(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


__all__ = [
    "features_outliving_their_basis",
    "later",
    "open_facts_of_ended_acts",
    "open_provisions_of_ended_acts",
    "problems",
]
