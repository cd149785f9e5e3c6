"""Diagram 1 of the pictures (``http.web.pictures``): the monitoring mechanisms that review
Kazakhstan, in columns by kind, how they interact, and Kazakhstan's institutions below them, drawn
as SVG at request time from SPARQL answers."""

from __future__ import annotations

from collections import defaultdict

from hrgraph.http.pages import href
from hrgraph.http.web.data import select
from hrgraph.http.web.svg import document, fit, node, text, wrap_width
from hrgraph.query.execution import Executor
from hrgraph.rdf.vocab import ID
from hrgraph.settings import Settings

STATE = ID + "state/kaz"
"""The State the pictures are about."""
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


def _family_order(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """Items in their query order, each followed by those that are part of it (so a "part of"
    line runs only past its own family)."""
    present = {item["m"] for item in items}
    roots = [item for item in items if item.get("parent") not in present]
    children: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in items:
        if item.get("parent") in present:
            children[item["parent"]].append(item)
    ordered: list[dict[str, str]] = []

    def add(item: dict[str, str]) -> None:
        ordered.append(item)
        for child in children.get(item["m"], []):
            add(child)

    for root in roots:
        add(root)
    return ordered


def review_caption(reviews: int, recs: int) -> str:
    """What a mechanism's box says of its reviews of the State: recommendations counted, or "not
    recorded" when the graph records none (which is not the same as none made).

    >>> review_caption(3, 12), review_caption(1, 0)
    ('3 reviews, 12 recommendations', '1 review, recommendations not recorded')
    """
    said = f"{reviews} review{'s' if reviews != 1 else ''}, "
    if recs:
        return said + f"{recs} recommendation{'s' if recs != 1 else ''}"
    return said + "recommendations not recorded"


async def mechanisms(executor: Executor, settings: Settings) -> str:
    """The mechanisms in columns by kind, Kazakhstan below them and its institutions below it.
    Edges never cross a box: each reviewing mechanism's arrow leaves the box sideways into the
    gap left of its column, runs down that gap to a bus under every column and along it to the
    State; "part of" lines run down the indentation left of the parts."""
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
    width, box_w, box_h, gap, indent = 1240, 200, 58, 12, 16
    pitch = box_h + 52  # room for three caption lines under each box
    columns = ["UN Charter-based bodies", "UN treaty bodies", "Regional bodies",
               "NHRI accreditation"]  # fmt: skip
    col_x = {"UN Charter-based bodies": 20, "UN treaty bodies": 290,
             "Regional bodies": 760, "NHRI accreditation": 1000}  # fmt: skip
    col_cols = {"UN treaty bodies": 2}
    parts: list[str] = []
    edges: list[str] = []
    boxes: dict[str, tuple[float, float, float, int]] = {}  # x, y, width, sub-column
    channels: list[float] = []
    reviewed: list[tuple[float, float, float]] = []  # box left, box middle y, channel x
    bottom = 44.0
    for column in columns:
        x0, per_row = col_x[column], col_cols.get(column, 1)
        parts.append(text(x0, 30, column, font_size=15, font_weight="bold"))
        items = _family_order(bands.get(column, []))
        per_column = -(-len(items) // per_row) if items else 0
        for i, item in enumerate(items):
            sub, row_i = (i // per_column, i % per_column) if per_column else (0, 0)
            left = x0 + sub * (box_w + gap)
            part = item.get("parent") in boxes and boxes[item["parent"]][3] == sub
            x = left + (indent if item.get("parent") else 0)
            y = 44.0 + row_i * pitch
            w = box_w - (indent if item.get("parent") else 0)
            label = item.get("short") or item.get("label") or item["m"]
            if item.get("short") and item.get("label") and column != "UN treaty bodies":
                label = item["label"]
            reviews, recs = int(item.get("reviews", "0")), int(item.get("recs", "0"))
            recorded = (
                f"{recs} recommendations recorded" if recs else "recommendations not recorded"
            )
            title = f"{item.get('label', label)}: " + (
                f"{reviews} reviews of Kazakhstan, {recorded}"
                if reviews
                else "no review of Kazakhstan recorded"
            )
            parts.append(node(x, y, w, box_h, label, href(item["m"], settings), title, "mechanism"))
            captions = []
            if reviews:
                captions.append((review_caption(reviews, recs), "#55606b"))
            if item["m"] in shared:
                n = shared[item["m"]]
                captions.append((f"{n} right{'s' if n != 1 else ''} also raised in the UPR",
                                 "#8250df"))  # fmt: skip
            lines = [(line, colour) for caption, colour in captions
                     for line in wrap_width(caption, w - 8, 10)][:3]  # fmt: skip
            for i_line, (line, colour) in enumerate(lines):
                parts.append(text(x + 8, y + box_h + 13 + i_line * 13, line, font_size=10,
                                  fill=colour))  # fmt: skip
            boxes[item["m"]] = (x, y, w, sub)
            channel = left - gap / 2
            if reviews:
                reviewed.append((x, y + box_h / 2, channel))
                channels.append(channel)
            if part:
                px, py, _, _ = boxes[item["parent"]]
                line_x = px + 3
                edges.append(
                    f'<path d="M{line_x:.0f},{py + box_h:.0f} V{y + box_h / 2:.0f} H{x:.0f}" '
                    'fill="none" stroke="#1b1f24" stroke-dasharray="2 2"/>'
                )
            bottom = max(bottom, y + pitch)
    bus_y = bottom + 10
    state_y = bus_y + 60
    state_x = width / 2 - 130
    for box_left, middle, channel in reviewed:
        edges.append(
            f'<path d="M{box_left:.0f},{middle:.0f} H{channel:.0f} V{bus_y:.0f}" fill="none" '
            'stroke="#8c959f" stroke-width="1"/>'
        )
    if channels:
        low, high = min([*channels, width / 2]), max([*channels, width / 2])
        edges.append(
            f'<path d="M{low:.0f},{bus_y:.0f} H{high:.0f} M{width / 2:.0f},{bus_y:.0f} '
            f'V{state_y - 2:.0f}" fill="none" stroke="#8c959f" stroke-width="1" '
            'marker-end="url(#arrow)"/>'
        )
    parts.insert(0, "".join(edges))
    parts.append(node(state_x, state_y, 260, 50, "Republic of Kazakhstan", href(STATE, settings),
                      "The State under review", "state", fill="#f6f8fa"))  # fmt: skip
    inst_y = state_y + 120
    parts.append(text(20, inst_y - 14, "Kazakhstan's institutions", font_size=15,
                      font_weight="bold"))  # fmt: skip
    per_row, inst_w, inst_pitch = 5, 236, 244
    if institutions:
        shown = min(per_row, len(institutions))
        bracket_y = inst_y - 34
        parts.insert(0, f'<path d="M{width / 2:.0f},{state_y + 50:.0f} V{bracket_y:.0f} '
                        f'M20,{bracket_y:.0f} H{20 + (shown - 1) * inst_pitch + inst_w:.0f}" '
                        'fill="none" stroke="#d0d7de"/>')  # fmt: skip
    for i, row in enumerate(institutions):
        x = 20 + (i % per_row) * inst_pitch
        y = inst_y + (i // per_row) * 84
        label = str(row.get("label") or row["i"])
        status = str(row.get("accreditation") or "")
        title = label + (f": GANHRI {status} status ({row['accredited']})" if status else "")
        parts.append(
            node(x, y, inst_w, 58, label, href(str(row["i"]), settings), title, "institution")
        )
        if status:
            parts.append(text(x + 4, y + 70, fit(f"GANHRI {status} ({row['accredited']})",
                                                 inst_w - 8, 10),
                              font_size=10, fill="#8a5a00"))  # fmt: skip
    height = inst_y + ((len(institutions) + per_row - 1) // per_row) * 84 + 60
    legend_y = height - 24
    parts.append(
        text(
            20,
            legend_y,
            "Grey arrows: reviews of Kazakhstan. Purple: rights a treaty body raised that the UPR "
            "also raised. Dotted: part of. Brown: GANHRI accreditation status.",
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
