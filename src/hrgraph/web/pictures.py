"""Pictures of the graph, drawn as SVG at request time from SPARQL answers (never by hand): the
monitoring mechanisms around Kazakhstan, a timeline, and recommendations across UPR cycles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from html import escape

from hrgraph.execution import Executor
from hrgraph.settings import Settings
from hrgraph.vocab import ID
from hrgraph.web.data import href, select
from hrgraph.web.svg import document, node, text, wrap

STATE = ID + "state/kaz"
MECHANISM_TYPES = {
    "CharterBody": "UN Charter-based bodies",
    "UniversalPeriodicReview": "UN Charter-based bodies",
    "SpecialProcedure": "UN Charter-based bodies",
    "TreatyBody": "UN treaty bodies",
    "RegionalMechanism": "Regional bodies",
    "AccreditationBody": "NHRI accreditation",
}

MECHANISMS = f"""SELECT ?m ?type ?label ?short ?parent (COUNT(DISTINCT ?review) AS ?reviews)
       (COUNT(DISTINCT ?rec) AS ?recs) WHERE {{
  ?m a hrg:MonitoringMechanism ; a ?type .
  FILTER (?type IN ({", ".join("hrg:" + t for t in MECHANISM_TYPES)}))
  OPTIONAL {{ ?m rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }}
  OPTIONAL {{ ?m hrg:shortName ?short }}
  OPTIONAL {{ ?m hrg:partOfMechanism ?parent }}
  OPTIONAL {{ ?review hrg:reviewingMechanism ?m ; hrg:reviewedState <{STATE}> .
             OPTIONAL {{ ?rec hrg:inDocument/hrg:documentOf ?review ;
                             hrg:addressedTo <{STATE}> }} }}
}} GROUP BY ?m ?type ?label ?short ?parent ORDER BY ?type ?short ?label"""

INSTITUTIONS = f"""SELECT ?i ?label (SAMPLE(?status) AS ?accreditation) (MAX(?d) AS ?accredited)
WHERE {{
  ?i hrg:stateOf <{STATE}> .
  OPTIONAL {{ ?i rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }}
  OPTIONAL {{ ?decision hrg:accreditedInstitution ?i ; hrg:accreditationStatus ?s ;
                        hrg:date ?d . BIND (STRAFTER(STR(?s), "#Status") AS ?status) }}
}} GROUP BY ?i ?label ORDER BY ?label"""

SHARED_RIGHTS = f"""SELECT ?m (COUNT(DISTINCT ?right) AS ?shared) WHERE {{
  ?upr a hrg:UniversalPeriodicReview .
  ?a hrg:addressedTo <{STATE}> ; hrg:concernsRight ?right ;
     hrg:inDocument/hrg:documentOf/hrg:reviewingMechanism ?upr .
  ?b hrg:addressedTo <{STATE}> ; hrg:concernsRight ?right ;
     hrg:inDocument/hrg:documentOf/hrg:reviewingMechanism ?m .
  FILTER (?m != ?upr)
}} GROUP BY ?m"""

TIMELINE = f"""SELECT DISTINCT ?x ?lane ?date ?label WHERE {{
  {{ ?x a hrg:TreatyAction ; hrg:actingState <{STATE}> ; hrg:date ?date .
     BIND ("treaty action" AS ?lane) }}
  UNION {{ ?x a hrg:Review ; hrg:reviewedState <{STATE}> ; hrg:date ?date .
           BIND ("review" AS ?lane) }}
  UNION {{ ?x a hrg:LegalAct ; hrg:jurisdiction <{STATE}> ; hrg:adoptionDate ?date .
           BIND ("law or reform" AS ?lane) }}
  UNION {{ ?x a hrg:LegalActVersion ; hrg:versionOf/hrg:jurisdiction <{STATE}> ; hrg:date ?date .
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


async def mechanisms(executor: Executor, settings: Settings) -> str:
    rows = await select(executor, MECHANISMS)
    institutions = await select(executor, INSTITUTIONS)
    shared = {str(r["m"]): int(str(r["shared"])) for r in await select(executor, SHARED_RIGHTS)}
    bands: dict[str, list[dict[str, str]]] = defaultdict(list)
    seen: set[str] = set()
    for row in rows:
        iri = str(row["m"])
        if iri in seen:
            continue
        seen.add(iri)
        kind = str(row["type"]).rsplit("#", 1)[-1]
        item = {k: str(v) for k, v in row.items()}
        item["kind"] = kind
        bands[MECHANISM_TYPES[kind]].append(item)
    width, box_w, box_h, gap = 1240, 200, 58, 12
    columns = ["UN Charter-based bodies", "UN treaty bodies", "Regional bodies",
               "NHRI accreditation"]  # fmt: skip
    col_x = {"UN Charter-based bodies": 20, "UN treaty bodies": 290,
             "Regional bodies": 760, "NHRI accreditation": 1000}  # fmt: skip
    col_cols = {"UN treaty bodies": 2}
    parts: list[str] = []
    positions: dict[str, tuple[float, float]] = {}
    bottom = 0.0
    for column in columns:
        x0, per_row = col_x[column], col_cols.get(column, 1)
        parts.append(text(x0, 30, column, font_size=15, font_weight="bold"))
        for i, item in enumerate(bands.get(column, [])):
            x = x0 + (i % per_row) * (box_w + gap) + (16 if item.get("parent") else 0)
            y = 44.0 + (i // per_row) * (box_h + gap + 14)
            label = item.get("short") or item.get("label") or item["m"]
            if item.get("short") and item.get("label") and column != "UN treaty bodies":
                label = item["label"]
            reviews = int(item.get("reviews", "0"))
            title = f"{item.get('label', label)}: {reviews} reviews of Kazakhstan, " \
                    f"{item.get('recs', '0')} recommendations recorded"  # fmt: skip
            w = box_w - (16 if item.get("parent") else 0)
            parts.append(node(x, y, w, box_h, label, href(item["m"], settings), title, "mechanism"))
            if reviews:
                parts.append(text(x + 4, y + box_h + 12,
                                  f"{reviews} review(s), {item.get('recs', '0')} rec.",
                                  font_size=10, fill="#55606b"))  # fmt: skip
            positions[item["m"]] = (x + w / 2, y + box_h)
            bottom = max(bottom, y + box_h + 16)
    state_y = bottom + 90
    state_x = width / 2 - 130
    edges: list[str] = []
    for item_iri, (cx, cy) in positions.items():
        item = next(r for band in bands.values() for r in band if r["m"] == item_iri)
        if int(item.get("reviews", "0")):
            edges.append(
                f'<line x1="{cx:.0f}" y1="{cy + 14:.0f}" x2="{width / 2:.0f}" y2="{state_y:.0f}"'
                ' stroke="#8c959f" stroke-width="1" marker-end="url(#arrow)"/>'
            )
        if item.get("parent") in positions:
            px, py = positions[item["parent"]]
            edges.append(f'<line x1="{px - 80:.0f}" y1="{py:.0f}" x2="{cx - 80:.0f}" '
                         f'y2="{cy - box_h / 2:.0f}" stroke="#1b1f24" '
                         'stroke-dasharray="2 2"/>')  # fmt: skip
    upr = next((r["m"] for band in bands.values() for r in band
                if r["kind"] == "UniversalPeriodicReview"), None)  # fmt: skip
    if upr in positions:
        ux, uy = positions[str(upr)]
        for other, count in sorted(shared.items()):
            if other in positions:
                ox_, oy = positions[other]
                edges.append(
                    f'<path d="M{ux + 90:.0f},{uy - 22:.0f} C{(ux + ox_) / 2:.0f},{uy - 60:.0f} '
                    f'{ox_ - 90:.0f},{oy - 40:.0f} {ox_ - 90:.0f},{oy - 22:.0f}" fill="none" '
                    'stroke="#8250df" stroke-dasharray="5 3" stroke-width="1.2">'
                    f"<title>UPR and {escape(other.rsplit('/', 1)[-1].upper())}: "
                    f"{count} right(s) raised by both</title></path>"
                )
    parts.insert(0, "".join(edges))
    parts.append(node(state_x, state_y, 260, 50, "Republic of Kazakhstan", href(STATE, settings),
                      "The State under review", "state", fill="#f6f8fa"))  # fmt: skip
    inst_y = state_y + 110
    parts.append(text(20, inst_y - 14, "Kazakhstan's institutions", font_size=15,
                      font_weight="bold"))  # fmt: skip
    sca = next((r["m"] for band in bands.values() for r in band
                if r["kind"] == "AccreditationBody"), None)  # fmt: skip
    per_row = 5
    for i, row in enumerate(institutions):
        x = 20 + (i % per_row) * (236 + 8)
        y = inst_y + (i // per_row) * 78
        label = str(row.get("label") or row["i"])
        status = str(row.get("accreditation") or "")
        title = label + (f": GANHRI {status} status ({row['accredited']})" if status else "")
        parts.append(
            node(x, y, 236, 58, label, href(str(row["i"]), settings), title, "institution")
        )
        parts.insert(0, f'<line x1="{width / 2:.0f}" y1="{state_y + 50:.0f}" '
                        f'x2="{x + 118:.0f}" y2="{y:.0f}" stroke="#d0d7de"/>')  # fmt: skip
        if status and sca in positions:
            sx, sy = positions[str(sca)]
            parts.insert(0, f'<line x1="{sx:.0f}" y1="{sy:.0f}" x2="{x + 200:.0f}" y2="{y:.0f}" '
                            'stroke="#8a5a00" stroke-width="1.5"/>')  # fmt: skip
            parts.append(text(x + 4, y + 70, f"GANHRI {status} ({row['accredited']})",
                              font_size=10, fill="#8a5a00"))  # fmt: skip
    height = inst_y + ((len(institutions) + per_row - 1) // per_row) * 78 + 60
    legend_y = height - 24
    parts.append(
        text(
            20,
            legend_y,
            "Grey arrows: reviews of Kazakhstan. Dashed purple: the UPR and a "
            "treaty body raised the same rights. Dotted: part of. Brown: accreditation.",
            font_size=11,
            fill="#55606b",
        )
    )
    defs = ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
            'markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/>'
            "</marker></defs>")  # fmt: skip
    return document(
        "picture-mechanisms", width, height,
        "Monitoring mechanisms and Kazakhstan's institutions",
        "The UPR, the UN treaty bodies and regional bodies that review Kazakhstan, how they "
        "interact, and Kazakhstan's institutions, drawn from the graph.",
        defs + "".join(parts),
    )  # fmt: skip


async def timeline(executor: Executor, settings: Settings) -> str:
    rows = await select(executor, TIMELINE)
    row_h, width = 17, 1100
    lane_x = {lane: 110 + i * 18 for i, lane in enumerate(LANES)}
    parts = [text(10, 20, "date", font_size=12, font_weight="bold")]
    for lane, x in lane_x.items():
        parts.append(f'<circle cx="{x}" cy="34" r="5" fill="{LANES[lane]}"/>')
    parts.append(text(110 + 18 * len(LANES), 38, " · ".join(
        f"{i + 1}: {lane}" for i, lane in enumerate(LANES)), font_size=11))  # fmt: skip
    y, year = 60.0, ""
    for row in rows:
        date = str(row["date"])
        lane = str(row["lane"])
        if date[:4] != year:
            year = date[:4]
            parts.append(f'<line x1="0" y1="{y - 4:.0f}" x2="{width}" y2="{y - 4:.0f}" '
                         'stroke="#d0d7de"/>')  # fmt: skip
            parts.append(text(10, y + 10, year, font_size=13, font_weight="bold"))
            y += 18
        label = str(row.get("label") or row["x"])
        parts.append(text(10, y + 10, date, font_size=11, fill="#55606b"))
        parts.append(f'<circle cx="{lane_x[lane]}" cy="{y + 6:.0f}" r="5" fill="{LANES[lane]}">'
                     f"<title>{escape(lane)}</title></circle>")  # fmt: skip
        short = label if len(label) <= 130 else label[:127] + "…"
        parts.append(
            f'<g class="node {escape(lane.replace(" ", "-"))}" data-label="{escape(label)}">'
            f'<a href="{escape(href(str(row["x"]), settings))}"><title>{escape(label)}</title>'
            + text(200, y + 10, f"[{lane}] {short}", font_size=11)
            + "</a></g>"
        )
        y += row_h
    return document(
        "picture-timeline", width, y + 20, "Timeline: treaty actions, reviews, reforms, events",
        "Kazakhstan's treaty actions, its reviews by monitoring mechanisms, its laws and reforms, "
        "and events, in date order, from the graph.", "".join(parts),
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
        name = wrap(themes[theme], 44)[0] + ("…" if len(themes[theme]) > 44 else "")
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
