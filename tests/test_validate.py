"""framing.validate: agreement statistics against published worked examples, and framing checked against small
inline codings whose right answers are known by construction."""

import math

import numpy as np
import pandas as pd
import pytest

from framing import validate as v
from framing.errors import CodingError

from conftest import analyse_texts

# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for Communication,
# University of Pennsylvania, departmental paper 43, section C ("nominal data, any number of observers, missing
# data"): 4 observers, 12 units, values 1-5. Published: nominal 0.743, ordinal 0.815, interval 0.849.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


@pytest.mark.parametrize("level,published", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_alpha_on_krippendorffs_own_worked_example(level, published):
    alpha = v.krippendorff_alpha(KRIPPENDORFF_2011, level=level, values=[1, 2, 3, 4, 5])
    assert round(alpha, 3) == published


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_agrees_with_the_krippendorff_package(level):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(1)
    data = rng.integers(0, 4, size=(3, 40)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    data[:, :25] = data[0, :25]  # some agreement, so alpha is far from 0
    data[0, 3] = np.nan
    ours = v.krippendorff_alpha([[None if np.isnan(x) else int(x) for x in row] for row in data], level=level,
                                values=[0, 1, 2, 3])
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=[0, 1, 2, 3])
    assert ours == pytest.approx(theirs, abs=1e-9)
    published = krippendorff.alpha(reliability_data=np.array(KRIPPENDORFF_2011, dtype=float),
                                   level_of_measurement=level)
    assert v.krippendorff_alpha(KRIPPENDORFF_2011, level=level, values=[1, 2, 3, 4, 5]) == pytest.approx(published)


def test_alpha_is_undefined_without_variation():
    assert math.isnan(v.krippendorff_alpha([["a", "a", "a"], ["a", "a", "a"]]))


def test_cohen_kappa_on_the_textbook_example():
    # the worked example of Cohen's kappa in Wikipedia's article (50 grant proposals, two readers):
    # both yes 20, A yes B no 5, A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert v.cohen_kappa(a, b) == pytest.approx(0.4)
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 3, 60), rng.integers(0, 3, 60)
    y[:30] = x[:30]
    assert v.cohen_kappa(list(x), list(y)) == pytest.approx(cohen_kappa_score(x, y))


TEXTS = {
    "d1": "The thug ran away. The council met on Monday. Officials may possibly decide later. "
          "It was a wonderful, happy day for the cronies.",
    "d2": "The gangster was arrested. Rain fell all day. The terrible attack killed ten people.",
}


@pytest.fixture(scope="module")
def analysis():
    return analyse_texts(**TEXTS)


def _coding(rows):
    return pd.DataFrame(rows, columns=["doc_id", "sentence_no", "text", "coder", "loaded", "tone", "topic"])


def test_framing_against_people_with_its_evidence_and_the_unmatched_listed(analysis):
    # two coders; framing's loaded hits: thug (d1 1), cronies (d1 4), gangster (d2 1); not terrible (d2 3), an evaluative word; the people
    # call d1 4 not loaded, and tie on d2 3
    rows = []
    for coder in ("A", "B"):
        rows += [
            ("d1", "1", "", coder, "yes", "neutral", "crime"),
            ("d1", "2", "", coder, "no", "neutral", "politics"),
            ("", "", "Officials  may possibly\ndecide later.", coder, "no", "neutral", "politics"),  # by text
            ("d1", "4", "", coder, "0", "positive", "other"),
            ("d2", "1", "", coder, "1", "negative", "crime"),
            ("d2", "2", "", coder, "no", "neutral", "weather"),
            ("d2", "3", "", coder, "yes" if coder == "A" else "no", "negative", "crime"),
            ("d9", "1", "", coder, "yes", "", ""),  # no such document
            ("", "", "A sentence nobody wrote.", coder, "no", "", ""),
        ]
    result = v.validate(_coding(rows), analysis, n_boot=200, seed=0)
    loaded = result.agreement.set_index("code").loc["loaded"]
    assert loaded["n_sentences"] == 7 and loaded["n_coders"] == 2 and loaded["n_ties"] == 1
    assert loaded["precision"] == pytest.approx(2 / 3) and loaded["recall"] == 1.0  # the tie is left out
    assert loaded["people_alpha"] < 1.0 and not math.isnan(loaded["people_alpha_low"])
    assert "hit of the loaded lexicon" in loaded["framing"]
    tie = result.disagreements[(result.disagreements["code"] == "loaded")]
    assert list(zip(tie["doc_id"], tie["sentence_no"])) == [("d1", 4), ("d2", 3)]
    assert list(tie["people"]) == ["no", "tie: no / yes"] and "'cronies'" in tie["evidence"].iloc[0]
    tone = result.agreement.set_index("code").loc["tone"]
    assert tone["level"] == "ordinal" and tone["n_ties"] == 0
    topic = result.agreement.set_index("code").loc["topic"]
    assert "no measure called 'topic'" in topic["note"] and topic["people_alpha"] == 1.0
    assert math.isnan(topic["f1"])
    # unmatched rows are listed, with why, once per coder
    assert len(result.unmatched) == 4
    assert set(result.unmatched["reason"]) == {"no sentence 1 in document 'd9'",
                                               "no sentence of the analysis has this text"}
    cells = result.confusion[result.confusion["code"] == "loaded"].set_index(["people", "framing"])["n"]
    assert cells[("yes", "yes")] == 2 and cells[("no", "no")] == 3 and cells[("yes", "no")] == 0 and cells[("no", "yes")] == 1


