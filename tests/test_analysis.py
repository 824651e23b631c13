import json
import math

import pandas as pd
import pytest

import framing
from framing.run import analyze
from framing.tables import HIT_COLUMNS, SENTENCE_COLUMNS, write_tables
from framing.model import Document
from framing.errors import TargetError
from framing.sentiment import parse_targets

from conftest import SEEDS

TARGETS = "Albania=Albania|Albanian|Albanians; NATO; police=police|officers"


@pytest.fixture(scope="module")
def seed_analysis():
    return analyze(SEEDS, targets=TARGETS)


def _doc(text: str, doc_id="d") -> Document:
    return Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt", format="txt")


def test_tables_have_the_documented_columns(seed_analysis):
    assert list(seed_analysis.sentences.columns) == SENTENCE_COLUMNS
    assert list(seed_analysis.hits.columns) == HIT_COLUMNS
    assert len(seed_analysis.documents) == 5 and seed_analysis.errors.empty


def test_sentence_offsets_point_into_the_cleaned_text(seed_analysis):
    for row in seed_analysis.sentences.itertuples():
        assert seed_analysis.texts[row.doc_id][row.start:row.end] == row.text


def test_hit_offsets_point_into_the_cleaned_text(seed_analysis):
    for row in seed_analysis.hits.itertuples():
        assert seed_analysis.texts[row.doc_id][row.start:row.end] == row.matched


def test_000_has_the_highest_rate_of_loaded_terms(seed_analysis):
    rates = seed_analysis.documents.set_index("doc_id")["rate_loaded"]
    assert rates.idxmax().startswith("000")


def test_narco_terrorists_in_000_in_the_authors_voice(seed_analysis):
    hits = seed_analysis.hits
    found = hits[hits.doc_id.str.startswith("000") & (hits.lexicon == "loaded")
                 & hits.matched.str.lower().str.contains("narco-terrorists") & (hits.voice == "author")]
    assert len(found) >= 2


@pytest.mark.parametrize("doc,phrase", [("000", "human rights"), ("000", "logic"), ("000", "independence"),
                                        ("004", "Peace"), ("004", "keep the peace")])
def test_scare_quotes_on_the_seeds(seed_analysis, doc, phrase):
    hits = seed_analysis.hits
    scare = hits[hits.doc_id.str.startswith(doc) & (hits.category == "scare_quote")]
    assert any(m.strip("\"“”‘’'") == phrase for m in scare.matched), list(scare.matched)


def test_hits_inside_quotes_record_their_voice():
    analysis = analyze([_doc("“They are vicious thugs,” the minister said. The vicious thugs fled.")])
    voices = analysis.hits[analysis.hits.matched.str.lower() == "thugs"][["voice", "quote_kind"]].values.tolist()
    assert voices == [["quote", "direct"], ["author", ""]]


def test_document_aggregates_and_rates():
    text = "The terrible plague of thugs is awful. Everyone is happy and wonderful today. It rained."
    analysis = analyze([_doc(text)])
    row = analysis.documents.iloc[0]
    scores = analysis.sentences["sentiment"]
    assert row["sentiment_mean"] == pytest.approx(scores.mean())
    assert row["share_negative"] == pytest.approx(1 / 3) and row["share_positive"] == pytest.approx(1 / 3)
    assert row["most_negative_sentence"] == "The terrible plague of thugs is awful."
    n_loaded = (analysis.hits.lexicon == "loaded").sum()
    assert n_loaded >= 1
    assert row["rate_loaded"] == pytest.approx(n_loaded * 1000 / row["n_words"])


def test_target_sentiment_uses_the_sentences_that_mention_a_target():
    from framing import tone

    text = "Albanians are wonderful and kind. The weather is awful. NATO is terrible. An Albanian cook won."
    analysis = analyze([_doc(text)], targets="Albania=Albania|Albanian|Albanians; NATO; Serbia")
    row = analysis.documents.iloc[0]
    sentences = analysis.sentences.set_index("sentence_no")["text"]
    # the tone toward the target in each sentence that mentions it (framing.tone), not the sentences' own tone
    tones = [tone.explain(sentences[n], "Albania=Albania|Albanian|Albanians")[0].score for n in (1, 4)]
    assert row["target_Albania_n"] == 2
    assert row["target_Albania_sentiment"] == pytest.approx(sum(tones) / 2) and row["target_Albania_sentiment"] > 0
    assert row["target_NATO_n"] == 1 and row["target_NATO_sentiment"] < 0
    assert row["target_Serbia_n"] == 0 and math.isnan(row["target_Serbia_sentiment"])


