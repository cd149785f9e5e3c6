"""Pictures of the graph, drawn as SVG at request time from SPARQL answers (never by hand): the
monitoring mechanisms around Kazakhstan (``http.web.mechanisms``), a timeline, and
recommendations across UPR cycles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from html import escape

from hrgraph.http.pages import href
from hrgraph.http.web.data import select
from hrgraph.http.web.mechanisms import STATE, mechanisms
from hrgraph.http.web.svg import document, fit, text, wrap_width
from hrgraph.query.execution import Executor
from hrgraph.settings import Settings

TIMELINE = f"""SELECT DISTINCT ?x ?lane ?date ?label WHERE {{
  {{ ?x a hrg:TreatyAction ; hrg:actingState <{STATE}> ; hrg:date ?date .
     BIND ("treaty action" AS ?lane) }}
  UNION {{ ?x a hrg:Review ; hrg:reviewedState <{STATE}> ; hrg:date ?date .
           BIND ("review" AS ?lane) }}
  UNION {{ ?x a hrg:LegalAct ; hrg:jurisdiction <{STATE}> ; hrg:adoptionDate ?date .
           BIND ("law or reform" AS ?lane) }}
  UNION {{ ?x a hrg:LegalActVersion ; hrg:versionOf ?act ; hrg:date ?date .
           ?act hrg:jurisdiction <{STATE}> .
           # the text as adopted is the act's own adoption, already listed
           FILTER NOT EXISTS {{ ?act hrg:adoptionDate ?adopted
                                FILTER (STR(?adopted) = STR(?date)) }}
           BIND ("law or reform" AS ?lane) }}
  UNION {{ ?x a hrg:Event ; hrg:date ?date . BIND ("event" AS ?lane) }}
  OPTIONAL {{ ?x rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }}
}} ORDER BY STR(?date) ?lane ?label"""

RECOMMENDATION_GRID = f"""SELECT ?mechanism ?short ?cycle ?right ?rightLabel ?response
       (COUNT(DISTINCT ?rec) AS ?n) WHERE {{
  ?rec a hrg:Recommendation ; hrg:addressedTo <{STATE}> ;
       hrg:inDocument/hrg:documentOf ?review .
  ?review hrg:reviewingMechanism ?mechanism .
  OPTIONAL {{ ?mechanism hrg:shortName ?short }}
  OPTIONAL {{ ?review hrg:cycle ?cycle }}
  OPTIONAL {{ ?rec hrg:concernsRight ?right .
             OPTIONAL {{ ?right skos:prefLabel|rdfs:label ?rightLabel
                        FILTER (LANGMATCHES(LANG(?rightLabel), "en")) }} }}
  OPTIONAL {{ ?rec hrg:hasResponse/hrg:responseStatus ?status }}
  BIND (COALESCE(STRAFTER(STR(?status), "#"), "none") AS ?response)
}} GROUP BY ?mechanism ?short ?cycle ?right ?rightLabel ?response"""

LANES = {"treaty action": "#0b5cad", "review": "#8250df", "law or reform": "#1a7f37",
         "event": "#a40e26"}  # fmt: skip
RESPONSES = {"Supported": ("S", "#1a7f37"), "PartiallySupported": ("P", "#8a5a00"),
             "Noted": ("N", "#a40e26"), "none": ("U", "#55606b")}  # fmt: skip


PARTIAL_DATES = {"gYearMonth": "month known, not the day", "gYear": "year known only"}


def timeline_key(row: dict[str, str]) -> tuple[str, int, str, str]:
    """Date order, a partial date (``2011-02``, ``2019``) before the full dates of its month or
    year, then lane and label.

    >>> sorted(["2011-02-03", "2011-02", "2011"], key=lambda d: timeline_key({"date": d}))
    ['2011', '2011-02', '2011-02-03']
    """
    date = row["date"]
    return date, len(date), row.get("lane", ""), row.get("label", "")


async def timeline(executor: Executor, settings: Settings) -> str:
    """One line per dated thing, in date order; partial dates marked (``2011-02 ~``, with what
    is known in the title); labels wrapped, never cut."""
    rows = await select(executor, TIMELINE)
    items = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (str(row["x"]), str(row["date"]))
        if key in seen:
            continue
        seen.add(key)
        datatype = (row["date"].datatype or "").rsplit("#", 1)[-1]
        label = str(row.get("label") or row["x"])
        items.append({"x": str(row["x"]), "lane": str(row["lane"]), "date": str(row["date"]),
                      "label": label, "precision": datatype})  # fmt: skip
    items.sort(key=timeline_key)
    line_h, width, label_x, font = 14, 1100, 200, 11
    lane_x = {lane: 110 + i * 18 for i, lane in enumerate(LANES)}
    parts = [text(10, 20, "date", font_size=12, font_weight="bold")]
    for lane, x in lane_x.items():
        parts.append(f'<circle cx="{x}" cy="34" r="5" fill="{LANES[lane]}"/>')
    parts.append(text(110 + 18 * len(LANES), 38, " · ".join(
        f"{i + 1}: {lane}" for i, lane in enumerate(LANES)) +
        " · ~ a partial date (month or year only)", font_size=11))  # fmt: skip
    y, year = 60.0, ""
    for item in items:
        date, lane, label = item["date"], item["lane"], item["label"]
        if date[:4] != year:
            year = date[:4]
            parts.append(f'<line x1="0" y1="{y - 4:.0f}" x2="{width}" y2="{y - 4:.0f}" '
                         'stroke="#d0d7de"/>')  # fmt: skip
            parts.append(text(10, y + 10, year, font_size=13, font_weight="bold"))
            y += 18
        partial = PARTIAL_DATES.get(item["precision"])
        shown = f"{date} ~" if partial else date
        parts.append(
            f'<g class="date{" partial" if partial else ""}">'
            + (f"<title>{escape(date)}: {escape(partial)}</title>" if partial else "")
            + text(10, y + 10, shown, font_size=font, fill="#55606b")
            + "</g>"
        )
        parts.append(f'<circle cx="{lane_x[lane]}" cy="{y + 6:.0f}" r="5" fill="{LANES[lane]}">'
                     f"<title>{escape(lane)}</title></circle>")  # fmt: skip
        lines = wrap_width(f"[{lane}] {label}", width - label_x - 10, font)
        body = "".join(
            text(label_x, y + 10 + i * line_h, line, font_size=font) for i, line in enumerate(lines)
        )
        parts.append(
            f'<g class="node {escape(lane.replace(" ", "-"))}" data-label="{escape(label)}"'
            f' data-date="{escape(date)}">'
            f'<a href="{escape(href(item["x"], settings))}"><title>{escape(label)}</title>'
            + body
            + "</a></g>"
        )
        y += 3 + line_h * len(lines)
    return document(
        "picture-timeline", width, y + 20, "Timeline: treaty actions, reviews, reforms, events",
        "Kazakhstan's treaty actions, its reviews by monitoring mechanisms, its laws and reforms, "
        "and events, in date order, from the graph; a date marked ~ is known to the month or "
        "year only.", "".join(parts),
    )  # fmt: skip


async def recommendations(executor: Executor, settings: Settings) -> str:
    rows = await select(executor, RECOMMENDATION_GRID)
    columns: dict[str, str] = {}
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    themes: dict[str, str] = {}
    for row in rows:
        short = str(row.get("short") or str(row["mechanism"]).rsplit("/", 1)[-1].upper())
        column = f"UPR cycle {row['cycle']}" if "cycle" in row else short
        columns[column] = ("0" if "cycle" in row else "1") + column
        theme = str(row.get("right") or "")
        themes[theme] = str(row.get("rightLabel") or ("no right recorded" if not theme else
                                                     theme.rsplit("/", 1)[-1]))  # fmt: skip
        cells[(theme, column)][str(row["response"])] += int(str(row["n"]))
    ordered = sorted(columns, key=lambda c: columns[c])
    theme_order = sorted(themes, key=lambda t: (t == "", themes[t].lower()))
    label_w, col_w, row_h = 300, 92, 30
    width = label_w + col_w * len(ordered) + 20
    parts = [text(10, 40, "right (theme)", font_size=12, font_weight="bold")]
    for i, column in enumerate(ordered):
        parts.append(text(label_w + i * col_w + col_w / 2, 40, column, font_size=12,
                          font_weight="bold", text_anchor="middle"))  # fmt: skip
    legend = "S supported, P partially supported, N noted, U no response recorded"
    parts.append(text(10, 18, "Responses (count after the letter): " + legend,
                      font_size=11))  # fmt: skip
    y = 52.0
    for theme in theme_order:
        parts.append(f'<line x1="0" y1="{y:.0f}" x2="{width}" y2="{y:.0f}" stroke="#d0d7de"/>')
        name = fit(themes[theme], label_w - 20, 12)
        link = href(theme, settings) if theme else "#"
        parts.append(f'<g class="node theme" data-label="{escape(themes[theme])}">'
                     f'<a href="{escape(link)}"><title>{escape(themes[theme])}</title>'
                     + text(10, y + 19, name, font_size=12) + "</a></g>")  # fmt: skip
        for i, column in enumerate(ordered):
            counts = cells.get((theme, column))
            if not counts:
                continue
            x = label_w + i * col_w + 8
            for response, n in sorted(counts.items(), key=lambda kv: list(RESPONSES).index(kv[0])):
                mark, colour = RESPONSES.get(response, ("?", "#55606b"))
                parts.append(f'<rect x="{x}" y="{y + 7:.0f}" width="{8 + 7 * len(str(n)) + 8}" '
                             f'height="16" rx="3" fill="{colour}"/>')  # fmt: skip
                parts.append(text(x + 4, y + 19, f"{mark}{n}", font_size=11, fill="#ffffff",
                                  font_weight="bold"))  # fmt: skip
                x += 8 + 7 * len(str(n)) + 12
        y += row_h
    return document(
        "picture-recommendations", width, y + 20,
        "Recommendations to Kazakhstan by theme, mechanism and response",
        "For each right, how many recommendations each UPR cycle and each treaty body made, and "
        "how Kazakhstan responded (S supported, P partially, N noted, U not recorded).",
        "".join(parts),
    )  # fmt: skip


Drawer = Callable[[Executor, Settings], Awaitable[str]]
PICTURES: dict[str, Drawer] = {
    "mechanisms": mechanisms,
    "timeline": timeline,
    "recommendations": recommendations,
}
CAPTIONS = {
    "mechanisms": "Diagram 1. The monitoring mechanisms that review Kazakhstan — the UPR, the UN "
    "treaty bodies and regional bodies — how they interact, and Kazakhstan's institutions.",
    "timeline": "Treaty actions, reviews, laws and reforms, and events, in date order.",
    "recommendations": "Recommendations by theme (right), mechanism and UPR cycle, and the "
    "response.",
}
