"""The glossary (framing/glossary.tsv) and the display helpers of framing.views: every column a page shows has a
human label, unit and meaning; numbers are rounded for reading; tables and figures carry their take-away files."""

import base64
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import framing
from framing import compare, tables, views
from framing.model import Document

TARGETS = "police: police|officers; NATO"


@pytest.fixture(scope="module")
def small():
    documents = [Document(doc_id="a", text="Police said the gang was almost certainly behind the raid. Officers "
                                          "\"clearly\" won, critics claimed.", source="a.txt", format="txt",
                          outlet="Wire", title="A"),
                 Document(doc_id="b", text="Ruthless thugs may flood the streets, NATO officials told reporters.",
                          source="b.txt", format="txt", outlet="Daily", title="B")]
    return framing.analyze(documents, targets=TARGETS)


def test_every_column_of_every_table_has_a_glossary_entry(small):
    """Every column of tables.SCHEMAS (and every measure of documents.csv, whatever its lexicon, category or
    target) has a label, a unit where it has one, and a one-line meaning."""
    columns = [c for schema in tables.SCHEMAS.values() for c in schema if c not in ("<measures>", "<coders>")]
    columns += list(small.documents.columns)
    columns += [m for m in compare.profiles(small, "outlet", n_boot=20).measures]
    missing = sorted({c for c in columns if not views.known(c)})
    assert not missing, missing
    for column in set(columns):
        found = views.term(column)
        assert found.label and found.meaning and "{" not in found.label + found.meaning, found
        assert found.format in {"text", "name", "lexicon", "id", "count", "rate", "share", "score", "ratio", "z",
                                "p", "offset"}, found


def test_families_of_measures_are_named_from_their_parts():
    assert views.label("rate_loaded_author") == "Loaded terms, author's voice (per 1,000 words)"
    assert views.label("rate_loaded_scare_quote_author") == "Loaded terms: scare quote, author's voice (per 1,000 words)"
    assert views.label("rate_hedges_epistemic_modal", unit=False) == "Hedges: epistemic modal"
    assert views.label("target_police_sentiment") == "Tone toward police (-1 to +1)"
    assert views.label("share_attributed") == "Attributed sentences (% of sentences)"
    assert not views.known("no_such_column") and views.label("no_such_column") == "no such column"


@pytest.mark.parametrize("value, kind, text", [
    (3.424346e-04, "share", "0.0%"), (0.1234, "share", "12.3%"), (12.345, "rate", "12.3"), (0.0, "rate", "0.0"),
    (-0.1449, "score", "-0.14"), (0.0004, "p", "< 0.001"), (0.0312, "p", "0.031"), (1234, "count", "1,234"),
    (2.0, "z", "+2.0"), (1.98, "ratio", "1.98\u00d7"), (float("nan"), "rate", "\u2013"), (None, "share", "\u2013"),
    ("crime_terror_label", "name", "crime terror label"), ("loaded", "lexicon", "Loaded terms"), (True, "text", "yes"),
])
def test_numbers_are_rounded_for_reading(value, kind, text):
    assert views.format_value(value, kind) == text


def test_readable_tables_have_labels_rounded_values_and_no_index(small):
    profile = views.document_profile(small, "a")
    shown = views.readable(profile.against_corpus)
    assert list(shown.columns) == ["Measure", "This document", "Corpus median",
                                   "Against the median (times the median)"]
    assert shown.iloc[0, 0] == "Mean tone (-1 to +1)" and re.fullmatch(r"[+-]\d\.\d\d", shown.iloc[0, 1])
    assert shown.iloc[1, 1].endswith("%")
    matrix = views.readable(views.category_matrix(small, "outlet"), values="rate")
    assert list(matrix.columns)[0] == "Category" and all(re.fullmatch(r"\d+\.\d", v) for v in matrix.iloc[:, 1])
    html = views.show_table(profile.categories, name="categories").html
    assert "<th" in html and "per_1000_words" not in html.split("Download")[0]
    assert not re.search(r"<th[^>]*>\s*</th>|<th[^>]*>0</th>", html)  # no index column


def test_a_table_comes_with_its_whole_csv_and_an_empty_one_says_why(small):
    hostile = pd.DataFrame({"doc_id": ["<script>x</script>"] * 3, "n_words": [10, 20, 30]})
    shown = views.show_table(hostile, name="docs/../evil", rows=2)
    assert "<script>" not in shown.html and "&lt;script&gt;" in shown.html
    assert "2 of 3 rows shown" in shown.html and 'download="docs-..-evil.csv"' in shown.html
    href = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', shown.html).group(1)
    assert base64.b64decode(href).decode() == hostile.to_csv(index=False)
    empty = views.show_table(pd.DataFrame(), name="t", empty="No targets were given: add --targets.")
    assert "No targets were given: add --targets." in empty.html and "<table" not in empty.html


