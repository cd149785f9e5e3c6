"""Benchmark data: the real graph's shape, scaled to many States.

    .venv/bin/python bench/generate.py --scale 0.1 [--out var/bench/scale-0.1]

Writes a project folder (``ontology/``, ``queries/`` and ``shapes/`` linked to this checkout's,
``data/`` holding the real data files and one generated file per synthetic State) that
``hrgraph --root FOLDER build`` builds like the real one. Scale 1.0 is 193 States, each with a
ratification of six treaties, four UPR cycles (a Working Group report and 280 recommendations
with the State's response each) and six treaty-body reviews (concluding observations and 30
recommendations each): 193 x 1,300 = 250,900 recommendations, about 4.7 million triples.

Deterministic: the same scale gives byte-identical files, and State *n*'s file is the same at
every scale, so a smaller scale is a prefix of a larger one (the first ``round(193 * scale)``
States). The synthetic States have user-assigned ISO-style codes (``XAA``, ``XAB``, ...) and IRIs
``state/xaa`` ..., so they never collide with the real States; every resource cites the one
synthetic source ``source/hrgraph-bench`` with confidence ``hrg:Unverified``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATES = 193
UPR_CYCLES = 4
UPR_RECOMMENDATIONS = 280  # per cycle
TREATY_BODIES = (  # (mechanism, treaty) reviews each State gets, with concluding observations
    ("ccpr", "iccpr"),
    ("cat", "cat"),
    ("cedaw", "cedaw"),
    ("cescr", "icescr"),
    ("crc", "crc"),
    ("crpd", "crpd"),
)
TB_RECOMMENDATIONS = 30  # per treaty-body review
REAL_STATES = ("kaz", "bgd", "cub", "mus", "deu", "kwt", "zaf", "usa", "nor", "aus")
UPR_YEARS = (2010, 2014, 2019, 2024)
RIGHTS = (
    "freedom-of-association",
    "peaceful-assembly",
    "freedom-of-expression",
    "freedom-from-torture",
    "freedom-from-gender-based-violence",
    "fair-trial",
    "liberty-and-security",
    "non-discrimination",
    "participation-in-public-affairs",
    "privacy-and-family",
    "freedom-of-religion",
    "rights-of-the-child",
)
ARTICLES = {  # the ICCPR article a right's recommendation concerns, where there is one
    "freedom-of-association": 22,
    "peaceful-assembly": 21,
    "freedom-of-expression": 19,
    "freedom-from-torture": 7,
    "fair-trial": 14,
    "liberty-and-security": 9,
    "non-discrimination": 26,
    "participation-in-public-affairs": 25,
    "privacy-and-family": 17,
    "freedom-of-religion": 18,
}
RESPONSES = ("Supported", "Supported", "Supported", "Noted", "Noted", "PartiallySupported")
VERBS = ("Ensure", "Guarantee", "Strengthen", "Review", "Amend the law on", "Protect")

PREFIXES = """@prefix hrg: <https://w3id.org/hrgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/hrgraph/id/> .
"""
SOURCE = "id:source\\/hrgraph-bench"
PROV = f"    hrg:source {SOURCE} ; hrg:confidence hrg:Unverified ."


def code(number: int) -> str:
    """The ISO-style code of synthetic State ``number`` (0-based): XAA, XAB, ..."""
    return "X" + chr(65 + number // 26) + chr(65 + number % 26)


def states_for(scale: float) -> int:
    return max(1, min(STATES, round(STATES * scale))) if scale <= 1 else round(STATES * scale)


def sources_file() -> str:
    return (
        "# The one source every generated resource cites (bench/generate.py).\n"
        + PREFIXES
        + f"\n{SOURCE} a hrg:Source ;\n"
        '    rdfs:label "hrgraph benchmark generator (synthetic data, not a real source)"@en ;\n'
        '    hrg:url "https://w3id.org/hrgraph/bench"^^xsd:anyURI .\n'
    )


def state_file(number: int) -> str:
    """The Turtle of synthetic State ``number``: deterministic, independent of the scale."""
    rng = random.Random(f"hrgraph-bench-{number}")  # noqa: S311 (data, not secrets)
    iso = code(number)
    s = iso.lower()
    me = f"id:state\\/{s}"
    out: list[str] = [f"# Synthetic State {iso} (bench/generate.py; not real data).\n", PREFIXES]
    add = out.append
    add(f'\n{me} a hrg:State ;\n    rdfs:label "Synthetic State {iso}"@en ;\n')
    add(f'    hrg:isoCode "{iso}" ;\n{PROV}\n')

    for treaty_index, (_, treaty) in enumerate(TREATY_BODIES):
        year = 1995 + rng.randrange(25)
        month, day = 1 + rng.randrange(12), 1 + rng.randrange(28)
        force_month = month + 3 if month <= 9 else month - 9
        force_year = year if month <= 9 else year + 1
        add(
            f"\nid:action\\/{s}\\/{treaty}-ratification a hrg:Ratification ;\n"
            f'    rdfs:label "Synthetic State {iso} ratifies {treaty.upper()}"@en ;\n'
            f"    hrg:actingState {me} ;\n    hrg:instrument id:treaty\\/{treaty} ;\n"
            f'    hrg:date "{year:04d}-{month:02d}-{day:02d}"^^xsd:date ;\n'
            f'    hrg:entryIntoForce "{force_year:04d}-{force_month:02d}-{day:02d}"^^xsd:date ;\n'
            f"{PROV}\n"
        )
        del treaty_index

    # recommending and troika States: the real ones in data/ and the synthetic ones before this
    # one (so every reference resolves at every scale and State n's file never depends on it)
    others = [*REAL_STATES, *(code(n).lower() for n in range(number))]
    for cycle, year in enumerate(UPR_YEARS, start=1):
        review = f"id:review\\/upr\\/{s}\\/{cycle}"
        document = f"id:document\\/a-hrc-bench-{s}-{cycle}"
        date = f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        troika = " , ".join(f"id:state\\/{t}" for t in rng.sample(others, 3))
        add(
            f"\n{review} a hrg:Review ;\n"
            f'    rdfs:label "Universal Periodic Review of Synthetic State {iso}, '
            f'cycle {cycle}"@en ;\n'
            f"    hrg:reviewingMechanism id:mechanism\\/upr ;\n    hrg:reviewedState {me} ;\n"
            f'    hrg:cycle {cycle} ;\n    hrg:date "{date}"^^xsd:date ;\n'
            f"    hrg:troika {troika} ;\n    hrg:producedDocument {document} ;\n{PROV}\n"
            f"\n{document} a hrg:UPRWorkingGroupReport ;\n"
            f'    rdfs:label "Report of the Working Group on the UPR: Synthetic State {iso}, '
            f'cycle {cycle}"@en ;\n'
            f'    hrg:unSymbol "A/HRC/BENCH/{iso}/{cycle}" ;\n'
            f'    hrg:date "{year}-{1 + (number + 2) % 12:02d}"^^xsd:gYearMonth ;\n'
            f"    hrg:documentOf {review} ;\n{PROV}\n"
        )
        for n in range(1, UPR_RECOMMENDATIONS + 1):
            right = rng.choice(RIGHTS)
            by = rng.choice(others)
            status = rng.choice(RESPONSES)
            rec = f"id:recommendation\\/a-hrc-bench-{s}-{cycle}\\/{n}"
            resp = f"id:response\\/a-hrc-bench-{s}-{cycle}\\/{n}"
            article = ARTICLES.get(right)
            provision = f"    hrg:concernsProvision id:treaty\\/iccpr\\/art-{article} ;\n"
            add(
                f"\n{rec} a hrg:Recommendation ;\n"
                f'    rdfs:label "UPR cycle {cycle} recommendation {n} to Synthetic State '
                f'{iso}"@en ;\n'
                f"    hrg:inDocument {document} ;\n"
                f'    hrg:paragraph "{100 + cycle}.{n}" ;\n'
                f"    hrg:addressedTo {me} ;\n    hrg:recommendingState id:state\\/{by} ;\n"
                f'    hrg:text "{rng.choice(VERBS)} {right.replace("-", " ")} '
                f'({by.upper()}, {n})"@en ;\n'
                f"    hrg:textIsSummary true ;\n    hrg:concernsRight id:right\\/{right} ;\n"
                + (provision if article else "")
                + f"    hrg:hasResponse {resp} ;\n{PROV}\n"
                f"\n{resp} a hrg:Response ;\n"
                f'    rdfs:label "Response of Synthetic State {iso} to UPR cycle {cycle} '
                f'recommendation {n}"@en ;\n'
                f"    hrg:respondsTo {rec} ;\n    hrg:responseStatus hrg:{status} ;\n"
                f"    hrg:respondingState {me} ;\n{PROV}\n"
            )

    for mechanism, treaty in TREATY_BODIES:
        year = 2012 + rng.randrange(13)
        review = f"id:review\\/{mechanism}\\/{s}\\/1"
        document = f"id:document\\/{mechanism}-c-{s}-co-1"
        add(
            f"\n{review} a hrg:Review ;\n"
            f'    rdfs:label "{mechanism.upper()}: review of Synthetic State {iso}"@en ;\n'
            f"    hrg:reviewingMechanism id:mechanism\\/{mechanism} ;\n"
            f"    hrg:reviewedState {me} ;\n"
            f'    hrg:date "{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"'
            f"^^xsd:date ;\n    hrg:producedDocument {document} ;\n{PROV}\n"
            f"\n{document} a hrg:ConcludingObservations ;\n"
            f'    rdfs:label "{mechanism.upper()}, concluding observations on Synthetic State '
            f'{iso}"@en ;\n'
            f'    hrg:unSymbol "{mechanism.upper()}/C/{iso}/CO/1" ;\n'
            f'    hrg:date "{year}"^^xsd:gYear ;\n    hrg:documentOf {review} ;\n{PROV}\n'
        )
        for n in range(1, TB_RECOMMENDATIONS + 1):
            right = rng.choice(RIGHTS)
            rec = f"id:recommendation\\/{mechanism}-c-{s}-co-1\\/{n}"
            article = ARTICLES.get(right) if treaty == "iccpr" else None
            add(
                f"\n{rec} a hrg:Recommendation ;\n"
                f'    rdfs:label "{mechanism.upper()} recommendation {n} to Synthetic State '
                f'{iso}"@en ;\n'
                f'    hrg:inDocument {document} ;\n    hrg:paragraph "{n}" ;\n'
                f"    hrg:addressedTo {me} ;\n"
                f'    hrg:text "{rng.choice(VERBS)} {right.replace("-", " ")} '
                f'({mechanism.upper()}, {n})"@en ;\n'
                f"    hrg:textIsSummary true ;\n    hrg:concernsRight id:right\\/{right} ;\n"
                + (
                    f"    hrg:concernsProvision id:treaty\\/iccpr\\/art-{article} ;\n"
                    if article
                    else ""
                )
                + ("    hrg:forFollowUp true ;\n" if n <= 3 else "")
                + f"{PROV}\n"
            )
    return "".join(out)


def generate(scale: float, out: Path, real_data: bool = True) -> Path:
    """Write the project folder for ``scale`` into ``out`` (kept if already complete)."""
    count = states_for(scale)
    data = out / "data"
    stamp = out / ".complete"
    if stamp.is_file() and stamp.read_text() == str(count):
        return out
    if out.exists():
        shutil.rmtree(out)
    data.mkdir(parents=True)
    for folder in ("ontology", "queries", "shapes"):
        (out / folder).symlink_to(ROOT / folder, target_is_directory=True)
    if real_data:
        for path in sorted((ROOT / "data").glob("*.ttl")):
            (data / path.name).symlink_to(path)
    (data / "bench-sources.ttl").write_text(sources_file())
    for number in range(count):
        (data / f"bench-state-{code(number).lower()}.ttl").write_text(state_file(number))
    stamp.write_text(str(count))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / "var" / "bench" / f"scale-{args.scale:g}"
    generate(args.scale, out)
    print(f"{out}: {states_for(args.scale)} synthetic States")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
