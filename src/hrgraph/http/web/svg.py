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


_NARROW = set("iljtfrI.,;:'!|()[] ")
_WIDE = set("mwMW@%")


def text_width(content: str, font_size: float) -> float:
    """The width ``content`` takes in the pictures' sans-serif font, measured per character from
    the font's proportions (narrow, wide, capitals, other) and never under it: a label that
    fits by this measure fits on screen.

    >>> text_width("ill", 10) < text_width("MMM", 10)
    True
    """
    em = 0.0
    for char in content:
        if char in _NARROW:
            em += 0.32
        elif char in _WIDE:
            em += 0.9
        elif char.isupper() or char.isdigit():
            em += 0.66
        elif ord(char) > 0x2000:
            em += 1.0
        else:
            em += 0.56
    return em * font_size * 1.12  # a margin for fonts wider than the proportions above


def fit(content: str, width: float, font_size: float) -> str:
    """``content``, cut with an ellipsis if it is wider than ``width``."""
    if text_width(content, font_size) <= width:
        return content
    while content and text_width(content + "…", font_size) > width:
        content = content[:-1]
    return content.rstrip() + "…"


def wrap_width(content: str, width: float, font_size: float, max_lines: int = 0) -> list[str]:
    """``content`` broken at spaces into lines no wider than ``width`` (a word wider than a line
    is cut with an ellipsis); with ``max_lines``, the last line kept ends with an ellipsis when
    text is left over. No label is ever cut without one.

    >>> wrap_width("Committee against Torture", 110, 12)
    ['Committee', 'against Torture']
    >>> wrap_width("one two three four five six", 60, 12, max_lines=2)
    ['one two', 'three f…']
    """
    lines: list[str] = []
    for word in content.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, font_size) <= width:
            lines[-1] = candidate
        else:
            lines.append(fit(word, width, font_size))
    lines = lines or [""]
    if max_lines and len(lines) > max_lines:
        last = lines[max_lines - 1] + "…"
        lines = [*lines[: max_lines - 1], fit(last, width, font_size)]
        if not lines[-1].endswith("…"):
            lines[-1] = fit(lines[-1][:-1] + "…", width, font_size)
    return lines


def node(
    x: float, y: float, w: float, h: float, label: str, link: str, title: str, kind: str,
    fill: str = "#ffffff", stroke: str = "#1b1f24",
) -> str:  # fmt: skip
    """A labelled box that links to ``link``; ``data-label`` lets tests find it. The label is
    wrapped to the box's width and, if it still does not fit, ends with an ellipsis (the whole
    label is the box's title)."""
    font_size, line_h = 12, 14
    lines = wrap_width(label, w - 12, font_size, max(1, int((h - 6) / line_h)))
    top = y + h / 2 - (len(lines) - 1) * line_h / 2 + 4
    body = "".join(
        text(x + w / 2, top + i * line_h, line, text_anchor="middle", font_size=font_size)
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
