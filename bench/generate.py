"""Benchmark data: the real graph's shape, scaled to many States.

    .venv/bin/python bench/generate.py --scale 0.1 [--out var/bench/scale-0.1]

Writes a project folder (``ontology/``, ``queries/`` and ``shapes/`` linked to this checkout's,
``data/`` holding a copy of the real data files and one generated file per synthetic State) that
``hrgraph --root FOLDER build`` builds like the real one. Scale 1.0 is 193 States, each with a
ratification of six treaties, four UPR cycles (a Working Group report and 280 recommendations
with the State's response each) and six treaty-body reviews (concluding observations and 30
recommendations each): 193 x 1,300 = 250,900 recommendations, about 4.7 million triples. Each
State also has a national framework (:func:`framework_turtle`, about 390 triples): a national
human rights institution with its features, laws and codes with provisions, registration
refusals and a ban, so that validation judges every State's framework.

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
    out.append(framework_turtle(number))
    return "".join(out)


AS_OF = "2026-11-01"
"""The day the benchmark validates (``bench/validation.py``, ``bench/run.py``): the generated
frameworks' intervals are placed around it (some ended, some uncertain on it)."""
POWERS = (
    "ReceiveComplaints",
    "AdviseOnLegislation",
    "ReportToParliament",
    "EncourageRatification",
    "CooperateWithUN",
    "VisitPlacesOfDetention",
    "PublishReports",
    "PublishDecisions",
    "LegislativeInitiative",
    "HumanRightsEducation",
    "CourtReferral",
)
AIMS = (
    "NationalSecurity",
    "PublicOrder",
    "PublicHealth",
    "PublicMorals",
    "RightsOfOthers",
    "PublicSafety",
    "SpiritualAndMoralValues",
)


