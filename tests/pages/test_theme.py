"""The one look of every page (framing/pages/theme.py): contrast, kinds told apart by more than colour, the
page shell, and the nbconvert template of notebook pages."""

import html
import re


from framing.pages import theme


def _luminance(colour):
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, two):
    a, b = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (a + 0.05) / (b + 0.05)



def test_every_colour_pair_in_the_css_meets_wcag_aa():
    page = theme.page("t", "<p>x</p>")
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert css.strip() == theme.stylesheet().strip()
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    pairs, surfaces, text_only = [], [], []
    for selector, body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        background = re.search(r"background-color:\s*(#[0-9a-fA-F]{3,6})", body)
        if colour and background:
            pairs.append((selector.strip(), colour.group(1), background.group(1)))
            if re.search(r"\.s-\w+$|^\.framing-hl$|\.panel$|^body\.framing-page$|table\.listing th$", selector.strip()):
                surfaces.append(background.group(1))
        elif colour:
            text_only.append((selector.strip(), colour.group(1)))
        else:
            assert not background, f"{selector} sets a background without a text colour"
    assert len(pairs) >= 14 and len(surfaces) >= 7
    # text that sits on whatever surface it is in (quoted speech, links, states) is checked against every surface
    assert {".framing-hl a", ".framing-hl .state-failed", ".framing-hl .voice-quote"} <= {s for s, _ in text_only}
    pairs += [(selector, colour, surface) for selector, colour in text_only for surface in surfaces]
    low = [(s, c, b, round(contrast(c, b), 2)) for s, c, b in pairs if contrast(c, b) < 4.5]
    assert not low, low
    # and told apart by more than colour: every kind its own symbol, and the kinds marked by default (CSS has
    # five underline styles) each its own underline too; evaluative words, off by default, share one
    kinds = [s for s in theme.STYLES.values() if s.kind != "other"]
    assert len({s.symbol for s in kinds}) == len(kinds) == 6
    shown = [s for s in kinds if s.kind not in theme.DEFAULT_HIDDEN]
    assert len({s.underline for s in shown}) == len(shown) == 5
    for style in theme.STYLES.values():
        assert f"text-decoration-style: {style.underline}" in css and f'content: "{style.symbol}"' in css


def test_page_shell_is_self_contained_and_escapes_its_title():
    page = theme.page('<script>alert(1)</script> & "more"', "<p>body</p>")
    assert page.startswith("<!doctype html>") and page.count("<script") == 0
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;more&#34;</title>" in page
    assert '<body class="framing-page"><div class="framing-hl"><main><p>body</p></main></div></body></html>' in page
    assert f'<meta http-equiv="Content-Security-Policy" content="{html.escape(theme.CSP, quote=True)}">' \
        .replace("&#x27;", "&#39;") in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page) and "@import" not in page and "url(" not in page


def test_state_is_escaped_and_coloured():
    assert theme.state("failed", "ValueError: <b>x</b>") == \
        '<span class="state-failed">failed: ValueError: &lt;b&gt;x&lt;/b&gt;</span>'


def test_notebook_template_ships_with_the_package():
    folder = theme.template_dir() / theme.NOTEBOOK_TEMPLATE
    assert (folder / "conf.json").is_file() and (folder / "index.html.j2").is_file()
    template = (folder / "index.html.j2").read_text(encoding="utf-8")
    assert "resources.framing_stylesheet" in template and "resources.framing_index | e" in template
    assert set(theme.notebook_resources()) == {"framing_stylesheet", "framing_index", "framing_csp",
                                                 "framing_methods"}
    assert "resources.framing_csp | e" in template


def test_base_template_carries_the_policy_and_documents_its_blocks():
    base = (theme.template_dir() / theme.BASE_TEMPLATE).read_text(encoding="utf-8")
    for block in ("title", "head", "header", "content", "footer"):
        assert f"{{% block {block} %}}" in base
    assert "Content-Security-Policy" in base and "<script" not in base
    assert theme.CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def test_templates_escape_what_they_are_given():
    page = theme.render("page.html.j2", title="<b>t</b>", body="<i>not markup</i>", index_link='x" onclick="y')
    assert "&lt;i&gt;not markup&lt;/i&gt;" in page and "&lt;b&gt;t&lt;/b&gt;" in page
    assert 'href="x&#34; onclick=&#34;y"' in page


def test_figures_and_pages_share_one_colour_blind_safe_palette():
    from framing import plots

    assert tuple(plots.OKABE_ITO) == theme.PALETTE and len(set(theme.PALETTE)) == 8
