"""The teaching view (framing/highlight.py) and the lesson notebook."""

import json
import re
from html.parser import HTMLParser

import nbformat
import papermill
import pytest

import framing
from framing import highlight
from framing.errors import FramingError, HighlightError
from framing.model import Document
from conftest import ROOT, SEEDS

VOID = {"br", "meta", "img", "hr", "input", "link", "wbr"}

NESTED = ("Police said the \"so-called\" army was almost certainly behind it.\n"
          "The drug lord boasted about his empire. \u201cWe will obviously win, and the thugs may run away from "
          "us,\u201d he said. Officials clearly knew\n"
          "about it.\n\n"
          "Critics called it a savage, disgraceful war. Reportedly, about 50 people fled.\n")
EVIL = ('The gang <script>window.__pwned=1</script> was almost certainly behind the so-called raid.\n'
        '<img src=x onerror="alert(1)"> & "quotes" \'here\' said the thugs.\n')


def _analyse(**texts):
    return framing.analyze([Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt", format="txt",
                                     outlet=f"Outlet {doc_id}", title=f"Title of {doc_id}")
                            for doc_id, text in texts.items()])


class Checker(HTMLParser):
    """Balance of tags, and the document text as a reader sees it (tooltips left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.in_tip, self.tags = [], [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in VOID:
            return
        self.stack.append((tag, "tip" in (attrs.get("class") or "").split()))
        if self.stack[-1][1]:
            self.in_tip += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        _, tip = self.stack.pop()
        if tip:
            self.in_tip -= 1

    def handle_data(self, data):
        if not self.in_tip:
            self.text.append(data)


def check(fragment):
    checker = Checker()
    checker.feed(fragment)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, f"unclosed: {checker.stack}"
    return checker


def doc_text(section):
    """The document text in a rendered section: everything inside .doc-text but the tooltips."""
    body = section[section.index('<div class="doc-text">'):section.rindex("</section>")]
    return "".join(check(body).text)


@pytest.fixture(scope="module")
def nested():
    return _analyse(nested=NESTED, evil=EVIL)


def test_every_hit_is_marked_with_its_lexicon_category_and_explanation(nested):
    section = highlight.render_document(nested, "nested")
    checker = check(section)
    marks = [a for t, a in checker.tags if t == "mark" and "swatch" not in a.get("class", "")]
    hits = nested.hits[nested.hits.doc_id == "nested"]
    assert len(marks) == len(hits) >= 10
    tips = {a["id"]: a for t, a in checker.tags if t == "span" and a.get("role") == "tooltip"}
    for mark in marks:  # reachable by keyboard, and described by its own tooltip
        assert mark["tabindex"] == "0" and mark["aria-describedby"] in tips
    for hit in hits.itertuples():
        lexicon_class = highlight.style_for(hit.lexicon, hit.category).css_class.split()[0]
        pattern = (rf'<mark class="hl {lexicon_class}[^"]*" tabindex="0" data-lexicon="{hit.lexicon}" '
                   rf'data-category="{hit.category}"[^>]* title="[^"]+"[^>]*>')
        assert re.search(pattern, section), (hit.matched, hit.lexicon)
        assert f"<br>{highlight.html.escape(hit.explanation)}</span></mark>" in section
    # the kinds the brief names are all there, scare quote as its own kind of loaded language
    assert {"hl-loaded", "hl-scare", "hl-hedges", "hl-boosters", "hl-attribution"} <= set(
        " ".join(a.get("class", "") for a in marks).split())
    assert 'data-category="scare_quote"' in section


def test_nesting_is_valid_and_the_text_is_kept_whole(nested):
    section = highlight.render_document(nested, "nested")
    check(section)
    paragraphs = [NESTED[s:e] for s, e in highlight.paragraphs(NESTED)]
    assert doc_text(section) == "".join(paragraphs)
    assert section.count("<p data-paragraph") == len(paragraphs) == 4
    # two lexicons on one word nest: attribution outside, loaded inside
    assert re.search(r'data-lexicon="attribution" data-category="loaded"[^>]*><mark class="hl hl-loaded"[^>]*'
                     r'data-category="loaded_verb"[^>]*>boasted<span class="tip"', section)
    # a hit inside a scare quote inside a sentence
    assert re.search(r'<span class="s [^>]*>Police .*<mark class="hl hl-loaded hl-scare"[^>]*>&quot;<mark class="hl '
                     r'hl-loaded"[^>]*>so-called<span class="tip"', section)
    # quoted speech is set apart and holds its own hits
    assert re.search(r'<span class="voice-quote" data-quote="attributed">“We will <mark class="hl hl-boosters"[^>]*'
                     r'data-voice="quote"[^>]*>obviously<span class="tip"', section)
    # the sentence broken over two lines is cut at the line break, never crossing the paragraphs
    assert section.count('data-sentence="4"') == 2  # "Officials clearly knew\nabout it."


def test_sentences_are_tinted_by_tone(nested):
    section = highlight.render_document(nested, "nested")
    sentences = nested.sentences[nested.sentences.doc_id == "nested"]
    for row in sentences.itertuples():
        label = "neg" if row.sentiment <= -0.05 else "pos" if row.sentiment >= 0.05 else "neu"
        assert f'class="s s-{label}" data-sentence="{row.sentence_no}"' in section
    assert {"s-neg", "s-pos"} <= set(re.findall(r"s-(?:neg|neu|pos)", section))


def test_crossing_spans_are_split_not_crossed():
    text = "abcdefghij"
    spans = [highlight._Span(0, 10, 0, (0,), "p", {}),
             highlight._Span(0, 5, 1, (0,), "span", {"class": "s"}),
             highlight._Span(5, 10, 1, (5,), "span", {"class": "s"}),
             highlight._Span(3, 7, 3, (0,), "mark", {"class": "hl hl-loaded"}, tip="tip", tip_id="t1"),
             highlight._Span(4, 9, 3, (0,), "mark", {"class": "hl hl-hedges"}, tip="tip2", tip_id="t2")]
    markup = highlight._markup(text, spans)
    checker = check(markup)
    assert "".join(checker.text) == text
    assert markup.count('id="t1"') == 1 and markup.count('id="t2"') == 1  # one tooltip per hit, at its end
    assert "hl-cont" in markup


def test_document_text_and_metadata_are_escaped(nested):
    section = highlight.render_document(nested, "evil")
    assert "<script" not in section and "<img" not in section
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in section
    assert "&lt;img src=x onerror=" in section
    assert doc_text(section).replace("\n", "") == EVIL.replace("\n", "")
    page = highlight.render_page(_analyse(**{"x": "<b>bold</b> claims, said the <script>thugs</script>."}), ["x"],
                                 title="<script>alert(1)</script>")
    assert "<script" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


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


def test_contrast_function():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_colour_pair_in_the_css_meets_wcag_aa(nested):
    page = highlight.render_page(nested, ["nested"])
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    pairs, surfaces, text_only = [], [], []
    for selector, body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        background = re.search(r"background-color:\s*(#[0-9a-fA-F]{3,6})", body)
        if colour and background:
            pairs.append((selector.strip(), colour.group(1), background.group(1)))
            if re.search(r"\.s-\w+$|^\.framing-hl$|\.panel$", selector.strip()):
                surfaces.append(background.group(1))
        elif colour:
            text_only.append((selector.strip(), colour.group(1)))
        else:
            assert not background, f"{selector} sets a background without a text colour"
    assert len(pairs) >= 12 and len(surfaces) >= 5
    # text that sits on whatever surface it is in (quoted speech) is checked against every surface
    pairs += [(selector, colour, surface) for selector, colour in text_only for surface in surfaces]
    low = [(s, c, b, round(contrast(c, b), 2)) for s, c, b in pairs if contrast(c, b) < 4.5]
    assert not low, low
    # and told apart by more than colour: every kind its own underline style and symbol
    looks = {(s.underline, s.symbol) for s in highlight.STYLES.values() if s.kind != "other"}
    assert len(looks) == 5 and len({u for u, _ in looks}) == 5
    for style in highlight.STYLES.values():
        assert f"text-decoration-style: {style.underline}" in css and f'content: "{style.symbol}"' in css


def test_legend_counts_every_kind_of_this_document(nested):
    section = highlight.render_document(nested, "nested")
    counts = highlight.hit_counts(nested, "nested")
    for kind, count in counts.groupby("kind")["count"].sum().items():
        assert re.search(rf'<tr data-kind="{kind}">.*?<td class="num">{count}</td>', section)
    assert section.index('class="panel legend"') < section.index('class="doc-text"')


def test_page_is_self_contained_and_shows_two_documents_side_by_side(nested):
    page = highlight.render_page(nested, ["nested", "evil"])
    check(page[page.index("<html"):])
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page) and "@import" not in page and "url(" not in page
    columns = re.search(r'<div class="columns columns-2">(.*)</div></div></body>', page, re.S).group(1)
    assert columns.count('<article class="doc-column"') == 2
    assert re.search(r"\.columns-2 \{ grid-template-columns: repeat\(2, minmax\(0, 1fr\)\); \}", page)
    for doc_id in ("nested", "evil"):
        assert f"<td>Outlet {doc_id}</td>" in page and f"<td>Title of {doc_id}</td>" in page
    assert page.count("Per 1,000 words") == 2 and "Mean sentiment" in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    single = highlight.render_page(nested, ["nested"])
    assert 'class="columns columns-1"' in single and single.count("<article") == 1
    with pytest.raises(HighlightError, match="one or two"):
        highlight.render_page(nested, ["nested", "evil", "nested"])
    with pytest.raises(HighlightError, match="no document with id 'nope'"):
        highlight.render_document(nested, "nope")


def test_write_highlight_one_or_two_files(tmp_path):
    one = highlight.write_highlight([SEEDS / "000_c3c58989c2810429.txt"], tmp_path / "one.html")
    assert one == tmp_path / "one.html" and 'class="columns columns-1"' in one.read_text(encoding="utf-8")
    assert "Global Research" in one.read_text(encoding="utf-8")  # the metadata.csv beside the file is used
    two = highlight.write_highlight([SEEDS / "001_4dd1f95303bf43d2.txt", SEEDS / "003_c031984df73dd486.txt"],
                                    tmp_path)
    assert two.parent == tmp_path and two.suffix == ".html"
    assert two.read_text(encoding="utf-8").count('<article class="doc-column"') == 2


def test_write_highlight_bad_input_is_a_clear_framing_error(tmp_path):
    (tmp_path / "bad.json").write_text('{"broken": ', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    seed = SEEDS / "000_c3c58989c2810429.txt"
    cases = [([], "one file, or two"), ([seed, seed, seed], "got 3"), ([tmp_path / "missing.txt"], "no such file"),
             ([SEEDS], "is a directory"), ([tmp_path / "bad.json"], "cannot read .*bad.json: malformed JSON"),
             ([seed, tmp_path / "empty.txt"], "cannot read .*empty.txt: empty file")]
    for paths, message in cases:
        with pytest.raises(FramingError, match=message):
            highlight.write_highlight(paths, tmp_path / "out.html")
    assert not (tmp_path / "out.html").exists()


def test_lesson_helpers(nested):
    assert len(highlight.paragraphs(NESTED)) == 4
    hedges = highlight.paragraph_hits(nested, "nested", 4, "hedges")
    assert set(hedges.matched) == {"Reportedly", "about"}
    assert list(hedges.columns) == ["matched", "lexicon", "category", "voice", "explanation"]
    exercise = highlight.exercise(nested, "nested", "hedges")
    assert exercise.paragraph_no == highlight.busiest_paragraph(nested, "nested", "hedges")
    assert "hedges" in exercise.question and exercise.text in NESTED
    assert "hl-hedges" in exercise.answer_html and "hl-loaded" not in exercise.answer_html.split("</style>")[1]
    check(exercise.answer_html.split("</style>", 1)[1])
    scare = highlight.exercise(nested, "nested", "scare_quote")
    assert list(scare.answer.matched) == ['"so-called"']
    none = highlight.exercise(_analyse(plain="The council met on Tuesday."), "plain", "boosters")
    assert none.paragraph_no == 0 and none.answer.empty and "no boosters" in none.question
    with pytest.raises(HighlightError):
        highlight.paragraph_hits(nested, "nested", 9)


# ---- the lesson notebook ---------------------------------------------------------------------------------

LESSON = ROOT / "notebooks" / "lesson.ipynb"


def test_lesson_is_committed_without_outputs_with_one_parameters_cell():
    book = json.loads(LESSON.read_text(encoding="utf-8"))
    assert book["metadata"]["kernelspec"]["name"] == "python3"
    assert all(cell.get("id") for cell in book["cells"])
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in book["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is book["cells"][0]
    declared = papermill.inspect_notebook(str(LESSON))
    assert set(declared) == {"corpus", "document", "comparison"}
    for name, info in declared.items():
        assert info["inferred_type_name"] == "str" and info["help"], name
    assert all(line.count("=") <= 1 for line in "".join(tagged[0]["source"]).splitlines())


def test_lesson_runs_with_its_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    output = tmp_path / "lesson.ipynb"
    papermill.execute_notebook(str(LESSON), str(output), kernel_name="python3", progress_bar=False)
    book = nbformat.read(output, as_version=4)
    outputs = [o for cell in book.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "hl-hedges" in html and "hl-attribution" in html and "hl-scare" in html
    assert 'class="columns columns-2"' in html and html.count('class="columns columns-1"') >= 1
    assert "framing finds" in html