def test_a_figure_has_alt_text_and_svg_and_png_downloads(small):
    import matplotlib.pyplot as plt

    from framing import plots

    figure = plots.category_bars(views.document_profile(small, "a").categories, title="Devices <b>")
    shown = views.show_figure(figure, name="devices")
    assert not plt.get_fignums()  # closed: a notebook shows it once
    alt = re.search(r'<img src="data:image/(?:svg\+xml|png);base64,[^"]+" alt="([^"]+)"', shown.html).group(1)
    assert "Devices &lt;b&gt;" in alt and "hits per 1,000 words" in alt
    assert 'download="devices.svg"' in shown.html and 'download="devices.png"' in shown.html
    svg = base64.b64decode(re.search(r'download="devices.svg" href="data:image/svg\+xml;base64,([^"]+)"',
                                     shown.html).group(1))
    assert svg.startswith(b"<?xml") and b"<dc:date>" not in svg


def test_distinctive_words_are_not_led_by_he_we_of_its():
    """Regression: the words that 'set each group apart' in the seed report were led by he, we, of, its, for, a."""
    tabloid = "He said we ruined its reputation for a year. He and we of its kind. " * 3 + "Thugs thugs thugs rampage."
    paper = "The council met the minister. Officials reviewed the budget. " * 3 + "Budget budget budget 1 700."
    analysis = framing.analyze([Document(doc_id=f"t{i}", text=tabloid, source="t", format="txt", outlet="Tabloid")
                                for i in range(2)]
                               + [Document(doc_id=f"p{i}", text=paper, source="p", format="txt", outlet="Paper")
                                  for i in range(2)])
    raw = compare.fightin_words(analysis, "outlet", top=5)
    assert {"he", "we", "its"} & set(raw["term"])  # the bug's cause: every word counts
    words = views.distinctive_words(analysis, "outlet", top=20)
    assert not {"he", "we", "of", "its", "for", "a", "1 700", "700"} & set(words["term"])
    assert "thugs" in set(words[words["group"] == "Tabloid"]["term"])
    assert (words["count_group"] + words["count_against"]).min() >= compare.DISTINCTIVE_MIN_COUNT


def test_no_label_or_tick_of_any_figure_is_cut(small):
    """The seed report's heatmap lost the ends of its x labels ("let)", "rch"): every text of every figure lies
    inside the figure itself (so a plain savefig cuts nothing either), and show_figure saves a tight box."""
    import matplotlib.pyplot as plt

    from framing import plots

    profile = compare.profiles(small, "outlet", n_boot=20)
    long_names = views.category_matrix(small, "outlet").rename(columns=lambda c: f"{c} with a long outlet name (Ltd)")
    figures = [plots.category_heatmap(long_names), plots.profile_intervals(profile, measures=profile.measures[:6]),
               plots.target_sentiment(views.group_profile(small, "outlet")),
               plots.similarity_heatmap(compare.similarity(small)),
               plots.sentiment_arc(views.document_profile(small, "a").sentences)]
    for figure in figures:
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        width, height = figure.get_size_inches()
        saved = matplotlib.transforms.Bbox([[0, 0], [width, height]])
        texts = [t for ax in figure.axes for t in (*_drawn_ticks(ax.xaxis), *_drawn_ticks(ax.yaxis), ax.xaxis.label,
                                                   ax.yaxis.label, ax.title) if t.get_text() and t.get_visible()]
        assert texts
        for text in texts:
            box = text.get_window_extent(renderer).transformed(figure.dpi_scale_trans.inverted())
            assert saved.x0 - 0.01 <= box.x0 and box.x1 <= saved.x1 + 0.01, text.get_text()
            assert saved.y0 - 0.01 <= box.y0 and box.y1 <= saved.y1 + 0.01, text.get_text()
        assert "per 1,000 words" in views.show_figure(figure, name="f").text or figure is not figures[0]
    assert not plt.get_fignums()


def _drawn_ticks(axis):
    """The tick labels matplotlib draws: those of ticks inside the axis's view (the rest are never drawn)."""
    low, high = sorted(axis.get_view_interval())
    return [tick.label1 for tick in axis.get_major_ticks() if low - 1e-9 <= tick.get_loc() <= high + 1e-9]


def test_alt_text_states_what_a_figure_shows(small):
    from framing import plots

    matrix = views.category_matrix(small, "outlet")
    i, j = divmod(int(matrix.to_numpy().argmax()), matrix.shape[1])
    alt = views.show_figure(plots.category_heatmap(matrix), name="heat").text
    assert f"the highest cell is {matrix.index[i].replace('_', ' ')} in {matrix.columns[j]}: " \
           f"{matrix.iloc[i, j]:.1f}" in alt
    profile = compare.profiles(small, "outlet", n_boot=20)
    alt = views.show_figure(plots.profile_intervals(profile, measures=["sentiment_mean"]), name="p").text
    assert "Dots are values, lines 95% intervals. Mean tone: highest " in alt and "lowest " in alt
