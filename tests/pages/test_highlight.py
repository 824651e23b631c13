"""The teaching view (framing/pages/highlight.py): marks, nesting, tints, escaping, the page of one or two
documents and its profile panel."""

import re

import pytest

import framing
from framing import views
from framing.errors import HighlightError
from framing.pages import highlight

from conftest import EVIL_TEXT, NESTED_TEXT, analyse_texts, check


def doc_text(section):
    """The document text in a rendered section: everything inside .doc-text but the tooltips."""
    body = section[section.index('<div class="doc-text">'):section.rindex("</section>")]
    return "".join(check(body).text)


@pytest.fixture(scope="module")
def nested():
    return analyse_texts(nested=NESTED_TEXT, evil=EVIL_TEXT)


def test_every_hit_is_marked_with_its_lexicon_category_and_explanation(nested):
    section = highlight.render_document(nested, "nested", evaluative=True)
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
        assert highlight.html.escape(hit.explanation) in section
    # the kinds the brief names are all there, scare quote as its own kind of loaded language
    assert {"hl-loaded", "hl-scare", "hl-hedges", "hl-boosters", "hl-attribution"} <= set(
        " ".join(a.get("class", "") for a in marks).split())
    assert 'data-category="scare_quote"' in section


def test_nesting_is_valid_and_the_text_is_kept_whole(nested):
    section = highlight.render_document(nested, "nested")
    check(section)
    paragraphs = [NESTED_TEXT[s:e] for s, e in highlight.paragraphs(NESTED_TEXT)]
    assert doc_text(section) == "".join(paragraphs)
    assert section.count("<p data-paragraph") == len(paragraphs) == 4
    # two lexicons on one word nest: attribution outside, loaded inside
    assert re.search(r'data-lexicon="attribution" data-category="loaded"[^>]*><mark class="hl hl-loaded"[^>]*'
                     r'data-category="loaded_verb"[^>]*>boasted<span class="tip"', section)
    # a hit inside a scare quote inside a sentence
    assert re.search(r'<span class="s [^>]*>Police .*<mark class="hl hl-loaded hl-scare"[^>]*>&quot;<mark class="hl '
                     r'hl-loaded"[^>]*>self-styled<span class="tip"', section)
    # quoted speech is set apart and holds its own hits
    # ("he" stays unresolved: nobody spoke before, and "The drug lord boasted about his empire" reports no speech)
    assert re.search(r'<span class="voice-quote" data-quote="direct" title="Quoted: he, [^"]*said[^"]*">We will '
                     r'<mark class="hl hl-boosters"[^>]*data-voice="quote"[^>]*>obviously<span class="tip"', section)
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
    assert doc_text(section).replace("\n", "") == EVIL_TEXT.replace("\n", "")
    page = highlight.render_page(analyse_texts(**{"x": "<b>bold</b> claims, said the <script>thugs</script>."}), ["x"],
                                 title="<script>alert(1)</script>")
    assert "<script" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_legend_counts_every_kind_of_this_document(nested):
    section = highlight.render_document(nested, "nested", evaluative=True)
    counts = highlight.hit_counts(nested, "nested")
    for kind, count in counts.groupby("kind")["count"].sum().items():
        assert re.search(rf'<tr data-kind="{kind}">.*?<td class="num">{count}</td>', section)
    assert section.index('class="panel legend"') < section.index('class="doc-text"')


def test_page_is_self_contained_and_shows_two_documents_side_by_side(nested):
    page = highlight.render_page(nested, ["nested", "evil"])
    check(page[page.index("<html"):])
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page) and "@import" not in page and "url(" not in page
    columns = re.search(r'<div class="columns columns-2">(.*)</div>\s*</main>\s*</div>\s*</body>', page, re.S).group(1)
    assert columns.count('<article class="doc-column"') == 2
    assert re.search(r"\.columns-2 \{ grid-template-columns: repeat\(2, minmax\(0, 1fr\)\); \}", page)
    for doc_id in ("nested", "evil"):
        assert f"<td>Outlet {doc_id}</td>" in page and f"<td>Title of {doc_id}</td>" in page
    assert page.count("Per 1,000 words") == 2 and "Mean tone (-1 to +1)" in page  # the glossary's label
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    single = highlight.render_page(nested, ["nested"])
    assert 'class="columns columns-1"' in single and single.count("<article") == 1
    with pytest.raises(HighlightError, match="one or two"):
        highlight.render_page(nested, ["nested", "evil", "nested"])
    with pytest.raises(HighlightError, match="no document with id 'nope'"):
        highlight.render_document(nested, "nope")




def test_profile_panel_shows_the_numbers_of_views_not_its_own_copy(nested):
    # the panel once read documents.csv itself, a second copy of what framing.views computes
    found = views.document_profile(nested, "nested")
    metadata = dict(zip(found.metadata["field"], found.metadata["value"]))
    measures = dict(zip(found.against_corpus["measure"], found.against_corpus["this_document"]))
    numbers = highlight.profile(nested, "nested")
    assert numbers["words"] == metadata["n_words"] and numbers["sentiment_mean"] == metadata["sentiment_mean"]
    assert numbers["outlet"] == "Outlet nested" and numbers["title"] == "Title of nested"
    for name in ("loaded", "hedges", "boosters", "attribution"):
        assert numbers[f"{name}_per_1000"] == measures[f"rate_{name}"]
    panel = highlight.profile_html(nested, "nested")
    assert f"loaded terms {measures['rate_loaded']:.1f}" in panel and f"{metadata['n_words']:,}" in panel