class _Turtle:
    """Resources in the generated framework, written as the real Kazakhstan data writes them."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, iri: str, types: str, label: str, *lines: str) -> None:
        body = "".join(f"    {line} ;\n" for line in lines if line)
        self.parts.append(f'\n{iri} a {types} ;\n    rdfs:label "{label}"@en ;\n{body}{PROV}\n')


def _flag(rng: random.Random, good: float, bad: float) -> bool | None:
    """True (compliant) with probability ``good``, False with ``bad``, else not recorded."""
    draw = rng.random()
    return True if draw < good else False if draw < good + bad else None


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _date(rng: random.Random, first: int, last: int) -> str:
    year = first + rng.randrange(last - first + 1)
    return f'"{year:04d}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"^^xsd:date'


def framework_turtle(number: int) -> str:
    """Synthetic State ``number``'s national framework, modelled as data/kaz-institutions.ttl,
    data/kaz-laws.ttl and data/events.ttl model Kazakhstan's: a national human rights
    institution with its time-bound features (legal bases, mandate, powers, appointment
    procedure, term, immunity, budget, staffing), office holdings and accreditation history;
    laws on association, assembly and expression, a criminal code and a code of administrative
    offences, with provisions carrying the features the shapes read; registration refusals and
    a dissolution with their ground statements; for some States a state of emergency. A seeded
    mix of compliant, non-compliant and unrecorded features, so that every outcome (not met,
    not established, met) occurs; its own random stream, so the rest of the State's file does
    not depend on it."""
    rng = random.Random(f"hrgraph-bench-framework-{number}")  # noqa: S311 (data, not secrets)
    iso = code(number)
    s = iso.lower()
    me = f"id:state\\/{s}"
    name = f"Synthetic State {iso}"
    t = _Turtle()
    nhri = f"id:institution\\/{s}\\/nhri"
    ministry = f"id:institution\\/{s}\\/ministry-of-justice"
    courts = f"id:institution\\/{s}\\/courts"
    president = f"id:institution\\/{s}\\/president"
    act = f"id:act\\/{s}"
    feature = f"id:feature\\/{s}\\/nhri"
    t.add(ministry, "hrg:Ministry", f"Ministry of Justice of {name}", f"hrg:stateOf {me}")
    t.add(courts, "hrg:Court", f"Courts of {name}", f"hrg:stateOf {me}")
    t.add(president, "hrg:Institution", f"President of {name}", f"hrg:stateOf {me}")

    # --- acts -------------------------------------------------------------------------------
    constitution = f"{act}\\/constitution"
    t.add(
        constitution,
        "hrg:Constitution",
        f"Constitution of {name}",
        f"hrg:jurisdiction {me}",
        f"hrg:adoptionDate {_date(rng, 1991, 1999)}",
    )
    decree = f"{act}\\/nhri-decree"
    t.add(
        decree,
        "hrg:Decree",
        f"Presidential decree establishing the ombudsman of {name}",
        f"hrg:jurisdiction {me}",
        f"hrg:adoptionDate {_date(rng, 1996, 2004)}",
    )
    statute = f"{act}\\/nhri-law"
    statute_year = 2008 + rng.randrange(12)
    t.add(
        statute,
        "hrg:Law",
        f"Law on the ombudsman of {name} ({statute_year})",
        f"hrg:jurisdiction {me}",
        f'hrg:adoptionDate "{statute_year}-06-15"^^xsd:date',
    )

    # --- the national human rights institution: features --------------------------------------
    features: list[str] = []

    def feature_node(slug: str, kind: str, label: str, *lines: str) -> None:
        iri = f"{feature}-{slug}"
        features.append(iri)
        t.add(iri, f"hrg:{kind}", f"{label} ({name})", f"hrg:featureOf {nhri}", *lines)

    basis = rng.random()
    decree_until = f'"{statute_year}-07"^^xsd:gYearMonth'
    # only the decree (a basis below a law: not met), or the decree until the law, then the law
    # (and for some the Constitution)
    decree_only = basis < 0.25
    feature_node(
        "legal-basis-decree",
        "LegalBasis",
        "Legal basis of the ombudsman: presidential decree",
        f"hrg:basisAct {decree}",
        "hrg:basisLevel hrg:ExecutiveDecreeLevel",
        f"hrg:grantedBy {decree}",
        'hrg:validFrom "2000"^^xsd:gYear',
        *([] if decree_only else [f"hrg:validUntil {decree_until}"]),
    )
    if not decree_only:
        feature_node(
            "legal-basis-law",
            "LegalBasis",
            f"Legal basis of the ombudsman: the law of {statute_year}",
            f"hrg:basisAct {statute}",
            "hrg:basisLevel hrg:StatutoryLevel",
            f"hrg:grantedBy {statute}",
            f'hrg:date "{statute_year}-06-15"^^xsd:date',
            f"hrg:validFrom {decree_until}",
        )
        if basis > 0.8:
            feature_node(
                "legal-basis-constitution",
                "LegalBasis",
                "Constitutional status of the ombudsman",
                f"hrg:basisAct {constitution}",
                "hrg:basisLevel hrg:ConstitutionalLevel",
                f'hrg:validFrom "{2020 + rng.randrange(5)}"^^xsd:gYear',
            )
    granted = decree if basis < 0.25 else statute

    mandate = rng.random()
    if mandate < 0.3:
        feature_node(
            "mandate",
            "Mandate",
            "Mandate of the ombudsman: the courts excluded",
            'hrg:mandateScope "Acts and omissions of the executive"@en',
            f"hrg:excludedFromMandate {courts}",
            f"hrg:grantedBy {granted}",
        )
    elif mandate < 0.7:
        feature_node(
            "mandate",
            "Mandate",
            "Mandate of the ombudsman: every public authority",
            "hrg:coversAllPublicAuthorities true",
            f"hrg:grantedBy {granted}",
        )

    for power in POWERS:
        if rng.random() < 0.55:
            slug = "power-" + "".join(c if c.islower() else "-" + c.lower() for c in power)[1:]
            feature_node(
                slug.replace("power--", "power-"),
                "PowerGrant",
                f"The ombudsman's power: {power}",
                f"hrg:power hrg:{power}",
                f"hrg:grantedBy {granted}" if rng.random() < 0.7 else "",
            )
    recommendations = rng.random()
    if recommendations < 0.4:
        feature_node(
            "power-advisory-recommendations",
            "PowerGrant",
            "The ombudsman's recommendations do not bind",
            "hrg:power hrg:AdvisoryRecommendations",
            f"hrg:responseRequired {_bool(rng.random() < 0.5)}",
        )
    elif recommendations < 0.6:
        feature_node(
            "power-binding-recommendations",
            "PowerGrant",
            "The ombudsman's recommendations bind",
            "hrg:power hrg:BindingRecommendations",
            "hrg:responseRequired true",
        )

    if rng.random() < 0.85:
        lines = [f"hrg:appointingAuthority {president}", f"hrg:grantedBy {granted}"]
        for prop in ("publicVacancy", "civilSocietyParticipation", "meritCriteriaPublished"):
            flag = _flag(rng, 0.35, 0.35)
            if flag is not None:
                lines.append(f"hrg:{prop} {_bool(flag)}")
        vote = _flag(rng, 0.2, 0.3)
        if vote is not None:
            lines.append(f"hrg:governmentRepresentativesVote {_bool(vote)}")
        end = rng.random()
        if end < 0.15:  # ends on a day of 2026 that is not recorded: uncertain on AS_OF
            lines.append('hrg:validUntil "2026"^^xsd:gYear')
        feature_node("appointment", "AppointmentProcedure", "Appointment of the ombudsman", *lines)
        if end < 0.25:
            feature_node(
                "appointment-old",
                "AppointmentProcedure",
                "Appointment of the ombudsman under the decree (ended)",
                "hrg:publicVacancy false",
                f"hrg:grantedBy {decree}",
                'hrg:validFrom "2000"^^xsd:gYear',
                f"hrg:validUntil {decree_until}",
            )

    if rng.random() < 0.85:
        years = rng.choice((2, 4, 5, 5, 6, 7, 8))
        lines = [f"hrg:termYears {years}", f"hrg:grantedBy {granted}"]
        if rng.random() < 0.7:
            lines.append(f"hrg:maxConsecutiveTerms {rng.choice((1, 2, 2, 3))}")
        dismissal = _flag(rng, 0.4, 0.3)
        if dismissal is not None:
            lines.append(f"hrg:dismissalGroundsInLaw {_bool(dismissal)}")
        feature_node("term", "Term", "Term of office of the ombudsman", *lines)
        holder_from = 2010 + rng.randrange(14)
        person = f"id:person\\/{s}-ombudsman"
        t.add(person, "hrg:Person", f"The ombudsman of {name} (a synthetic person)")
        t.add(
            f"id:holding\\/{s}\\/nhri\\/current",
            "hrg:OfficeHolding",
            f"The ombudsman of {name}, from {holder_from}",
            f"hrg:office {nhri}",
            f"hrg:holder {person}",
            'hrg:role "Ombudsman"@en',
            f'hrg:date "{holder_from}-03"^^xsd:gYearMonth',
            f'hrg:validFrom "{holder_from}-03"^^xsd:gYearMonth',
        )

    immunity = _flag(rng, 0.45, 0.35)
    if immunity is not None:
        feature_node(
            "immunity",
            "Immunity",
            "Immunity of the ombudsman",
            f"hrg:functionalImmunity {_bool(immunity)}",
            f"hrg:grantedBy {granted}",
        )

    budget = rng.random()
    if budget < 0.75:
        kind = "SeparateBudgetLine" if budget < 0.4 else "WithinExecutiveBudget"
        dedicated = _flag(rng, 0.3, 0.4)
        feature_node(
            "budget",
            "BudgetArrangement",
            f"Budget of the ombudsman: {kind}",
            f"hrg:budgetKind hrg:{kind}",
            f"hrg:dedicatedResources {_bool(dedicated)}" if dedicated is not None else "",
            f"hrg:grantedBy {granted}",
        )

    if rng.random() < 0.7:
        own, seconded = _flag(rng, 0.5, 0.3), _flag(rng, 0.2, 0.4)
        feature_node(
            "staffing",
            "StaffingArrangement",
            "Staff of the ombudsman's office",
            f"hrg:selectsOwnStaff {_bool(own)}" if own is not None else "",
            f"hrg:staffSeconded {_bool(seconded)}" if seconded is not None else "",
            "hrg:ensuresPluralism true" if rng.random() < 0.3 else "",
        )

    emergency = None
    if rng.random() < 0.3:
        emergency = f"id:event\\/{s}\\/state-of-emergency"
        t.add(
            emergency,
            "hrg:StateOfEmergency",
            f"State of emergency in {name} (from October 2026)",
            f"hrg:stateConcerned {me}",
            'hrg:validFrom "2026-10-05"^^xsd:date',
        )
    responded = emergency is not None and rng.random() < 0.5
    t.add(
        nhri,
        "hrg:NationalHumanRightsInstitution, hrg:Ombudsman",
        f"Ombudsman of {name}",
        f"hrg:stateOf {me}",
        "hrg:hasFeature " + " ,\n        ".join(features),
    )
    if responded:  # a dated response: the shapes read it from its day on
        t.add(
            f"id:event\\/{s}\\/ombudsman-emergency-visit",
            "hrg:Event",
            f"The ombudsman of {name} visits places of detention during the state of emergency",
            f"hrg:duringEvent {emergency}",
            f"hrg:involves {nhri}",
            'hrg:date "2026-10-12"^^xsd:date',
        )
    decisions = rng.randrange(3)
    for n in range(decisions):
        status = rng.choice(("StatusA", "StatusB", "StatusB", "StatusC"))
        year = 2005 + 8 * n + rng.randrange(8)
        t.add(
            f"id:accreditation\\/{s}\\/nhri-{year}",
            "hrg:AccreditationDecision",
            f"GANHRI accreditation of the ombudsman of {name} ({year})",
            f"hrg:accreditedInstitution {nhri}",
            f"hrg:accreditationStatus hrg:{status}",
            f'hrg:date "{year}-{3 + 7 * (n % 2):02d}"^^xsd:gYearMonth',
        )

    # --- laws on association, assembly, expression, liberty; the codes -------------------------
    def provisions(
        slug: str, kind: str, label: str, year: int, items: list[tuple[str, str, list[str]]]
    ) -> None:
        whole = f"{act}\\/{slug}"
        names = [f"{whole}\\/{item}" for item, _, _ in items]
        t.add(
            whole,
            f"hrg:{kind}",
            f"{label} of {name} ({year})",
            f"hrg:jurisdiction {me}",
            f'hrg:adoptionDate "{year}-0{1 + year % 9}-1{year % 10}"^^xsd:date',
            "hrg:hasProvision " + " , ".join(names),
        )
        for iri, (_, text, lines) in zip(names, items, strict=True):
            t.add(
                iri,
                "hrg:DomesticProvision",
                f"{label} of {name}: {text}",
                f'hrg:text "{text}"@en',
                "hrg:textIsSummary true",
                *lines,
            )

    def aims(count: int) -> str:
        chosen = sorted(set(rng.sample(AIMS, count)))
        return "hrg:restrictionAim " + " , ".join(f"hrg:{aim}" for aim in chosen)

    association = "hrg:regulatesRight id:right\\/freedom-of-association"
    assembly = "hrg:regulatesRight id:right\\/peaceful-assembly"
    expression = "hrg:regulatesRight id:right\\/freedom-of-expression"
    liberty = "hrg:regulatesRight id:right\\/liberty-and-security"
    items = [
        (
            "registration",
            "registration of public associations",
            [
                association,
                "hrg:associationKind hrg:PublicAssociation",
                "hrg:requiresRegistration true",
                f"hrg:minimumMembers {rng.choice((3, 10, 50))}" if rng.random() < 0.5 else "",
            ],
        ),
        (
            "founders",
            "who may found an association",
            [
                association,
                "hrg:associationKind hrg:PublicAssociation",
                f"hrg:appliesTo hrg:{rng.choice(('CitizensOnly', 'Everyone', 'Everyone'))}",
            ],
        ),
        (
            "parties",
            "who may found a political party",
            [
                association,
                "hrg:associationKind hrg:PoliticalParty",
                "hrg:appliesTo hrg:CitizensOnly",
            ],
        ),
        (
            "aims",
            "grounds for restricting an association",
            [association, aims(1 + rng.randrange(3))],
        ),
    ]
    provisions("association-law", "Law", "Law on public associations", 1996 + number % 20, items)
    authorised = rng.random() < 0.5
    items = [
        (
            "scope",
            "who may assemble",
            [assembly, f"hrg:appliesTo hrg:{rng.choice(('CitizensOnly', 'Everyone'))}"],
        ),
        (
            "notice",
            "notification or permission",
            [assembly, f"hrg:requiresAuthorisation {_bool(authorised)}"],
        ),
        ("aims", "grounds for restricting an assembly", [assembly, aims(1 + rng.randrange(3))]),
    ]
    if rng.random() < 0.4:
        items.append(
            ("places", "places for assemblies", [assembly, "hrg:restrictedToDesignatedPlaces true"])
        )
    provisions("assembly-law", "Law", "Law on peaceful assemblies", 2000 + number % 20, items)
    items = [
        (
            "media-aims",
            "grounds for restricting the media",
            [expression, aims(1 + rng.randrange(3))],
        ),
    ]
    provisions("media-law", "Law", "Law on the mass media", 1999 + number % 20, items)

    sanctions: list[tuple[str, str, str]] = []

    def sanctioned(slug: str, kind: str, conduct: str) -> str:
        iri = f"{act}\\/{slug}\\/sanction"
        sanctions.append((iri, kind, conduct))
        return f"hrg:sanction {iri}"

    criminal_defamation = rng.random() < 0.5
    court_decides = _flag(rng, 0.6, 0.25)
    items = [
        (
            "defamation",
            "defamation",
            [
                expression,
                sanctioned(
                    "criminal-code\\/defamation",
                    "CriminalSanction" if criminal_defamation else "AdministrativeSanction",
                    "defamation",
                ),
            ],
        ),
        (
            "torture",
            "torture",
            [
                "hrg:regulatesRight id:right\\/freedom-from-torture",
                sanctioned(
                    "criminal-code\\/torture",
                    "CriminalSanction" if rng.random() < 0.7 else "AdministrativeSanction",
                    "torture by an official",
                ),
            ],
        ),
        (
            "detention",
            "arrest and detention",
            [
                liberty,
                f"hrg:decidedByCourt {_bool(court_decides)}" if court_decides is not None else "",
                f"hrg:maxHoursBeforeJudge {rng.choice((48, 48, 72))}" if rng.random() < 0.6 else "",
            ],
        ),
    ]
    provisions("criminal-code", "Code", "Criminal Code", 1997 + number % 20, items)
    items = [
        (
            "unregistered",
            "activity of an unregistered association",
            [
                association,
                "hrg:requiresRegistration true",
                "hrg:appliesTo hrg:Everyone",
                sanctioned(
                    "administrative-code\\/unregistered",
                    "AdministrativeSanction",
                    "leading an unregistered association",
                ),
            ]
            if rng.random() < 0.5
            else [association, "hrg:appliesTo hrg:Everyone"],
        ),
        (
            "battery",
            "battery, including in the family",
            [
                "hrg:regulatesRight id:right\\/freedom-from-gender-based-violence",
                "hrg:appliesTo hrg:Everyone",
                sanctioned(
                    "administrative-code\\/battery",
                    "AdministrativeSanction" if rng.random() < 0.5 else "CriminalSanction",
                    "battery",
                ),
            ],
        ),
    ]
    provisions(
        "administrative-code", "Code", "Code of Administrative Offences", 2001 + number % 20, items
    )
    for iri, kind, conduct in sanctions:
        label = "Criminal" if kind == "CriminalSanction" else "Administrative"
        t.add(
            iri,
            "hrg:Sanction",
            f"{label} sanction for {conduct} in {name}",
            f"hrg:sanctionKind hrg:{kind}",
            f'hrg:sanctionedConduct "{conduct}"@en',
        )

    # --- events: registration refusals and a dissolution ---------------------------------------
    organisations = []
    for n in range(1, 3):
        org = f"id:organisation\\/{s}-association-{n}"
        organisations.append(org)
        t.add(org, "hrg:CivilSocietyOrganisation", f"Association {n} of {name} (synthetic)")
    for n in range(rng.randrange(4)):
        refusal = f"id:event\\/{s}\\/registration-refusal-{n + 1}"
        ground = f"{refusal}\\/ground"
        technical = rng.random() < 0.6
        count = rng.choice((1, 1, 2, 5)) if rng.random() < 0.7 else None
        t.add(
            refusal,
            "hrg:RegistrationRefusal",
            f"Refusal {n + 1} to register an association in {name}",
            f"hrg:applicant {organisations[n % 2]}",
            f"hrg:refusingAuthority {ministry}",
            f"hrg:refusalCount {count}" if count is not None else "",
            f"hrg:date {_date(rng, 2019, 2025)}",
            f"hrg:groundStatement {ground}",
        )
        t.add(
            ground,
            "hrg:GroundStatement",
            f"The Ministry's ground for refusal {n + 1} in {name}",
            f"hrg:statedBy {ministry}",
            "hrg:groundKind hrg:TechnicalGround"
            if technical
            else f"hrg:groundAim hrg:{rng.choice(AIMS)}",
        )
    if rng.random() < 0.4:
        ban = f"id:event\\/{s}\\/dissolution"
        ground = f"{ban}\\/ground"
        t.add(
            ban,
            "hrg:Dissolution",
            f"Court ban of an association in {name}",
            f"hrg:involves {organisations[0]}",
            f"hrg:decidingAuthority {courts}",
            f"hrg:date {_date(rng, 2019, 2025)}",
            f"hrg:groundStatement {ground}",
        )
        t.add(
            ground,
            "hrg:GroundStatement",
            f"The court's ground for the ban in {name}",
            f"hrg:statedBy {courts}",
            f"hrg:groundAim hrg:{rng.choice(AIMS)}",
        )
    return f"\n# {name}'s national framework (synthetic).\n" + "".join(t.parts)


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
    if real_data:  # copied, not linked: edits to data/ leave a built benchmark store current
        for path in sorted((ROOT / "data").glob("*.ttl")):
            shutil.copyfile(path, data / path.name)
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
