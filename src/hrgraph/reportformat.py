"""Rendering a validation report: text and Markdown grouped by institution, act and treaty
article; JSON; HTML (every value escaped); Turtle (the standard ``sh:ValidationReport``)."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from dataclasses import asdict

from hrgraph.validate import Finding, ValidationReport

FORMATS = ("text", "markdown", "json", "turtle", "html")
GROUP_TITLES = {
    "institution": "Institution",
    "act": "Act",
    "treaty article": "Treaty article",
    "other": "Other",
}


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


def _groups(report: ValidationReport) -> dict[tuple[str, str], list[Finding]]:
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        groups[(finding.group_kind, finding.group)].append(finding)
    order = list(GROUP_TITLES)
    return dict(sorted(groups.items(), key=lambda item: (order.index(item[0][0]), item[0][1])))


def _by_requirement(report: ValidationReport) -> dict[str, list[Finding]]:
    index: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        index[finding.requirement_label or "(no requirement cited)"].append(finding)
    return dict(sorted(index.items()))


def _summary(report: ValidationReport) -> str:
    counts = report.counts()
    if report.conforms:
        return f"Conforms as of {report.as_of.isoformat()}: no findings."
    parts = [f"{n} {kind.lower()}{'s' if n != 1 else ''}" for kind, n in counts.items() if n]
    return f"Does not conform as of {report.as_of.isoformat()}: {', '.join(parts)}."


def _provenance(report: ValidationReport) -> str:
    return f"Validated: {report.basis or 'the data'}; engine: {report.engine or 'unknown'}."


def _sources_line(finding: Finding) -> str:
    parts = []
    for fact in finding.facts:
        sources = "; ".join(source.url or source.label for source in fact.sources) or "no source"
        confidence = fact.confidence or "confidence not stated"
        parts.append(f"{fact.label} ({confidence}): {sources}")
    return " | ".join(parts)


def render_text(report: ValidationReport) -> str:
    lines = [_summary(report), f"Shapes: {', '.join(report.shapes)}", _provenance(report), ""]
    for (kind, name), findings in _groups(report).items():
        lines.append(f"{GROUP_TITLES[kind]}: {name}")
        for finding in findings:
            lines.append(f"  [{finding.severity}] {finding.requirement_label or 'no requirement'}")
            lines.append(f"    {finding.focus_label}: {finding.message}")
            lines.append(f"    sources: {_sources_line(finding)}")
        lines.append("")
    if report.findings:
        lines.append("By requirement or treaty article:")
        for requirement, findings in _by_requirement(report).items():
            names = sorted({finding.focus_label for finding in findings})
            lines.append(f"  {requirement}: {', '.join(names)}")
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
    for (kind, name), findings in _groups(report).items():
        lines += [f"## {GROUP_TITLES[kind]}: {_md(name)}", ""]
        lines += [
            "| severity | requirement | resource | finding | sources |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in findings:
            lines.append(
                f"| {f.severity} | {_md(f.requirement_label or '')} | {_md(f.focus_label)} | "
                f"{_md(f.message)} | {_md(_sources_line(f))} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_json(report: ValidationReport) -> str:
    body = {
        "conforms": report.conforms,
        "asOf": report.as_of.isoformat(),
        "counts": report.counts(),
        "shapes": report.shapes,
        "data": report.data,
        "validated": report.basis,
        "engine": report.engine,
        "findings": [asdict(finding) for finding in report.findings],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def render_html(report: ValidationReport) -> str:
    e = html.escape
    rows = []
    for (kind, name), findings in _groups(report).items():
        rows.append(f"<h2>{e(GROUP_TITLES[kind])}: {e(name)}</h2>")
        rows.append(
            "<table><thead><tr><th>Severity</th><th>Requirement</th><th>Resource</th>"
            "<th>Finding</th><th>Sources</th></tr></thead><tbody>"
        )
        for f in findings:
            sources = "".join(
                f"<li>{e(fact.label)} ({e(fact.confidence or 'confidence not stated')}): "
                + ", ".join(
                    f'<a href="{e(s.url)}">{e(s.label)}</a>' if s.url else e(s.label)
                    for s in fact.sources
                )
                + "</li>"
                for fact in f.facts
            )
            rows.append(
                f'<tr class="{e(f.severity.lower())}"><td>{e(f.severity)}</td>'
                f"<td>{e(f.requirement_label or '')}</td>"
                f'<td><a href="{e(f.focus)}">{e(f.focus_label)}</a></td>'
                f"<td>{e(f.message)}</td><td><ul>{sources}</ul></td></tr>"
            )
        rows.append("</tbody></table>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Validation report as of {e(report.as_of.isoformat())}</title></head><body>"
        f"<h1>Validation report as of {e(report.as_of.isoformat())}</h1>"
        f"<p>{e(_summary(report))}</p>{''.join(rows)}</body></html>\n"
    )
