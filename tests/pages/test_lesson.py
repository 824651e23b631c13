"""The lesson's helpers (framing/pages/lesson.py): paragraphs, exercises and their answers, profiles.

The lesson notebook itself runs in tests/test_notebooks.py, with the others."""

import pytest

from framing.errors import HighlightError
from framing.pages import highlight, lesson

from conftest import NESTED_TEXT, analyse_texts, check


@pytest.fixture(scope="module")
def nested():
    return analyse_texts(nested=NESTED_TEXT, plain="The council met on Tuesday.")


def test_paragraph_helpers(nested):
    assert len(highlight.paragraphs(NESTED_TEXT)) == 4
    hedges = lesson.paragraph_hits(nested, "nested", 4, "hedges")
    assert set(hedges.matched) == {"Reportedly", "about"}
    assert list(hedges.columns) == ["matched", "lexicon", "category", "voice", "explanation"]
    assert lesson.paragraph_text(nested, "nested", 4) == ("Critics called it a savage, disgraceful war. "
                                                          "Reportedly, about 50 people fled.")
    assert lesson.busiest_paragraph(nested, "nested", "hedges") in (2, 4)
    assert lesson.busiest_paragraph(nested, "plain", "boosters") == 0
    with pytest.raises(HighlightError, match="has paragraphs 1 to 4, not 9"):
        lesson.paragraph_hits(nested, "nested", 9)
    with pytest.raises(HighlightError, match="no document with id 'nope'"):
        lesson.paragraph_text(nested, "nope", 1)


def test_exercise_asks_about_the_richest_paragraph_and_answers_with_framings_marks(nested):
    exercise = lesson.exercise(nested, "nested", "hedges")
    assert exercise.paragraph_no == lesson.busiest_paragraph(nested, "nested", "hedges")
    assert "hedges" in exercise.question and exercise.text in NESTED_TEXT
    assert "hl-hedges" in exercise.answer_html and "hl-loaded" not in exercise.answer_html.split("</style>")[1]
    check(exercise.answer_html.split("</style>", 1)[1])
    scare = lesson.exercise(nested, "nested", "scare_quote")
    assert list(scare.answer.matched) == ['"self-styled"']
    none = lesson.exercise(nested, "plain", "boosters")
    assert none.paragraph_no == 0 and none.answer.empty and "no boosters" in none.question
    with pytest.raises(HighlightError, match="no exercise for 'metaphors'"):
        lesson.exercise(nested, "nested", "metaphors")


def test_profile_table_has_a_column_per_document_with_the_panels_numbers(nested):
    table = lesson.profile_table(nested, ["nested", "plain"])
    assert list(table.columns) == ["nested", "plain"]
    assert list(table.index) == ["outlet", "title", "words", "sentiment_mean", "loaded_per_1000",
                                 "evaluative_per_1000", "hedges_per_1000", "boosters_per_1000", "attribution_per_1000"]
    assert table.loc["words", "nested"] == highlight.profile(nested, "nested")["words"]


def test_an_exercise_on_evaluative_words_marks_only_them():
    analysis = analyse_texts(doc="It was a shameful, utterly disgraceful decision, said the critics.\n")
    found = lesson.exercise(analysis, "doc", "evaluative")
    assert found.paragraph_no == 1 and "**evaluative**" in found.question
    assert set(found.answer.lexicon) == {"evaluative"} and len(found.answer) >= 2
    assert 'data-lexicon="evaluative"' in found.answer_html and 'data-lexicon="attribution"' not in found.answer_html
