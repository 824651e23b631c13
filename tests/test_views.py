"""framing.views on tiny inline corpora: the tables notebooks display."""

import json

import pandas as pd
import pytest

import framing
from framing import views
from framing.errors import GroupingError, UnknownDocumentError
from framing.model import Document

TEXT_A = ('Police said the so-called gang had fled. "These thugs will be caught," Chief Constable Jones said. '
          "The 'experts' were allegedly wrong. It is clearly a disaster.")
TEXT_B = "The council met. Residents may attend. The plan is probably fine."


@pytest.fixture(scope="module")
def small():
    return framing.analyze([Document(doc_id="a", text=TEXT_A, source="a.txt", format="txt", outlet="Tabloid"),
                            Document(doc_id="b", text=TEXT_B, source="b.txt", format="txt", outlet="Paper"),
                            Document(doc_id="c", text=TEXT_B + " It failed.", source="c.txt", format="txt")],
                           targets="police=police|chief")


def test_pick_document_defaults_to_the_first_and_names_a_close_id(small):
    assert views.pick_document(small) == "a"
    assert views.pick_document(small, "b") == "b"
    with pytest.raises(UnknownDocumentError, match="no document with id 'zz'"):
        views.pick_document(small, "zz")


def test_pick_document_on_an_empty_analysis_says_so():
    empty = framing.analyze([Document(doc_id="x", text="Words here.", source="x", format="txt")])
    empty.documents = empty.documents.iloc[0:0]
    with pytest.raises(UnknownDocumentError, match="holds no documents"):
        views.pick_document(empty)


def test_document_profile_counts_the_authors_voice_with_scare_quotes(small):
    profile = views.document_profile(small, "a")
    assert profile.doc_id == "a"
    assert dict(zip(profile.metadata.field, profile.metadata.value))["outlet"] == "Tabloid"
    assert len(profile.sentences) == small.documents.set_index("doc_id").loc["a", "n_sentences"]
    loaded = profile.categories[profile.categories.lexicon == "loaded"]
    hits = small.hits[(small.hits.doc_id == "a") & (small.hits.lexicon == "loaded")]
    assert loaded["count"].sum() == len(hits)
    # "thugs" is inside Jones's quotation: the only loaded hit not in the author's voice
    assert loaded["in_author_voice"].sum() == (hits.voice != "quote").sum() == len(hits) - 1
    assert profile.categories.lexicon.tolist()[0] == "loaded"  # lexicons in reading order


def test_quoted_speech_names_the_speaker(small):
    quotes = views.quoted_speech(small, "a")
    assert quotes.quote.tolist() == ["the so-called gang had fled", "These thugs will be caught"]
    assert quotes.kind.tolist() == ["indirect", "direct"]
    assert quotes.iloc[0].speaker == "police" and quotes.iloc[0].role == "police"
    assert quotes.iloc[1].speaker == "Jones" and quotes.iloc[1].role == "police" and quotes.iloc[1].cue == "said"
    assert "experts" not in " ".join(quotes.quote)  # a scare quote is not speech


def test_against_corpus_gives_the_median(small):
    table = views.against_corpus(small, "b").set_index("measure")
    documents = small.documents.set_index("doc_id")
    assert table.loc["rate_hedges", "this_document"] == pytest.approx(documents.loc["b", "rate_hedges"])
    assert table.loc["rate_hedges", "corpus_median"] == pytest.approx(documents["rate_hedges"].median())


def test_group_profile_names_missing_groups_and_refuses_unknown_columns(small):
    table = views.group_profile(small, "outlet").set_index("group")
    assert set(table.index) == {"Tabloid", "Paper", "(unknown outlet)"}
    assert table.loc["Paper", "documents"] == 1 and table.loc["Paper", "words"] == 11
    assert table.loc["Tabloid", "target_police_n"] == 2
    with pytest.raises(GroupingError, match="no such column"):
        views.group_profile(small, "newsroom")


