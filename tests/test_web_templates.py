"""Every page template compiles (a syntax error would otherwise surface as a 500 at run time)."""

from __future__ import annotations

from hrgraph.http.pages import templates


def test_every_template_compiles() -> None:
    env = templates()
    names = env.list_templates()
    assert "resource.html" in names
    assert len(names) >= 8
    for name in names:
        env.get_template(name)


def test_autoescape_is_on_for_every_template() -> None:
    env = templates()
    rendered = env.from_string("{{ value }}").render(value="<script>x</script>")
    assert rendered == "&lt;script&gt;x&lt;/script&gt;"
