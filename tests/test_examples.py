"""The example framework of a fictional second State (examples/xanadu/), validated with
`hrgraph validate --data`: the exact findings on three days."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hrgraph.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/hrgraph/id/"
EXAMPLE = ROOT / "examples" / "xanadu" / "xanadu.ttl"
STANDARDS = ROOT / "data" / "paris-principles.ttl"

ADVOCATE = "institution/xxa/peoples-advocate"
ALWAYS = [
    ("act/xxa/associations-act-art-9", "treaty/iccpr/art-22/para-2", "Violation"),
    # Criminal defamation: a concern under CCPR/C/GC/34 para. 47, not a per se breach.
    ("act/xxa/criminal-code-art-180", "treaty/iccpr/art-19/para-3", "Warning"),
    (ADVOCATE, "requirement/ganhri-go-1-8", "Violation"),
    (ADVOCATE, "requirement/effectiveness-binding-recommendations", "Warning"),
    # What the example does not record is not established, never a breach.
    *(
        (ADVOCATE, "requirement/" + name, "Info")
        for name in (
            "effectiveness-legislative-initiative",
            "ganhri-go-1-2",
            "ganhri-go-1-6",
            "ganhri-go-2-2",
            "ganhri-go-2-4",
            "ganhri-go-secondment",
        )
    ),
]
PROSECUTOR_ORDERS_DETENTION = [
    ("act/xxa/cpc-arrest-by-prosecutor", "treaty/iccpr/art-9/para-3", "Violation")
]
# A judge orders detention, but how soon a detainee is brought before one is not recorded.
PROMPTNESS_UNKNOWN = [("act/xxa/cpc-arrest-by-judge", "treaty/iccpr/art-9/para-3", "Info")]
BATTERY_A_MINOR_OFFENCE = [("act/xxa/minor-offences-act-art-12", "treaty/cedaw/art-2", "Violation")]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2011-06-01", ALWAYS + PROSECUTOR_ORDERS_DETENTION),
        ("2020-06-01", ALWAYS + PROMPTNESS_UNKNOWN + BATTERY_A_MINOR_OFFENCE),
        ("2022-06-01", ALWAYS + PROMPTNESS_UNKNOWN),
    ],
)
def test_xanadu_findings(
    capsys: pytest.CaptureFixture[str], day: str, expected: list[tuple[str, str, str]]
) -> None:
    code = main(
        ["--root", str(ROOT), "validate", "--data", str(EXAMPLE), str(STANDARDS),
         "--as-of", day, "--format", "json"]
    )  # fmt: skip
    body = json.loads(capsys.readouterr().out)
    found = sorted(
        (f["focus"].removeprefix(ID), f["requirement"].removeprefix(ID), f["severity"])
        for f in body["findings"]
    )
    assert (code, body["conforms"]) == (1, False)
    assert found == sorted(expected)
    assert body["data"] == ["ontology/hrgraph.ttl", str(EXAMPLE), str(STANDARDS)]


def test_the_example_is_fictional() -> None:
    text = EXAMPLE.read_text()
    assert "FICTIONAL" in text
    assert "/kaz" not in text
