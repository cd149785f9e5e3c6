"""``hrgraph import states``: the States of the world from the ``datasets/country-codes`` table
(``data/country-codes.csv``, ODC-PDDL-1.0; docs/importers.md, "States").

One ``hrg:State`` (``id/state/{alpha-3 in lower case}``) per row that is a UN Member State or a
non-member participant of the UN Treaty Collection's Chapter IV (the Holy See, the State of
Palestine, the Cook Islands, Niue), with its ISO 3166-1 alpha-2, alpha-3 and numeric codes, its
UN M49 code, its names in the six UN languages (UNTERM short names as ``rdfs:label``, UNTERM
formal names as ``skos:altLabel``; a curated State is never relabelled), its UN membership
(``hrg:UNMemberState``) and its Wikidata item (``owl:sameAs``). Other rows (territories,
dependencies) are skipped with the reason.

The file has no UN-membership flag: the 193 Member States are the rows with UNTERM names, minus
the Cook Islands, Niue, the Holy See and the State of Palestine (UNTERM marks them ``*`` or ``**``
as non-members), plus Côte d'Ivoire and Türkiye, whose rows miss the UNTERM join because of
their names (../shared/data/README.md, section 5). Namibia's ``wikidata_id`` is empty (its ISO
alpha-2 code "NA" was read as a missing value upstream): its item, Q1030, is taken from
owid/owid-grapher (:data:`WIKIDATA_FIXES`)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from hrgraph.build.importers.common import (
    CONFIDENCE,
    LABEL,
    SOURCE,
    Cell,
    ImportSummary,
    Progress,
    RowError,
    Triples,
    hrg,
    literal,
    node,
    text,
    typed,
)
from hrgraph.build.importers.runner import run_import
from hrgraph.build.importers.tables import read_table, resolve_columns
from hrgraph.rdf.vocab import DCTERMS, OWL, RDF_TYPE, SKOS
from hrgraph.settings import Settings

UNTERM_LANGUAGES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "zh": "Chinese",
    "ar": "Arabic",
}
"""The six UN languages: the language tag and the word in the UNTERM column names."""
OFFICIAL_NAMES = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "zh": "cn", "ar": "ar"}
"""The ``official_name_*`` column of each language (``cn`` for Chinese)."""

HEADER = (
    "FIFA", "Dial", "ISO3166-1-Alpha-3", "MARC", "is_independent", "ISO3166-1-numeric", "GAUL",
    "FIPS", "WMO", "ISO3166-1-Alpha-2", "ITU", "IOC", "DS", "UNTERM Spanish Formal",
    "Global Code", "Intermediate Region Code", "official_name_fr", "UNTERM French Short",
    "ISO4217-currency_name", "UNTERM Russian Formal", "UNTERM English Short",
    "ISO4217-currency_alphabetic_code", "Small Island Developing States (SIDS)",
    "UNTERM Spanish Short", "ISO4217-currency_numeric_code", "UNTERM Chinese Formal",
    "UNTERM French Formal", "UNTERM Russian Short", "M49", "Sub-region Code", "Region Code",
    "official_name_ar", "ISO4217-currency_minor_unit", "UNTERM Arabic Formal",
    "UNTERM Chinese Short", "Land Locked Developing Countries (LLDC)", "Intermediate Region Name",
    "official_name_es", "UNTERM English Formal", "official_name_cn", "official_name_en",
    "ISO4217-currency_country_name", "Least Developed Countries (LDC)", "Region Name",
    "UNTERM Arabic Short", "Sub-region Name", "official_name_ru", "Global Name", "Capital",
    "Continent", "TLD", "Languages", "Geoname ID", "CLDR display name", "EDGAR", "wikidata_id",
)  # fmt: skip
"""The 56 columns of ``data/country-codes.csv`` (datasets/country-codes at commit caa72d1),
in their order; the importer reads the codes, the names and ``wikidata_id``."""
COLUMNS: dict[str, tuple[str, ...]] = {name: () for name in HEADER}
REQUIRED = {
    "ISO3166-1-Alpha-3", "ISO3166-1-Alpha-2", "ISO3166-1-numeric", "M49", "wikidata_id",
    "CLDR display name", "UNTERM English Short",
    *(f"UNTERM {word} {kind}" for word in UNTERM_LANGUAGES.values()
      for kind in ("Short", "Formal")),
    *(f"official_name_{code}" for code in OFFICIAL_NAMES.values()),
}  # fmt: skip

NON_MEMBER_PARTICIPANTS = {
    "VAT": "the Holy See, a non-member observer State",
    "PSE": "the State of Palestine, a non-member observer State",
    "COK": "the Cook Islands, a self-governing State in free association with New Zealand",
    "NIU": "Niue, a self-governing State in free association with New Zealand",
}
"""Participants of the UN Treaty Collection's Chapter IV that are not UN Member States (UNTERM
marks their names with ``*`` or ``**``); they are imported, without the membership."""
MEMBERS_WITHOUT_UNTERM = {"CIV", "TUR"}
"""UN Member States whose rows carry no UNTERM names (the upstream join failed on their names):
their names come from the ``official_name_*`` columns (the UN M49 names) and, in English, the
CLDR display name."""
WIKIDATA_FIXES = {"NAM": "Q1030"}
"""Rows whose ``wikidata_id`` is empty: Namibia's ISO alpha-2 code "NA" was read as a missing
value upstream. Q1030 per owid/owid-grapher, CountriesRegions.ts at commit c7402d12."""
OWID_COUNTRIES = (
    "https://github.com/owid/owid-grapher/blob/c7402d12/packages/%40ourworldindata/grapher/src/"
    "mapCharts/CountriesRegions.ts"
)
DATASET_COMMIT = "caa72d1e0e5af8876c170bb36a9e4d64a01bba88"
DATASET_URL = (
    f"https://github.com/datasets/country-codes/blob/{DATASET_COMMIT}/data/country-codes.csv"
)
_WIKIDATA = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)$")
_ARTICLE = re.compile(r"\s*\((?:the|le|la|les|l'|el|los|las)\)\s*$", re.IGNORECASE)
_MARKS = re.compile(r"\s*\*+\s*$")


def clean_name(value: Cell) -> str:
    """A UNTERM name without its non-member marks (``*``, ``**``) and the article UNTERM puts
    after a short name in parentheses.

    >>> clean_name("United Kingdom of Great Britain and Northern Ireland (the)")
    'United Kingdom of Great Britain and Northern Ireland'
    >>> clean_name("Holy See (the) *"), clean_name("Kazakhstan (le)"), clean_name("Niue **")
    ('Holy See', 'Kazakhstan', 'Niue')
    """
    name = _MARKS.sub("", text(value).replace("\u00a0", " ")).strip()
    return _ARTICLE.sub("", name).strip()


def wikidata_entity(value: str) -> str:
    """The entity IRI of a Wikidata page or entity address (``wikidata_id`` gives the page).

    >>> wikidata_entity("https://www.wikidata.org/wiki/Q232")
    'http://www.wikidata.org/entity/Q232'
    """
    match = _WIKIDATA.match(value.strip())
    if match is None:
        raise RowError(f"wikidata_id {value!r} is not a Wikidata item address")
    return f"http://www.wikidata.org/entity/{match[1]}"


def import_states(
    settings: Settings,
    path: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
    output: Path | None = None,
) -> ImportSummary:
    """Import the country-codes table: the UN Member States and the other participants of the
    UN Treaty Collection's Chapter IV, each with its codes, names and Wikidata item."""
    header, rows = read_table(path)
    columns = resolve_columns(path.name, header, COLUMNS, REQUIRED)
    seen: dict[str, int] = {}

    dataset = node(f"source/country-codes-{DATASET_COMMIT[:7]}")
    publishers = {
        "iso": node("source/iso-3166"),
        "m49": node("source/un-m49"),
        "unterm": node("source/unterm"),
    }
    owid = node("source/owid-countries-regions")

    def cell(cells: list[Cell], name: str) -> str:
        index = columns.get(name)
        value = text(cells[index]) if index is not None and index < len(cells) else ""
        return value.replace("\u00a0", " ").strip()

    def convert(
        number: int, cells: list[Cell], source: ox.NamedNode, known: frozenset[str]
    ) -> Triples:
        code = cell(cells, "ISO3166-1-Alpha-3").upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise RowError(f"ISO3166-1-Alpha-3 {code!r} is not an alpha-3 code")
        english = cell(cells, "UNTERM English Short")
        if code in NON_MEMBER_PARTICIPANTS:
            member = False
        elif english or code in MEMBERS_WITHOUT_UNTERM:
            member = True
        else:
            name = cell(cells, "official_name_en") or cell(cells, "CLDR display name")
            raise RowError(
                f"{code} ({name or 'no name'}): neither a UN Member State (no UNTERM name) nor a "
                "participant of the UN Treaty Collection's Chapter IV"
            )
        if code in seen:
            raise RowError(f"{code} already given in row {seen[code]}")
        alpha2 = cell(cells, "ISO3166-1-Alpha-2")  # "NA" is Namibia's code, not a missing value
        numeric, m49 = cell(cells, "ISO3166-1-numeric"), cell(cells, "M49")
        if not re.fullmatch(r"[A-Z]{2}", alpha2):
            raise RowError(f"{code}: ISO3166-1-Alpha-2 {alpha2!r} is not an alpha-2 code")
        for column, value in (("ISO3166-1-numeric", numeric), ("M49", m49)):
            if not re.fullmatch(r"\d{1,3}", value):
                raise RowError(f"{code}: {column} {value!r} is not a numeric code")
        qid = cell(cells, "wikidata_id")
        fixed = not qid and code in WIKIDATA_FIXES
        entity = (
            f"http://www.wikidata.org/entity/{WIKIDATA_FIXES[code]}"
            if fixed
            else wikidata_entity(qid)
            if qid
            else None
        )
        state = node(f"state/{code.lower()}")
        curated = state.value in known
        out: Triples = [
            (state, hrg("isoAlpha2"), literal(alpha2)),
            (state, hrg("isoNumeric"), literal(numeric.zfill(3))),
            (state, hrg("m49Code"), literal(m49.zfill(3))),
            (state, SOURCE, dataset),
            (state, SOURCE, publishers["iso"]),
            (state, SOURCE, publishers["m49"]),
        ]
        if member:
            out.append((state, RDF_TYPE, hrg("UNMemberState")))
        if entity:
            out.append((state, ox.NamedNode(OWL + "sameAs"), ox.NamedNode(entity)))
        if fixed:
            attestation = node(f"attestation/state-{code.lower()}-wikidata")
            out += [
                (state, SOURCE, owid),
                (attestation, RDF_TYPE, hrg("Attestation")),
                (attestation, LABEL, literal(f"Provenance of {code}'s Wikidata item", "en")),
                (attestation, hrg("attests"), state),
                (attestation, hrg("attestedProperty"), ox.NamedNode(OWL + "sameAs")),
                (attestation, hrg("note"), literal(
                    f"The country-codes table leaves wikidata_id empty for {code} (its ISO "
                    f"alpha-2 code {alpha2!r} was read as a missing value upstream); the item "
                    f"{WIKIDATA_FIXES[code]} is taken from owid/owid-grapher, which maps every "
                    "country to its Wikidata item.", "en",
                )),
                (attestation, SOURCE, owid),
                (attestation, CONFIDENCE, hrg("Verified")),
            ]  # fmt: skip
        if english:
            out.append((state, SOURCE, publishers["unterm"]))
        if not curated:
            out += [
                (state, RDF_TYPE, hrg("State")),
                (state, hrg("isoCode"), literal(code)),
                (state, CONFIDENCE, hrg("Verified")),
            ]
            for language, word in UNTERM_LANGUAGES.items():
                short = clean_name(cell(cells, f"UNTERM {word} Short"))
                formal = clean_name(cell(cells, f"UNTERM {word} Formal"))
                if not short:  # Côte d'Ivoire, Türkiye: the UN M49 names
                    short = cell(cells, f"official_name_{OFFICIAL_NAMES[language]}")
                    if language == "en":
                        short = cell(cells, "CLDR display name") or short
                if short:
                    out.append((state, LABEL, literal(short, language)))
                if formal and formal != short:
                    out.append((state, ox.NamedNode(SKOS + "altLabel"), literal(formal, language)))
            if not any(p == LABEL and getattr(o, "language", None) == "en" for _, p, o in out):
                raise RowError(f"{code}: no English name")
        if not member:
            out.append((state, hrg("note"), literal(
                f"Not a UN Member State: {NON_MEMBER_PARTICIPANTS[code]}; a participant of the "
                "UN Treaty Collection's Chapter IV.", "en",
            )))  # fmt: skip
        seen[code] = number
        return out

    def finish(source: ox.NamedNode, known: frozenset[str]) -> Triples:
        sources = [
            (dataset, "datasets/country-codes, data/country-codes.csv at commit "
             f"{DATASET_COMMIT[:7]} (ISO 3166-1 codes, UN M49 codes, UNTERM names, Wikidata "
             "items; ODC-PDDL-1.0)", DATASET_URL),
            (publishers["iso"], "ISO 3166-1 country codes (International Organization for "
             "Standardization)", "https://www.iso.org/iso-3166-country-codes.html"),
            (publishers["m49"], "Standard country or area codes for statistical use (M49), "
             "UN Statistics Division", "https://unstats.un.org/unsd/methodology/m49/"),
            (publishers["unterm"], "UNTERM, the United Nations terminology database: country "
             "names in the six official languages", "https://unterm.un.org/"),
        ]  # fmt: skip
        out: Triples = []
        for subject, label, url in sources:
            out += [
                (subject, RDF_TYPE, hrg("Source")),
                (subject, LABEL, literal(label, "en")),
                (subject, hrg("url"), typed(url, "anyURI")),
            ]
        out.append((dataset, ox.NamedNode(DCTERMS + "source"), source))
        out.append((dataset, ox.NamedNode(DCTERMS + "license"),
                    ox.NamedNode("https://opendatacommons.org/licenses/pddl/1-0/")))  # fmt: skip
        if any(code in WIKIDATA_FIXES for code in seen):
            out += [
                (owid, RDF_TYPE, hrg("Source")),
                (owid, LABEL, literal(
                    "owid/owid-grapher, packages/@ourworldindata/grapher/src/mapCharts/"
                    "CountriesRegions.ts at commit c7402d12 (countries with their Wikidata items; "
                    "MIT licence for the code)", "en",
                )),
                (owid, hrg("url"), typed(OWID_COUNTRIES, "anyURI")),
            ]  # fmt: skip
        return out

    return run_import(
        settings, "states", path, rows, convert, finish=finish,
        progress=progress, dry_run=dry_run, output=output,
        comment=(
            "The UN Member States and the other participants of the UN Treaty Collection's "
            "Chapter IV (Holy See, State of Palestine, Cook Islands, Niue), from datasets/"
            f"country-codes at commit {DATASET_COMMIT} (ODC-PDDL-1.0); snapshot 2026-05-15.",
            "Names: UNTERM short names (rdfs:label) and formal names (skos:altLabel) in the six "
            "UN languages; curated States keep their own labels.",
        ),
    )  # fmt: skip
