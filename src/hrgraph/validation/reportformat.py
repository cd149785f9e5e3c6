"""Rendering a validation report: text and Markdown grouped by institution, act and treaty
article, each group's sources listed once and numbered; JSON; HTML (every value escaped);
Turtle (the standard ``sh:ValidationReport``, with the three outcomes counted).

A finding is *not met* (a Violation or a Warning, by the requirement's tier) or *not
established* (an Info); the requirements a resource *meets* are listed after them."""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field

from hrgraph.validation.findings import Fact, Finding, Met, SourceRef, ValidationReport

FORMATS = ("text", "markdown", "json", "turtle", "html")
GROUP_TITLES = {
    "institution": "Institution",
    "act": "Act",
    "treaty article": "Treaty article",
    "other": "Other",
}
OUTCOME_TITLES = {"not met": "Not met", "not established": "Not established", "met": "Met"}


def render(report: ValidationReport, fmt: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        return str(report.results_graph.serialize(format="turtle"))
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "text":
        return render_text(report)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


@dataclass
class Group:
    """The findings and met requirements about one institution, act or treaty article, with
    the sources they rest on numbered once."""

    kind: str
    name: str
    findings: list[Finding] = field(default_factory=list)
    met: list[Met] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    def cite(self, fact: Fact) -> list[int]:
        numbers = []
        for source in fact.sources:
            if source not in self.sources:
                self.sources.append(source)
            numbers.append(self.sources.index(source) + 1)
        return numbers


def groups(report: ValidationReport) -> list[Group]:
    found: dict[tuple[str, str], Group] = {}
    for finding in report.findings:
        key = (finding.group_kind, finding.group)
        found.setdefault(key, Group(*key)).findings.append(finding)
    for met in report.met:
        key = (met.group_kind, met.group)
        found.setdefault(key, Group(*key)).met.append(met)
    order = list(GROUP_TITLES)
    ordered = sorted(found.values(), key=lambda g: (order.index(g.kind), g.name))
    for group in ordered:
        group.findings.sort(key=lambda f: (_rank(f), f.requirement_label or "", f.focus_label))
        for finding in group.findings:
            for fact in finding.facts:
                group.cite(fact)
    return ordered


def _rank(finding: Finding) -> int:
    return {"Violation": 0, "Warning": 1, "Info": 2}.get(finding.severity, 3)


def evidence(finding: Finding) -> list[Fact]:
    """The facts a finding rests on: the feature, sanction or decision at fault when there is
    one, else the resource judged."""
    return list(finding.facts[1:]) or list(finding.facts[:1])


def source_text(source: SourceRef) -> str:
    """A source as a lawyer cites it: the document (its UN symbol where it has one), then the
    copy that was read."""
    name = source.label
    if source.symbol and source.symbol not in name:
        name = f"{source.symbol}: {name}"
    return f"{name}; retrieved from {source.url}" if source.url else name


def _summary(report: ValidationReport) -> str:
    outcomes = report.outcomes()
    counts = report.counts()
    severities = ", ".join(
        f"{counts[kind]} {kind.lower()}{'s' if counts[kind] != 1 else ''}"
        for kind in ("Violation", "Warning")
        if counts[kind]
    )
    head = (
        f"Conforms as of {report.as_of.isoformat()}: no requirement found not met."
        if report.conforms
        else f"Does not conform as of {report.as_of.isoformat()}."
    )
    parts = [
        f"not met {outcomes['not met']}" + (f" ({severities})" if severities else ""),
        f"not established {outcomes['not established']}",
        f"met {outcomes['met']}",
    ]
    return f"{head} Outcomes: {'; '.join(parts)}."


def _provenance(report: ValidationReport) -> str:
    return f"Validated: {report.basis or 'the data'}; engine: {report.engine or 'unknown'}."


def _refs(group: Group, finding: Finding) -> str:
    parts = []
    for fact in evidence(finding):
        numbers = "".join(f"[{n}]" for n in group.cite(fact)) or "[no source]"
        confidence = fact.confidence or "confidence not stated"
        parts.append(f"{fact.label} ({confidence}) {numbers}")
    return "; ".join(parts)


def met_details(met: Met) -> list[str]:
    """What a report says of a requirement met after the resource: what was tested, and the note
    on the standard applied (e.g. a text dated after the day), in every format alike."""
    details = [f"as tested: {'; '.join(met.tested)}"] if met.tested else []
    if met.note:
        details.append(met.note[:1].lower() + met.note[1:])
    return details


def _details(met: Met) -> str:
    details = met_details(met)
    return f" ({'; '.join(details)})" if details else ""


def met_text(met: Met) -> str:
    """A requirement met, in a line: the requirement, then the resource and its details."""
    return f"{met.requirement_label} ({'; '.join([met.focus_label, *met_details(met)])})"


def _outcome_line(group: Group) -> str:
    not_met = sum(1 for f in group.findings if f.outcome == "not met")
    unknown = sum(1 for f in group.findings if f.outcome == "not established")
    return f"not met {not_met} · not established {unknown} · met {len(group.met)}"


def render_text(report: ValidationReport) -> str:
    lines = [_summary(report), f"Shapes: {', '.join(report.shapes)}", _provenance(report), ""]
    for group in groups(report):
        lines.append(f"{GROUP_TITLES[group.kind]}: {group.name}  ({_outcome_line(group)})")
        for finding in group.findings:
            title = OUTCOME_TITLES[finding.outcome]
            lines.append(
                f"  [{finding.severity}] {title}: {finding.requirement_label or 'no requirement'}"
            )
            lines.append(f"    {finding.focus_label}: {finding.message}")
            lines.append(f"    rests on: {_refs(group, finding)}")
        if group.met:
            lines.append("  Met:")
            for met in sorted(group.met, key=lambda m: (m.requirement_label, m.focus_label)):
                lines.append(f"    {met.requirement_label}: {met.focus_label}{_details(met)}")
        if group.sources:
            lines.append("  Sources:")
            for number, source in enumerate(group.sources, 1):
                lines.append(f"    [{number}] {source_text(source)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(report: ValidationReport) -> str:
    lines = [
        f"# Validation report, as of {report.as_of.isoformat()}",
        "",
        _summary(report),
        "",
        f"Shapes: {', '.join(f'`{shape}`' for shape in report.shapes)}",
        "",
        _provenance(report),
        "",
    ]
    for group in groups(report):
        lines += [
            f"## {GROUP_TITLES[group.kind]}: {_md(group.name)}",
            "",
            _outcome_line(group),
            "",
        ]
        if group.findings:
            lines += [
                "| outcome | severity | requirement | resource | finding | rests on |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            for f in group.findings:
                lines.append(
                    f"| {OUTCOME_TITLES[f.outcome]} | {f.severity} | "
                    f"{_md(f.requirement_label or '')} | {_md(f.focus_label)} | "
                    f"{_md(f.message)} | {_md(_refs(group, f))} |"
                )
            lines.append("")
        if group.met:
            lines.append("Met: " + "; ".join(_md(met_text(m)) for m in group.met))
            lines.append("")
        if group.sources:
            lines.append("Sources:")
            lines.append("")
            lines += [f"{n}. {_md(source_text(s))}" for n, s in enumerate(group.sources, 1)]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_json(report: ValidationReport) -> str:
    body = {
        "conforms": report.conforms,
        "asOf": report.as_of.isoformat(),
        "counts": report.counts(),
        "outcomes": report.outcomes(),
        "shapes": report.shapes,
        "data": report.data,
        "validated": report.basis,
        "engine": report.engine,
        "findings": [asdict(finding) for finding in report.findings],
        "met": [asdict(met) for met in report.met],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def render_html(report: ValidationReport) -> str:
    e = html.escape
    rows = []
    for group in groups(report):
        rows.append(f"<h2>{e(GROUP_TITLES[group.kind])}: {e(group.name)}</h2>")
        rows.append(f"<p>{e(_outcome_line(group))}</p>")
        if group.findings:
            rows.append(
                "<table><thead><tr><th>Outcome</th><th>Severity</th><th>Requirement</th>"
                "<th>Resource</th><th>Finding</th><th>Rests on</th></tr></thead><tbody>"
            )
            for f in group.findings:
                rows.append(
                    f'<tr class="{e(f.severity.lower())}"><td>{e(OUTCOME_TITLES[f.outcome])}</td>'
                    f"<td>{e(f.severity)}</td><td>{e(f.requirement_label or '')}</td>"
                    f'<td><a href="{e(f.focus)}">{e(f.focus_label)}</a></td>'
                    f"<td>{e(f.message)}</td><td>{e(_refs(group, f))}</td></tr>"
                )
            rows.append("</tbody></table>")
        if group.met:
            rows.append("<p>Met: " + "; ".join(e(met_text(m)) for m in group.met) + "</p>")
        if group.sources:
            items = "".join(
                f"<li>{e(source_text(s))}</li>"
                if not s.url
                else f"<li>{e(source_text(s).rsplit('; retrieved from ', 1)[0])}; retrieved from "
                f'<a href="{e(s.url)}">{e(s.url)}</a></li>'
                for s in group.sources
            )
            rows.append(f"<ol>{items}</ol>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Validation report as of {e(report.as_of.isoformat())}</title></head><body>"
        f"<h1>Validation report as of {e(report.as_of.isoformat())}</h1>"
        f"<p>{e(_summary(report))}</p>{''.join(rows)}</body></html>\n"
    )


__all__ = ["FORMATS", "Group", "evidence", "groups", "render", "source_text"]