def test_category_matrix_rows_are_categories_and_columns_groups(small):
    matrix = views.category_matrix(small, "document", lexicon="hedges")
    assert list(matrix.columns) == ["a", "b", "c"]
    assert "epistemic_modal" in matrix.index
    words_b = small.documents.set_index("doc_id").loc["b", "n_words"]
    may = small.hits[(small.hits.doc_id == "b") & (small.hits.category == "epistemic_modal")]
    assert matrix.loc["epistemic_modal", "b"] == pytest.approx(len(may) * 1000 / words_b)


def test_document_summaries_one_line_per_document(small):
    table = views.document_summaries(small)
    assert table.doc_id.tolist() == ["a", "b", "c"]
    assert table.set_index("doc_id").loc["b", "main_device"] == "no loaded terms"


def test_concordance_keeps_the_voice_and_context(small):
    kwic = views.concordance(small, "thug*, gang", window=2)
    rows = {r.match.lower(): r for r in kwic.itertuples()}
    assert rows["thugs"].voice == "quote" and rows["thugs"].left == '"These'
    assert rows["gang"].voice == "indirect" and rows["gang"].right == "had fled."  # what police said
    usage = views.term_usage(kwic)
    assert usage.loc[("Tabloid", "a")].sum() == 2
    assert set(views.term_tone(kwic).index) == {"thug*", "gang"}


def test_concordance_falls_back_to_the_sentence_flag_without_texts(small):
    without = framing.Analysis(small.documents, small.sentences, small.hits, small.errors, small.run, texts={})
    kwic = views.concordance(without, "thugs")
    assert kwic.voice.tolist() == ["quote"]  # the sentence is mostly inside the quotation


def test_hits_of_and_most_negative(small):
    profile = views.document_profile(small, "a")
    assert set(views.hits_of(profile, "hedges").lexicon) == {"hedges"}
    negative = views.most_negative(profile, n=2)
    assert len(negative) == 2 and negative.sentiment.is_monotonic_increasing


def test_provenance_lists_parameters_versions_and_lexicons(small):
    table = views.provenance(small, corpus="x", n_boot=10)
    assert ("parameter", "n_boot", json.dumps(10)) in set(table.itertuples(index=False, name=None))
    assert {"loaded", "hedges"} <= set(table[table.kind == "lexicon"].name)
    assert isinstance(table, pd.DataFrame)


def test_tables_do_not_compile_their_template_again_each_time():
    """Regression: every table made a new jinja2 environment, so its template was compiled again for each
    table (over half of a document page's time on a 10,000-document report)."""
    first = views.show_table(pd.DataFrame({"doc_id": ["a"], "n_words": [3]}), name="first")
    environment = views.page_templates()
    compiled = environment.get_template("table.html.j2")
    second = views.show_table(pd.DataFrame({"doc_id": ["b"], "n_words": [4]}), name="second")
    assert views.page_templates() is environment
    assert environment.get_template("table.html.j2") is compiled
    assert "a" in first.html and "b" in second.html


def test_top_terms_counts_hits_documents_and_the_authors_voice():
    analysis = framing.analyze([
        Document(doc_id="a", text='Critics claimed the plan failed. Officials claimed otherwise. "It was a witch hunt," '
                                  "the mayor said.", source="x", format="txt"),
        Document(doc_id="b", text="Rivals claimed that the count was wrong.", source="x", format="txt")])
    top = views.top_terms(analysis, lexicons=("loaded",))
    claimed = top[top["term"] == "claimed"].iloc[0]
    assert (claimed["count"], claimed["documents"], claimed["author_voice"]) == (3, 2, 3)
    hunt = top[top["term"] == "witch hunt"].iloc[0]
    assert (hunt["count"], hunt["author_voice"]) == (1, 0)  # inside the mayor's quote: the mayor's word
    assert list(top["term"])[0] == "claimed" and "Claimed" in claimed["explanation"]
    assert views.top_terms(analysis, lexicons=("no_such_lexicon",)).empty
