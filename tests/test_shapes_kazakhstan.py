"""The legal shapes on Kazakhstan's bundled data: the exact findings on the days that matter.

Which Paris Principles requirements the Commissioner for Human Rights fails (under the 2002
decree, after the 2021 law, today), which provisions fail ICCPR article 22 and why, article 9(3)
across the 2008 arrest reform, and the CEDAW window (battery outside the criminal law, 2017-2024).
The expectations are calibrated on data/ as it stands: a change to the data that changes a finding
must change this file too, on purpose. "Today" is pinned (TODAY) so the test does not age.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from hrgraph.cli import main
from hrgraph.settings import Settings
from hrgraph.validate import Finding, ValidationReport, validate

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/hrgraph/id/"
TODAY = date(2026, 11, 1)
COMMISSIONER = "institution/kaz/commissioner-for-human-rights"
FEATURE = "feature/kaz/commissioner-for-human-rights-"
MANDATE_2002 = FEATURE + "mandate-2002"
APPOINTMENT = FEATURE + "appointment-before-2022"
B_STATUS_2012 = "accreditation/kaz/commissioner-2012"


@cache
def report_on(day: date) -> ValidationReport:
    return validate(Settings(root=ROOT), as_of=day)


def short(iri: str | None) -> str:
    return (iri or "").removeprefix(ID)


def row(finding: Finding) -> tuple[str, str, str]:
    """(requirement, severity, value): the value is the feature, sanction or aim at fault."""
    value = "" if finding.value in (None, finding.focus) else short(finding.value)
    return short(finding.requirement), finding.severity, value


def findings_on(day: date, focus_prefix: str) -> Counter[tuple[str, str, str, str]]:
    return Counter(
        (short(f.focus), *row(f))
        for f in report_on(day).findings
        if short(f.focus).startswith(focus_prefix)
    )


# --- the Commissioner for Human Rights and the Paris Principles -----------------------------------

ALWAYS = Counter(
    {
        # Mandate of 2002: courts and prosecution excluded (no later feature ends it).
        ("requirement/ganhri-go-1-2", "Violation", MANDATE_2002): 2,
        # Appointment by the President on the Senate's recommendation: no public vacancy, no
        # civil society, no published criteria.
        ("requirement/ganhri-go-1-8", "Violation", APPOINTMENT): 3,
        ("requirement/ganhri-go-2-3", "Violation", FEATURE + "immunity-2002"): 1,
        ("requirement/paris-a-3-a-iii", "Violation", ""): 1,
        ("requirement/paris-a-3-c", "Violation", ""): 1,
        ("requirement/paris-a-3-e", "Violation", ""): 1,
        ("requirement/paris-b-1", "Violation", ""): 1,
        ("requirement/paris-b-2", "Violation", FEATURE + "budget-2002"): 1,
        ("requirement/paris-c-c", "Violation", ""): 1,
        # Beyond the Paris Principles: the seed article's effectiveness conditions.
        (
            "requirement/effectiveness-binding-recommendations",
            "Warning",
            FEATURE + "power-advisory-recommendations",
        ): 1,
        ("requirement/effectiveness-legislative-initiative", "Warning", ""): 1,
        ("requirement/effectiveness-publicity-of-decisions", "Warning", ""): 1,
    }
)
UNDER_THE_DECREE = Counter(
    {
        ("requirement/paris-a-2", "Violation", FEATURE + "legal-basis-2002"): 1,
        ("requirement/paris-a-3-a-i", "Violation", ""): 1,
    }
)
NOT_ACCREDITED = Counter({("requirement/ganhri-accreditation-a", "Violation", ""): 1})
B_STATUS = Counter({("requirement/ganhri-accreditation-a", "Violation", B_STATUS_2012): 1})


def commissioner_on(day: date) -> Counter[tuple[str, str, str]]:
    return Counter(
        {key[1:]: n for key, n in findings_on(day, COMMISSIONER).items() if key[0] == COMMISSIONER}
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # The decree of 2002 is the only legal basis; no accreditation before March 2012.
        (date(2010, 1, 1), ALWAYS + UNDER_THE_DECREE + NOT_ACCREDITED),
        # B status since March 2012.
        (date(2016, 6, 1), ALWAYS + UNDER_THE_DECREE + B_STATUS),
        # The Law of 29 December 2021 gives a statutory basis and the power to advise on laws.
        (date(2022, 3, 1), ALWAYS + B_STATUS),
        (TODAY, ALWAYS + B_STATUS),
    ],
    ids=str,
)
def test_the_commissioner_fails_these_paris_principles(
    day: date, expected: Counter[tuple[str, str, str]]
) -> None:
    assert commissioner_on(day) == expected


def test_only_the_commissioner_has_a_recorded_framework() -> None:
    """The comparator NHRIs have no features: they are judged on accreditation alone, and hold
    A status today."""
    report = report_on(TODAY)
    institutions = {short(f.focus) for f in report.findings if f.group_kind == "institution"}
    assert institutions == {COMMISSIONER}
    earlier = findings_on(date(2005, 6, 1), "institution/")
    not_accredited = ("requirement/ganhri-accreditation-a", "Violation", "")
    assert {key for key in earlier if key[0] != COMMISSIONER} == {
        ("institution/gbr/equality-and-human-rights-commission", *not_accredited),
        ("institution/svn/human-rights-ombudsman", *not_accredited),
    }


# --- ICCPR article 22 -------------------------------------------------------------------------

P1 = "treaty/iccpr/art-22/para-1"
P2 = "treaty/iccpr/art-22/para-2"
CAO_489 = "act/kaz/cao-2014/art-489"
ARTICLE_22_TODAY = Counter(
    {
        # Citizens only: the Law on political parties, arts. 3 and 6.
        ("act/kaz/law-2002-344-ii/art-3", P1, "Violation", ""): 1,
        ("act/kaz/law-2002-344-ii/art-6", P1, "Violation", ""): 1,
        # Registration a condition to exist or act.
        ("act/kaz/z960000003/registration-requirement", P2, "Violation", ""): 1,
        ("act/kaz/law-2002-344-ii/membership-threshold", P2, "Violation", ""): 1,
        # Sanctions for leading, taking part in, financing an unregistered association.
        (f"{CAO_489}/para-9", P2, "Violation", f"{CAO_489}/para-9/sanction"): 1,
        (f"{CAO_489}/para-10", P2, "Violation", f"{CAO_489}/para-10/sanction"): 1,
        (f"{CAO_489}/para-11", P2, "Violation", f"{CAO_489}/para-11/sanction"): 1,
        # Feminita refused registration on a ground article 22(2) does not list.
        (
            "event/feminita-registration-refusals",
            P2,
            "Violation",
            "https://w3id.org/hrgraph/ontology#SpiritualAndMoralValues",
        ): 1,
    }
)
CONSTITUTION_ART_23 = Counter({("act/kaz/constitution-1995/art-23/para-1", P1, "Violation", ""): 1})


def article_22_on(day: date) -> Counter[tuple[str, str, str, str]]:
    return Counter({key: n for key, n in findings_on(day, "").items() if key[1] in (P1, P2)})


def test_article_22_findings_today() -> None:
    """The 1995 Constitution (art. 23(1), citizens only) is out of force since 1 July 2026."""
    assert article_22_on(TODAY) == ARTICLE_22_TODAY


def test_article_22_findings_while_the_1995_constitution_was_in_force() -> None:
    assert article_22_on(date(2025, 6, 1)) == ARTICLE_22_TODAY + CONSTITUTION_ART_23


def test_article_22_before_the_2015_code_and_the_feminita_refusals() -> None:
    expected = Counter(
        {
            key: n
            for key, n in (ARTICLE_22_TODAY + CONSTITUTION_ART_23).items()
            if not key[0].startswith(("act/kaz/cao-2014/", "event/"))
        }
    )
    assert article_22_on(date(2010, 1, 1)) == expected


def test_article_22_is_not_applied_before_the_covenant_bound_kazakhstan() -> None:
    """The ICCPR binds Kazakhstan from 24 April 2006."""
    assert article_22_on(date(2005, 6, 1)) == Counter()
    assert article_22_on(date(2006, 6, 1)) != Counter()


# --- article 9(3) across the 2008 reform; the CEDAW window ---------------------------------------

ARREST = "act/kaz/z970000206/arrest-sanctioned-by-prosecutor"


def test_article_9_3_before_and_after_the_2008_arrest_reform() -> None:
    def article_9_3(day: date) -> list[str]:
        return sorted(
            short(f.focus)
            for f in report_on(day).findings
            if short(f.requirement) == "treaty/iccpr/art-9/para-3"
        )

    assert article_9_3(date(2007, 6, 1)) == [ARREST]
    assert article_9_3(date(2009, 6, 1)) == []


# Battery and minor bodily harm were administrative offences only from the 2017 reform to the
# 2024 reform (act/kaz/cao-2014/battery): the CEDAW shape flags the provision inside that window.
CEDAW_WINDOW: dict[date, list[str]] = {
    date(2016, 6, 1): [],
    date(2018, 6, 1): ["act/kaz/cao-2014/battery"],
    date(2024, 6, 15): ["act/kaz/cao-2014/battery"],
    date(2024, 6, 16): [],
    date(2025, 6, 1): [],
}


@pytest.mark.parametrize("day", sorted(CEDAW_WINDOW), ids=str)
def test_cedaw_battery_window(day: date) -> None:
    found = sorted(
        short(f.focus)
        for f in report_on(day).findings
        if short(f.requirement) == "treaty/cedaw/art-2"
    )
    assert found == CEDAW_WINDOW[day]


# --- the rest of "beyond" and the report as a whole -----------------------------------------------

CC = "act/kaz/k1400000226"
ART_19_3 = "treaty/iccpr/art-19/para-3"
BEYOND_TODAY = Counter(
    {
        ("act/kaz/z2000000333/art-1", "treaty/iccpr/art-21", "Violation", ""): 1,
        ("act/kaz/z2000000333/art-12", "treaty/iccpr/art-21", "Violation", ""): 1,
        ("act/kaz/z2000000333/art-8", "treaty/iccpr/art-21", "Violation", ""): 1,
        (f"{CC}/art-130", ART_19_3, "Violation", f"{CC}/art-130/sanction"): 1,
        (f"{CC}/art-274", ART_19_3, "Violation", f"{CC}/art-274/sanction"): 1,
        ("claim/web/16", "treaty/echr/art-59/para-1", "Warning", "status/kaz/echr"): 1,
    }
)


def test_beyond_findings_today() -> None:
    beyond = Counter(
        {
            key: n
            for key, n in findings_on(TODAY, "").items()
            if not key[1].startswith(("requirement/", "treaty/iccpr/art-22"))
        }
    )
    assert beyond == BEYOND_TODAY


def test_every_finding_cites_a_requirement_and_its_sources() -> None:
    report = report_on(TODAY)
    assert not report.conforms
    expected = ALWAYS + B_STATUS
    assert (
        len(report.findings) == expected.total() + ARTICLE_22_TODAY.total() + BEYOND_TODAY.total()
    )
    for finding in report.findings:
        assert finding.requirement is not None, finding.message
        assert finding.requirement_label, finding.requirement
        assert finding.facts[0].sources, finding.focus
        assert "{?" not in finding.message, finding.message


def test_hrgraph_validate_names_the_gaps(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(ROOT), "validate", "--as-of", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert code == 1
    assert "Institution: Commissioner for Human Rights in the Republic of Kazakhstan" in out
    assert "Act: Code of the Republic of Kazakhstan on Administrative Offences" in out
    assert "Treaty article: ICCPR article 22(2)" in out
    assert "GO 1.8 — Selection and appointment of the decision-making body of NHRIs" in out
