"""A small SVG writer: every text and attribute escaped, every node a link with a title, black
on white with patterns-free colours that still read in greyscale when printed."""

from __future__ import annotations

from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def attrs(**values: object) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"'
        for name, value in values.items()
        if value is not None
    )


def text(x: float, y: float, content: str, **extra: object) -> str:
    return f"<text{attrs(x=round(x, 1), y=round(y, 1), **extra)}>{escape(content)}</text>"


def wrap(content: str, width: int) -> list[str]:
    """Break ``content`` into lines of at most ``width`` characters, at spaces."""
    lines: list[str] = []
    for word in content.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def node(
    x: float, y: float, w: float, h: float, label: str, link: str, title: str, kind: str,
    fill: str = "#ffffff", stroke: str = "#1b1f24",
) -> str:  # fmt: skip
    """A labelled box that links to ``link``; ``data-label`` lets tests find it."""
    lines = wrap(label, max(6, int(w / 6.5)))[: max(1, int((h - 6) / 14))]
    top = y + h / 2 - (len(lines) - 1) * 7 + 4
    body = "".join(
        text(x + w / 2, top + i * 14, line, text_anchor="middle", font_size=12)
        for i, line in enumerate(lines)
    )
    return (
        f'<g class="node {escape(kind)}"{attrs(data_label=label)}>'
        f"<a{attrs(href=link)}><title>{escape(title)}</title>"
        f"<rect{attrs(x=x, y=y, width=w, height=h, rx=6, fill=fill, stroke=stroke)}/>"
        f"{body}</a></g>"
    )


def document(
    ident: str, width: float, height: float, title: str, description: str, body: str
) -> str:
    """A standalone SVG document; ``ident`` keeps ids unique when several share one page."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{attrs(viewBox=f"0 0 {width} {height}")}'
        f' role="img"{attrs(id=ident, aria_labelledby=f"{ident}-title {ident}-desc")}'
        f"{attrs(width=width, height=height, font_family=FONT)}>"
        f"<title{attrs(id=ident + '-title')}>{escape(title)}</title>"
        f"<desc{attrs(id=ident + '-desc')}>{escape(description)}</desc>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>'
    )
