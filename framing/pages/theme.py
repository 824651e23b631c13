"""The one look of every page framing writes: the report index, the methods page, the document and
comparison pages converted from notebooks, and the teaching (highlight) view.

``stylesheet`` is the whole CSS, scoped under ``.framing-hl`` so a fragment can sit inside a notebook
without restyling it. Pages framing writes itself come from jinja2 templates in ``templates/`` with
autoescaping on (``render``); they all extend ``base.html.j2``, the shell with the Content-Security-Policy
``CSP`` (no script, nothing fetched: inline styles and data: images) and the stylesheet. ``page`` wraps HTML
built elsewhere in that shell. Notebook pages get the same stylesheet, policy and header through the
nbconvert template ``NOTEBOOK_TEMPLATE``. Every colour pair meets WCAG AA (4.5:1), figures use the Okabe-Ito
palette (``PALETTE``, readable with colour-vision deficiency), and the kinds of marks differ by underline style
and symbol as well as colour.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from framing.errors import TemplateNotFoundError

PAGE_BACKGROUND, TEXT_COLOUR, MUTED_COLOUR = "#ffffff", "#1b1b1b", "#4f4f4f"
PANEL_BACKGROUND, HEADER_BACKGROUND, CODE_BACKGROUND = "#f7f7f5", "#eeeeea", "#f2f2ef"
TOOLTIP_BACKGROUND, TOOLTIP_COLOUR = "#1f1f1f", "#ffffff"
QUOTE_COLOUR, QUOTE_BORDER = "#233a6e", "#6b7a99"
LINK_COLOUR, FOCUS_COLOUR = "#0645ad", "#1a56db"
STATE_COLOURS = {"ok": "#0b5d1e", "cached": MUTED_COLOUR, "failed": "#8b0000", "missing": "#8b0000"}
TINTS = {"negative": "#fdebdc", "neutral": "#f3f3f1", "positive": "#e3eefb"}  # faint: orange, grey, blue
SANS = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif"
SERIF = "Georgia, 'DejaVu Serif', serif"  # the document's own text reads as print; everything around it is sans

NOTEBOOK_TEMPLATE = "framing_report"  # the nbconvert template (a folder under templates/) of notebook pages
BASE_TEMPLATE = "base.html.j2"        # the shell every page framing renders itself extends

# No script runs and nothing is fetched on any page framing writes: a page opened from a mail or a web server
# cannot call out, and markup that slipped into a document's text could not run even if it were not escaped.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Okabe & Ito (2008): eight colours told apart with every common colour-vision deficiency, in the order the
# figures use them (framing.plots.OKABE_ITO, a test keeps the two the same; not imported: pages that draw no
# figure need not load matplotlib)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True)
class Style:
    """How one kind of hit looks. Kinds differ in underline style and symbol, not only in colour."""
    kind: str          # "loaded", "scare_quote", "hedges", "boosters", "attribution", or "other"
    label: str
    css_class: str     # added to "hl"
    symbol: str        # shown before the marked words (CSS ::before)
    underline: str     # CSS text-decoration-style
    background: str
    colour: str        # text colour on ``background`` (WCAG AA: >= 4.5:1)
    description: str


STYLES: dict[str, Style] = {s.kind: s for s in (
    Style("loaded", "Loaded term", "hl-loaded", "!", "solid", "#f9d3da", "#5c0a1e",
          "a loaded term: a label, a metaphor or a verb that judges while it seems to describe"),
    Style("scare_quote", "Scare quote", "hl-loaded hl-scare", "\u201c", "dashed", "#efd9f5", "#4a1260",
          "words put in quotation marks by the writer, without a speaker, to keep a distance"),
    Style("evaluative", "Evaluative word", "hl-evaluative", "=", "dotted", "#fde3c8", "#5a2a00",
          "evaluative words (praise, disapproval, intensifiers, comment adverbs): they colour a text without "
          "framing it like a loaded term; shown only when asked for"),
    Style("hedges", "Hedge", "hl-hedges", "~", "wavy", "#fff0b3", "#4d3b00",
          "a word that makes a claim less certain"),
    Style("boosters", "Booster", "hl-boosters", "+", "double", "#d4f0d9", "#0f4a1f",
          "a word that makes a claim sound more certain"),
    Style("attribution", "Attribution", "hl-attribution", "\u00bb", "dotted", "#dde3f4", "#1f2d5c",
          "a verb or phrase that says who said something, and how"),
    Style("other", "Other lexicon", "hl-other", "*", "solid", "#e6e6e6", "#262626",
          "a hit of a lexicon you added"),
)}
KINDS = ("loaded", "scare_quote", "evaluative", "hedges", "boosters", "attribution")
# what the teaching view marks unless asked for more: evaluative words are reported apart, and off by default
DEFAULT_HIDDEN = ("evaluative",)


def stylesheet() -> str:
    """The CSS of every framing page, scoped under ``.framing-hl``."""
    r = ".framing-hl"
    rules = [
        # the page shell (``page``); notebook pages keep their own body
        f"body.framing-page {{ margin: 0; background-color: {PAGE_BACKGROUND}; color: {TEXT_COLOUR}; }}",
        f"{r} {{ background-color: {PAGE_BACKGROUND}; color: {TEXT_COLOUR}; font-family: {SANS}; "
        f"line-height: 1.5; padding: 1rem 1.25rem; max-width: 88rem; margin: 0 auto; box-sizing: border-box; }}",
        f"{r} h1, {r} h2, {r} h3 {{ font-family: {SANS}; line-height: 1.25; }}",
        # links are underlined: told from the text around them by more than colour (WCAG 1.4.1)
        f"{r} a {{ color: {LINK_COLOUR}; text-decoration: underline; }}",
        # the same inside notebook pages, whose JupyterLab stylesheet comes later and drops the underline
        f"body {r} a:link, body {r} a:visited {{ color: {LINK_COLOUR}; text-decoration: underline; }}",
        f"{r} code {{ background-color: {CODE_BACKGROUND}; color: {TEXT_COLOUR}; padding: 0 0.2rem; "
        f"overflow-wrap: anywhere; }}",
        f"{r} .note {{ color: {MUTED_COLOUR}; background-color: {PAGE_BACKGROUND}; font-size: 0.95em; }}",
        # tables of the index and the reports
        f"{r} table.listing {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}",
        f"{r} table.listing th, {r} table.listing td {{ border-bottom: 1px solid #c9c9c4; padding: 0.35rem 0.5rem; "
        f"text-align: left; vertical-align: top; }}",
        f"{r} table.listing th {{ background-color: {HEADER_BACKGROUND}; color: {TEXT_COLOUR}; }}",
        f"{r} td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}",
        *(f"{r} .state-{state} {{ color: {colour};{' font-weight: bold;' if state in ('failed', 'missing') else ''} }}"
          for state, colour in STATE_COLOURS.items()),
        # the header of notebook pages: back to the index
        f"{r}.report-header, {r} .report-header {{ padding-top: 0.5rem; padding-bottom: 0.5rem; font-size: 0.95rem; }}",
        # figures and tables with their take-away files (framing.views.show_figure, show_table)
        f"{r} figure.framing-figure {{ margin: 1rem 0 1.5rem; max-width: 100%; }}",
        f"{r} figure.framing-figure img {{ max-width: 100%; height: auto; display: block; }}",
        f"{r} figcaption, {r} .downloads {{ color: {MUTED_COLOUR}; background-color: {PAGE_BACKGROUND}; "
        f"font-size: 0.9rem; margin: 0.3rem 0; }}",
        f"{r} .table-wrap {{ max-width: 100%; overflow-x: auto; }}",
        f"{r} .table-wrap:focus {{ outline: 2px solid {FOCUS_COLOUR}; outline-offset: 2px; }}",
        f"{r} table.framing-table {{ border-collapse: collapse; margin: 0.5rem 0; font-size: 0.92rem; }}",
        f"{r} table.framing-table th, {r} table.framing-table td {{ border-bottom: 1px solid #c9c9c4; "
        f"padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }}",
        f"{r} table.framing-table thead th {{ background-color: {HEADER_BACKGROUND}; color: {TEXT_COLOUR}; "
        f"vertical-align: bottom; }}",
        f"{r} table.framing-table th .unit {{ font-weight: normal; color: {MUTED_COLOUR}; "
        f"background-color: {HEADER_BACKGROUND}; }}",
        f"{r} table.framing-table td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}",
        f"{r} dl.glossary dt {{ font-weight: bold; margin-top: 0.5rem; }}",
        f"{r} dl.glossary dd {{ margin-left: 1.2rem; }}",
        f"{r} .methods {{ max-width: 50rem; }}",
        # the teaching view
        f"{r} .columns {{ display: grid; gap: 2rem; align-items: start; }}",
        f"{r} .columns-1 {{ grid-template-columns: minmax(0, 1fr); max-width: 50rem; }}",
        f"{r} .columns-2 {{ grid-template-columns: repeat(2, minmax(0, 1fr)); }}",
        f"@media (max-width: 50rem) {{ {r} .columns-2 {{ grid-template-columns: minmax(0, 1fr); }} }}",
        f"{r} .panel {{ background-color: {PANEL_BACKGROUND}; color: {TEXT_COLOUR}; border: 1px solid #c9c9c4; "
        f"border-radius: 6px; padding: 0.5rem 0.9rem; margin: 0 0 1rem; font-family: {SANS}; font-size: 0.9rem; "
        f"line-height: 1.45; }}",
        f"{r} .panel table {{ border-collapse: collapse; width: 100%; }}",
        f"{r} .panel th, {r} .panel td {{ text-align: left; vertical-align: top; padding: 0.15rem 0.5rem 0.15rem 0; }}",
        f"{r} .panel caption {{ text-align: left; color: {MUTED_COLOUR}; background-color: {PANEL_BACKGROUND}; }}",
        f"{r} .panel td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}",
        f"{r} .panel .cats {{ color: {MUTED_COLOUR}; background-color: {PANEL_BACKGROUND}; }}",
        f"{r} .doc-text {{ font-family: {SERIF}; line-height: 1.75; }}",
        f"{r} .doc-text p {{ margin: 0 0 0.8em; }}",
        # sentences: a faint tint for their tone
        *(f"{r} .s-{name[:3]} {{ background-color: {colour}; color: {TEXT_COLOUR}; }}"
          for name, colour in TINTS.items()),
        f"{r} .s {{ border-radius: 3px; box-decoration-break: clone; -webkit-box-decoration-break: clone; }}",
        # quoted speech: italic, with a rule at its left, in its own colour
        f"{r} .voice-quote {{ color: {QUOTE_COLOUR}; font-style: italic; border-left: 3px solid {QUOTE_BORDER}; "
        f"padding-left: 0.3em; box-decoration-break: clone; -webkit-box-decoration-break: clone; }}",
        # a few quoted words inside a statement given to someone: italic, in the quote colour, no rule
        f"{r} .voice-partial {{ color: {QUOTE_COLOUR}; font-style: italic; }}",
        # reported speech without quotation marks: the writer's words for someone's claim, a dotted rule under
        f"{r} .voice-indirect {{ border-bottom: 2px dotted {QUOTE_BORDER}; }}",
        f"{r} .voice-quote[title], {r} .voice-partial[title], {r} .voice-indirect[title] {{ cursor: help; }}",
        # marks
        f"{r} mark.hl {{ position: relative; padding: 0 0.1em; border-radius: 2px; font-style: normal; "
        f"text-decoration-line: underline; text-decoration-thickness: 2px; text-underline-offset: 0.22em; "
        f"text-decoration-skip-ink: none; cursor: help; }}",
        f"{r} mark.hl::before {{ font-family: {SANS}; font-size: 0.75em; "
        f"font-weight: bold; vertical-align: super; margin-right: 0.1em; text-decoration: none; }}",
        f"{r} mark.hl-cont::before {{ content: none; }}",
        f"{r} mark.hl:focus {{ outline: 2px solid {FOCUS_COLOUR}; outline-offset: 1px; }}",
    ]
    for s in STYLES.values():
        selector = f"{r} mark." + ".".join(s.css_class.split())
        rules.append(f"{selector} {{ background-color: {s.background}; color: {s.colour}; "
                     f"text-decoration-style: {s.underline}; text-decoration-color: {s.colour}; }}")
        rules.append(f"{selector}::before {{ content: \"{s.symbol}\"; }}")
    rules += [
        # the tooltip: hidden until its mark is hovered or focused
        f"{r} .tip {{ display: none; position: absolute; left: 0; top: calc(100% + 0.35em); z-index: 10; "
        f"width: max-content; max-width: 22rem; background-color: {TOOLTIP_BACKGROUND}; color: {TOOLTIP_COLOUR}; "
        f"font: normal 0.85rem/1.4 {SANS}; padding: 0.4rem 0.6rem; "
        f"border-radius: 4px; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.3); white-space: normal; text-align: left; }}",
        f"{r} mark.hl mark.hl > .tip {{ top: auto; bottom: calc(100% + 0.35em); }}",
        f"{r} mark.hl:hover > .tip, {r} mark.hl:focus > .tip {{ display: block; }}",
        f"{r} .tip b {{ font-weight: 700; }}",
        f"{r} .swatch {{ white-space: nowrap; }}",
    ]
    return "\n".join(rules)


def environment():
    """The jinja2 environment of framing's own pages: its templates folder, autoescaping on for every
    template, undefined variables an error (a misspelt name must not print as nothing)."""
    from framing.views import page_templates

    template_dir()  # a clear error when the templates are not on the file system
    return page_templates()


def render(name: str, **context) -> str:
    """Render one of framing's page templates (``templates/NAME``) with the policy and the stylesheet. Values
    are escaped unless they are ``markupsafe.Markup``; pass ``index_link`` for the link back to the index."""
    from markupsafe import Markup

    context.setdefault("index_link", "")
    return environment().get_template(name).render(csp=CSP, stylesheet=Markup(stylesheet()), **context)


def page(title: str, body: str, *, index_link: str = "") -> str:
    """A whole self-contained HTML page around ``body`` (HTML its caller has escaped); ``title`` is escaped here."""
    from markupsafe import Markup

    return render("page.html.j2", title=title, body=Markup(body), index_link=index_link)


def state(name: str, error: str = ""):
    """A report's state (ok, cached, failed, missing) in its colour, with its error when there is one (as
    ``markupsafe.Markup``: a template shows it as it is)."""
    from markupsafe import Markup

    text = html.escape(name) + (": " + html.escape(error) if error else "")
    return Markup(f'<span class="state-{html.escape(name, quote=True)}">{text}</span>')


def template_dir() -> Path:
    """The folder of nbconvert templates framing ships (package data: found in a clone and after pip install)."""
    folder = resources.files("framing.pages") / "templates"
    if not (isinstance(folder, Path) and (folder / NOTEBOOK_TEMPLATE).is_dir() and (folder / BASE_TEMPLATE).is_file()):
        raise TemplateNotFoundError(f"framing's page templates are not on the file system ({folder}); reinstall framing")
    return folder


def notebook_resources(*, index: str = "index.html", methods: str = "methods.html") -> dict:
    """What the notebook page template reads: the stylesheet, the policy, and where the header's links go
    (the index, and the methods appendix; "" for none)."""
    return {"framing_stylesheet": stylesheet(), "framing_index": index, "framing_csp": CSP, "framing_methods": methods}