def test_target_spec_accepts_a_colon_as_papermill_needs():
    assert [(t.name, t.aliases) for t in parse_targets("Albania: Albania|Albanians; NATO")] == [
        ("Albania", ("Albania", "Albanians")), ("NATO", ("NATO",))]


def test_bad_target_spec():
    with pytest.raises(TargetError, match="given twice"):
        parse_targets("NATO; NATO=NATO|alliance")


def test_run_record_is_reproducible_evidence(seed_analysis, tmp_path):
    write_tables(seed_analysis, tmp_path)
    run = json.loads((tmp_path / "run.json").read_text())
    assert set(run["lexicons"]) >= {"loaded", "hedges", "boosters", "attribution"}
    assert all(len(info["sha256"]) == 64 for info in run["lexicons"].values())
    assert run["sentiment"]["package"] == "vaderSentiment" and len(run["sentiment"]["lexicon_sha256"]) == 64
    assert run["versions"]["pandas"] and run["targets"]["Albania"] == ["Albania", "Albanian", "Albanians"]
    for name in ("documents.csv", "sentences.csv", "hits.csv", "errors.csv", "texts.jsonl"):
        assert (tmp_path / name).exists()
    assert len(pd.read_csv(tmp_path / "sentences.csv")) == len(seed_analysis.sentences)


def test_user_lexicon_through_analyze(tmp_path):
    (tmp_path / "mine.tsv").write_text("pattern\tcategory\texplanation\tsource\nduck\tbird\tA bird.\tme\n",
                                       encoding="utf-8")
    analysis = framing.analyze([_doc("A golden duck.")], lexicons=[tmp_path / "mine.tsv"])
    assert analysis.documents.iloc[0]["rate_mine_bird"] > 0
    assert "mine" in analysis.run["lexicons"]


def test_a_malformed_user_lexicon_stops_the_cli_with_its_line(tmp_path, capsys):
    from framing.cli import main

    (tmp_path / "bad.tsv").write_text("pattern\tcategory\texplanation\tsource\nx\tc\t\ts\n", encoding="utf-8")
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--lexicon", str(tmp_path / "bad.tsv"),
                 "--no-progress"]) == 2
    assert "bad.tsv:2: missing explanation" in capsys.readouterr().err


def test_regression_scare_quote_rate_counts_scare_quotes_once():
    text = 'The "peacekeepers" and the "experts" met "brutal thugs" in the "safe zone".'
    analysis = analyze([_doc(text)])
    row = analysis.documents.iloc[0]
    scare = (analysis.hits.category == "scare_quote").sum()
    assert scare == 4
    assert row["rate_loaded_scare_quote"] == pytest.approx(scare * 1000 / row["n_words"])
    in_scare_voice = (analysis.hits.voice == "scare_quote").sum()
    # the author's voice: the writer's own words, the scare quotes and the words inside them included
    assert row["rate_loaded_author"] == pytest.approx((analysis.hits.lexicon == "loaded").sum() * 1000 / row["n_words"])
    assert row["rate_loaded_quoted"] == 0
    assert in_scare_voice >= 1


def test_regression_a_word_in_straight_single_quotes_is_matched():
    analysis = analyze([_doc("They called them 'thugs' and \u2018thugs\u2019; the group's thug arm.")])
    loaded = analysis.hits[(analysis.hits.lexicon == "loaded") & (analysis.hits.category != "scare_quote")]
    assert loaded.matched.str.lower().tolist() == ["thugs", "thugs", "thug"]


def test_regression_numeric_document_ids_survive_the_tables(tmp_path):
    from framing.tables import load_analysis
    from framing.views import document_profile

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "001.txt").write_text("Ruthless thugs fled, police said.", encoding="utf-8")
    write_tables(analyze(tmp_path / "in"), tmp_path / "t")
    back = load_analysis(tmp_path / "t")
    assert document_profile(back, "001").doc_id == "001" and back.texts["001"]