def test_a_disagreement_shows_framings_evidence(analysis):
    coding = _coding([("d1", "1", "", "A", "no", "", ""), ("d1", "2", "", "A", "no", "", "")])
    result = v.validate(coding[["doc_id", "sentence_no", "loaded"]], analysis, n_boot=50)
    row = result.disagreements.iloc[0]
    assert (row["sentence_no"], row["people"], row["framing"]) == (1, "no", "yes")
    assert "'thug' (loaded: crime_terror_label)" in row["evidence"]
    assert result.agreement["n_coders"].iloc[0] == 1 and math.isnan(result.agreement["people_alpha"].iloc[0])


def test_bootstrap_intervals_are_seeded(analysis):
    coding = _coding([(d, str(n), "", c, "yes" if (n + (c == "B")) % 2 else "no", "", "")
                      for d, k in (("d1", 4), ("d2", 3)) for n in range(1, k + 1) for c in "AB"])
    first = v.validate(coding[["doc_id", "sentence_no", "coder", "loaded"]], analysis, n_boot=100, seed=5)
    again = v.validate(coding[["doc_id", "sentence_no", "coder", "loaded"]], analysis, n_boot=100, seed=5)
    pd.testing.assert_frame_equal(first.agreement, again.agreement)
    assert first.agreement["people_alpha_low"].iloc[0] <= first.agreement["people_alpha"].iloc[0]


def test_labels_that_are_not_a_codes_values_are_a_clear_error(analysis):
    with pytest.raises(CodingError, match="'maybe' is not yes/no"):
        v.validate(pd.DataFrame({"doc_id": ["d1"], "sentence_no": ["1"], "hedge": ["maybe"]}), analysis)
    with pytest.raises(CodingError, match="'awful' is not negative, neutral or positive"):
        v.validate(pd.DataFrame({"doc_id": ["d1"], "sentence_no": ["1"], "tone": ["awful"]}), analysis)
    with pytest.raises(CodingError, match="need doc_id and sentence_no columns, or a text column"):
        v.validate(pd.DataFrame({"loaded": ["yes"]}), analysis)
    with pytest.raises(CodingError, match="no column 'frame'"):
        v.validate(pd.DataFrame({"text": ["x"], "loaded": ["yes"]}), analysis, codes=["frame"])


def test_ambiguous_text_is_unmatched_not_guessed():
    twice = analyse_texts(a="The same sentence here.", b="The same sentence here.")
    result = v.validate(pd.DataFrame({"text": ["The same sentence here."], "loaded": ["no"]}), twice, n_boot=0)
    assert result.unmatched["reason"].iloc[0].startswith("the text is 2 sentences")
    found = v.validate(pd.DataFrame({"doc_id": ["b"], "text": ["The same sentence here."], "loaded": ["no"]}),
                       twice, n_boot=0)
    assert found.unmatched.empty and found.agreement["n_sentences"].iloc[0] == 1


def test_hedges_and_categories_are_codes(analysis):
    coding = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "sentence_no": ["3", "2", "1"], "hedge": ["yes", "no", "no"],
                           "loaded_crime_terror_label": ["no", "no", "yes"]})
    result = v.validate(coding, analysis, n_boot=0).agreement.set_index("code")
    assert result.loc["hedge", "f1"] == 1.0 and result.loc["loaded_crime_terror_label", "f1"] == 1.0


def test_the_validate_command_writes_its_tables_and_exits_as_the_others(tmp_path, analysis, capsys):
    import framing
    from framing.cli import main

    tables = framing.write_tables(analysis, tmp_path / "tables")
    coded = tmp_path / "coded.csv"
    coded.write_text("doc_id,sentence_no,coder,loaded\nd1,1,A,yes\nd1,1,B,yes\nd1,2,A,no\nd1,2,B,yes\n",
                     encoding="utf-8")
    assert main(["validate", str(coded), "--tables", str(tables), "--out", str(tmp_path / "v"), "--n-boot", "50"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("loaded: 2 sentences, 2 coder(s); framing F1 ")
    assert pd.read_csv(tmp_path / "v" / "agreement.csv")["code"].tolist() == ["loaded"]
    assert main(["validate", str(coded), "--tables", str(tables), "--out", str(tmp_path / "v")]) == 0  # its own
    coded.write_text("doc_id,sentence_no,loaded\nd1,1,yes\nd1,99,no\n", encoding="utf-8")
    assert main(["validate", str(coded), "--tables", str(tables)]) == 1
    assert "not found: row 2 (d1 99): no sentence 99 in document 'd1'" in capsys.readouterr().err
    (tmp_path / "mine").mkdir()
    assert main(["validate", str(coded), "--tables", str(tables), "--out", str(tmp_path / "mine")]) == 2
    assert "framing did not make it" in capsys.readouterr().err
    coded.write_text("doc_id,sentence_no,loaded\nd1,1,perhaps\n", encoding="utf-8")
    assert main(["validate", str(coded), "--tables", str(tables)]) == 2
    assert "'perhaps' is not yes/no" in capsys.readouterr().err
    assert main(["validate", "--help"]) == 0 and "CODED.csv" in capsys.readouterr().out


def test_frame_and_quoted_codes():
    analysis = analyse_texts(q='The economy shrank last year. "We will fight on," the mayor said. Rain fell.')
    coding = pd.DataFrame({"doc_id": ["q"] * 3, "sentence_no": ["1", "2", "3"],
                           "frame": ["Economic", "none", "none"], "quoted": ["no", "yes", "no"]})
    result = v.validate(coding, analysis, n_boot=0)
    agreement = result.agreement.set_index("code")
    assert agreement.loc["frame", "kappa"] == 1.0 and agreement.loc["quoted", "kappa"] == 1.0
    assert result.disagreements.empty  # "Economic" read as framing spells the dimension
    assert "Policy Frames" in agreement.loc["frame", "framing"]