def test_profile_of_tables_read_back_with_missing_metadata(tmp_path):
    # tables read back give NaN for an empty outlet or title: the panel says "(unknown)", not "nan"
    from framing.run import analyze_to_tables

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plain.txt").write_text("The council met on Tuesday. It was almost certainly late.",
                                               encoding="utf-8")
    analyze_to_tables([tmp_path / "in"], tmp_path / "tables", progress=False)
    analysis = framing.load_analysis(tmp_path / "tables")
    page = highlight.render_page(analysis, ["plain"])
    assert "<td>(unknown)</td>" in page and "<td>(none)</td>" in page and ">nan<" not in page


def test_partial_and_indirect_speech_are_marked_with_their_speaker_on_hover():
    text = ("Steve Brocklesby, intelligence manager at the National Crime Agency (NCA), said the gangs were growing. "
            "The agency warned of a 'significant threat' from them.\n")
    analysis = analyse_texts(speech=text)
    section = highlight.render_document(analysis, "speech")
    indirect = re.search(r'<span class="voice-indirect" data-quote="indirect" title="([^"]+)">the gangs were growing',
                         section)
    assert indirect and indirect.group(1).startswith("Reported: Steve Brocklesby (police)")
    partial = re.search(r'<span class="voice-partial" data-quote="partial" title="([^"]+)">significant threat', section)
    assert partial and "NCA" in partial.group(1)
    assert "voice-indirect" in highlight.legend(analysis, "speech")



def test_a_partial_quote_whose_speaker_the_text_does_not_give_says_so_on_hover():
    analysis = analyse_texts(speech='Preys on our fears, and calls people "losers" and "sad."\n')
    section = highlight.render_document(analysis, "speech")
    partial = re.search(r'<span class="voice-partial" data-quote="partial" title="([^"]+)">losers', section)
    assert partial and partial.group(1).startswith("Partly quoted (the text does not say here whose words")

# ---- tiers, voice and "not when" (issue 15) -----------------------------------------------------------------

def _one_lexicon_analysis(tmp_path, text, rows):
    from framing.model import Document

    path = tmp_path / "mine.tsv"
    path.write_text("pattern\tcategory\texplanation\tsource\tnot_when\tcondition\n" + rows, encoding="utf-8")
    return framing.analyze([Document(doc_id="d", text=text, source="d.txt", format="txt")], lexicons=[path])


def test_the_tooltip_says_whose_word_it_is_by_voice(nested):
    section = highlight.render_document(nested, "nested")
    quoted = re.search(r'data-voice="quote"[^>]*>obviously<span class="tip"[^>]*>(.*?)</span>', section).group(1)
    assert "In a quote \u2014 the speaker\u2019s word:" in quoted and "writer" not in quoted
    own = re.search(r'data-category="loaded_verb"[^>]*data-voice="author"[^>]*>boasted<span class="tip"[^>]*>(.*?)'
                    r'</span>', section).group(1)
    assert "the writer\u2019s choice" in own and "speaker" not in own


def test_the_not_when_note_is_shown_in_the_tooltip(tmp_path):
    analysis = _one_lexicon_analysis(tmp_path, "A flood of claims. The flood of the river rose.",
                                     "flood\twater\tPeople or claims as water that must be held back.\tme\t"
                                     "the literal water sense (\"flood warnings\")\tnot_near:river\n")
    section = highlight.render_document(analysis, "d")
    assert section.count('data-lexicon="mine"') == 1  # the condition dropped the river
    assert "<br>Not when: the literal water sense (&quot;flood warnings&quot;)</span></mark>" in section
    assert 'title="mine: water. In the writer\u2019s own words' in section


def test_evaluative_words_are_marked_only_when_asked_for(tmp_path):
    entry = next(e for e in framing.lexicons.packaged_lexicon("evaluative").entries
                 if not e.condition and " " not in e.pattern and "*" not in e.pattern)
    analysis = _one_lexicon_analysis(tmp_path, f"It was {entry.pattern} and a gang did it.",
                                     "gang\tcrime\tA label for a group.\tme\t\t\n")
    assert set(analysis.hits["lexicon"]) >= {"evaluative", "mine"}
    hidden = highlight.render_document(analysis, "d")
    assert 'data-lexicon="evaluative"' not in hidden and 'data-lexicon="mine"' in hidden
    assert 'data-kind="evaluative"' not in hidden  # nor in the legend
    shown = highlight.render_document(analysis, "d", evaluative=True)
    assert 'data-lexicon="evaluative"' in shown and 'data-kind="evaluative"' in shown
    page = highlight.render_page(analysis, ["d"])
    assert "evaluative words" in page and "loaded terms" in page  # the profile names both tiers
