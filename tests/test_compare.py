"""framing.compare on tiny corpora where the right answer is known by construction."""

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import framing  # noqa: E402
from framing import compare, plots  # noqa: E402
from framing import views  # noqa: E402
from framing.errors import CompareError, GroupingError  # noqa: E402
from framing.model import Document  # noqa: E402


def make(docs):
    return framing.analyze([Document(doc_id=doc_id, text=text, source="x", format="txt", outlet=outlet)
                            for doc_id, outlet, text in docs])


NEUTRAL = ("The council met on Monday to discuss the budget. Members reviewed the plans for the new library. "
           "The meeting lasted two hours. A vote is expected next month. Residents may attend the next session. "
           "The report was published online. ")


@pytest.fixture(scope="module")
def two_outlets():
    """Outlet A says 'zorblax' in every document; B never does. Otherwise the texts are the same."""
    a = [(f"a{i}", "A", NEUTRAL + "The zorblax plan was discussed again. Zorblax critics were present.")
         for i in range(3)]
    b = [(f"b{i}", "B", NEUTRAL + "The transport plan was discussed again. Transport critics were present.")
         for i in range(3)]
    return make(a + b)


@pytest.fixture(scope="module")
def identical():
    """Two outlets publishing the same hedged, loaded text."""
    text = ("Police said the so-called gang may have fled. It is probably the worst crime this year, reportedly. "
            "Officials clearly want answers. The mayor allegedly resigned. ") * 4
    return make([("x1", "X", text), ("y1", "Y", text)])


def test_fightin_words_a_word_only_one_group_uses_is_its_most_distinctive(two_outlets):
    table = compare.fightin_words(two_outlets, "outlet")
    top_a = table[table.group == "A"].sort_values("z", ascending=False).iloc[0]
    top_b = table[table.group == "B"].sort_values("z", ascending=False).iloc[0]
    assert top_a.term == "zorblax" and top_a.z > 0
    assert top_b.term == "transport"
    assert table[(table.group == "A") & (table.term == "zorblax")]["count_group"].item() == 6
    # a shared word is not distinctive
    assert abs(table[(table.group == "A") & (table.term == "council")]["z"].item()) < 0.5
    pair = compare.fightin_words(two_outlets, "outlet", focus="A", against="B")
    assert set(pair.against) == {"B"} and pair.iloc[0].term == "zorblax"


def test_fightin_words_formula_matches_monroe_by_hand():
    analysis = make([("a", "A", "cat cat dog."), ("b", "B", "dog dog cat.")])
    table = compare.fightin_words(analysis, "outlet", focus="A", prior=10, ngram_range=(1, 1))
    row = table.set_index("term").loc["cat"]
    y = {"cat": 3, "dog": 3}
    a0, alpha = 10.0, 10.0 * y["cat"] / 6
    delta = math.log((2 + alpha) / (3 + a0 - 2 - alpha)) - math.log((1 + alpha) / (3 + a0 - 1 - alpha))
    assert row.delta == pytest.approx(delta)
    assert row.z == pytest.approx(delta / math.sqrt(1 / (2 + alpha) + 1 / (1 + alpha)))


def test_hyphenated_words_stay_whole_and_lexicon_terms_are_marked():
    analysis = make([("a", "A", "Narco-terrorists run the port. The port is busy."),
                     ("b", "B", "Traders run the port. The port is busy.")])
    table = compare.fightin_words(analysis, "outlet", focus="A")
    row = table.set_index("term").loc["narco-terrorists"]
    assert row.lexicon_term and "crime_terror_label" in row.lexicon_entries
    assert not table.set_index("term").loc["port"].lexicon_term


def test_keyness_ranks_the_one_group_word_first_and_matches_chi2_with_yates(two_outlets):
    table = compare.keyness(two_outlets, "outlet", target="A")
    assert table.iloc[0].feature == "zorblax" and table.iloc[0].stat > 0
    assert table.set_index("feature").loc["transport"].stat < 0      # signed: B's word is negative for A
    lr = compare.keyness(two_outlets, "outlet", target="A", measure="lr")
    assert lr.iloc[0].feature == "zorblax"
    # quanteda's own test: d1 = "b b b b b b b a a a", d2 = "a a a a a a a b b" equals chisq.test(correct=TRUE)
    scipy_stats = pytest.importorskip("scipy.stats")
    analysis = make([("d1", "d1", "b b b b b b b a a a"), ("d2", "d2", "a a a a a a a b b")])
    row = compare.keyness(analysis, "outlet", target="d1").set_index("feature").loc["a"]
    expected = scipy_stats.chi2_contingency([[3, 7], [7, 2]], correction=True)
    assert abs(row.stat) == pytest.approx(expected.statistic)
    assert row.stat < 0 and row.p == pytest.approx(expected.pvalue)


def test_identical_groups_show_no_difference(identical):
    profile = compare.profiles(identical, "outlet", n_boot=500, seed=1)
    for measure in ("rate_hedges", "rate_loaded", "sentiment_mean", "hedge_booster_balance"):
        row = compare.differences(profile, measure).iloc[0]
        assert row.method == "bootstrap difference"
        assert row.verdict == "no clear difference" and row.low <= 0 <= row.high
    lines = compare.summarise(identical, "outlet", profile=profile)
    assert any(line.startswith("No clear difference in hedging between X and Y") for line in lines)
    assert not any("scores higher" in line for line in lines)


def test_differences_refuses_a_table_without_replicates_instead_of_switching_method(identical):
    # it used to fall back silently to comparing intervals when DataFrame.attrs had lost the replicates
    profile = compare.profiles(identical, "outlet", n_boot=50, seed=1)
    with pytest.raises(CompareError, match="needs the Profile"):
        compare.differences(profile.table, "rate_hedges")
    with pytest.raises(CompareError, match="no bootstrap replicates"):
        compare.differences(compare.profiles(identical, "outlet", n_boot=0), "rate_hedges")


def test_each_measure_is_one_number_in_documents_group_profile_and_profiles():
    text = ("Police said the self-styled gang \"probably\" fled. The 'thugs' left town. "
            "\"We will clearly win,\" the gang boasted. The mayor allegedly resigned, reportedly.")
    analysis = framing.analyze([Document(doc_id="d1", text=text, source="x", format="txt", outlet="A"),
                                Document(doc_id="d2", text=text[:90], source="x", format="txt", outlet="B")],
                               targets="police=police|officers")
    by_document = compare.profiles(analysis, "document", n_boot=0).table.set_index(["group", "measure"])["value"]
    grouped = views.group_profile(analysis, "document").set_index("group")
    documents = analysis.documents.set_index("doc_id")
    shared = [m for m in compare.profiles(analysis, "document", n_boot=0).measures if m in documents]
    assert {"rate_loaded_author", "rate_loaded_quoted", "share_attributed", "hedge_booster_balance_author",
            "target_police_sentiment", "target_police_share"} <= set(shared)
    for doc_id in ("d1", "d2"):
        for name in shared:
            expected = documents.loc[doc_id, name]
            for value in (by_document.loc[(doc_id, name)], grouped.loc[doc_id, name]):
                assert (math.isnan(expected) and math.isnan(value)) or value == pytest.approx(expected), name
    # the author's voice includes the words inside the scare quote ('thugs') and the writer's wording of what
    # police said ('self-styled'); the partial quote ("probably") is the police's
    hits = analysis.hits[analysis.hits.doc_id == "d1"]
    words = documents.loc["d1", "n_words"]
    author = hits[(hits.lexicon == "loaded") & hits.voice.isin(["author", "scare_quote", "indirect"])]
    assert documents.loc["d1", "rate_loaded_author"] == pytest.approx(len(author) * 1000 / words)
    assert (author.voice == "scare_quote").any() and (author.voice == "indirect").any()


def test_a_real_difference_is_called():
    hedged = "It may possibly rain, perhaps. It could be wet, apparently. " * 10
    plain = "It rains. It is wet. The road is closed. Buses run late. " * 10
    profile = compare.profiles(make([("h", "H", hedged), ("p", "P", plain)]), "outlet", n_boot=500)
    row = compare.differences(profile, "rate_hedges").iloc[0]
    assert row.verdict == "H higher" and row.low > 0


def test_profiles_rates_and_bootstrap_are_reproducible(identical):
    first = compare.profiles(identical, "outlet", n_boot=300, seed=7)
    again = compare.profiles(identical, "outlet", n_boot=300, seed=7)
    other = compare.profiles(identical, "outlet", n_boot=300, seed=8)
    pd.testing.assert_frame_equal(first.table, again.table)
    assert not np.allclose(first.table["low"].fillna(0), other.table["low"].fillna(0))
    first = first.table
    # value = hits / words * 1000 for the group, matching the documents table
    row = first[(first.group == "X") & (first.measure == "rate_hedges")].iloc[0]
    document = identical.documents.set_index("doc_id").loc["x1"]
    hits = ((identical.hits.doc_id == "x1") & (identical.hits.lexicon == "hedges")).sum()
    assert row.value == pytest.approx(hits / row.n_words * 1000)
    assert row.value == pytest.approx(document.rate_hedges, rel=0.05)
    assert row.low <= row.value <= row.high


def test_copied_document_is_a_near_duplicate():
    original = ("Ministers announced a new scheme for rural broadband on Tuesday. The plan covers three hundred "
                "villages and costs forty million pounds. Critics said the money would arrive too late. ") * 3
    analysis = make([("orig", "A", original), ("copy", "B", original + " Shared from our partners."),
                     ("other", "C", "The football season opened with a draw. Fans sang in the rain all night.")])
    pairs = compare.near_duplicates(analysis)
    assert [set(pair) for pair in zip(pairs.doc_a, pairs.doc_b)] == [{"copy", "orig"}]
    assert pairs.iloc[0].similarity > 0.9
    table = compare.similarity(analysis)
    assert table.shape == (3, 3) and table.loc["orig", "other"] < 0.3


def test_label_choice_counts():
    analysis = make([
        ("a", "A", "The gangsters fled. Police said the gangster was armed. A criminal was caught."),
        ("b", "B", "The suspects fled. Officers said a suspect was armed. Migrants arrived by boat."),
        ("c", "C", "Illegal immigrants arrived. An illegal immigrant was held by police."),
    ])
    choice = compare.label_choice(analysis, "outlet").set_index(["group", "label_group", "name"])
    assert choice.loc[("A", "albanian_criminals", "gangster"), "count"] == 2
    assert choice.loc[("A", "albanian_criminals", "criminal"), "count"] == 1
    assert choice.loc[("A", "albanian_criminals", "gangster"), "share"] == pytest.approx(2 / 3)
    assert choice.loc[("B", "albanian_criminals", "suspect"), "count"] == 2
    assert choice.loc[("B", "police", "officer"), "count"] == 1
    assert choice.loc[("C", "migrants", "illegal immigrant"), "count"] == 2   # the longest name wins
    assert ("C", "migrants", "immigrant") not in choice.index
    assert choice.loc[("C", "police", "police"), "count"] == 1


def test_labels_and_frames_are_not_measuring_lexicons():
    analysis = make([("a", "A", "The gangster met the police about the economy and taxes.")])
    assert set(analysis.hits.lexicon) <= {"loaded", "hedges", "boosters", "attribution"}
    assert "labels" not in analysis.run["lexicons"] and "frames" not in analysis.run["lexicons"]


def test_frame_mix_economic_sentence():
    analysis = make([("e", "A", "The economy grew as taxes fell, jobs rose and the budget showed a profit. "
                                "The weather was fine.")])
    mix = compare.frame_mix(analysis).set_index("dimension")
    assert mix.loc["economic", "sentences"] == pytest.approx(1.0)
    assert mix["share"].sum() == pytest.approx(1.0)
    first_sentence = compare.frame_mix(make([("e", "A", "The economy grew as taxes fell and jobs rose.")]))
    assert first_sentence.set_index("dimension").loc["economic", "share"] == 1.0


def test_frame_mix_ties_are_shared():
    mix = compare.frame_mix(make([("t", "A", "The police checked the budget.")])).set_index("dimension")
    assert mix.loc["economic", "sentences"] == pytest.approx(0.5)
    assert mix.loc["crime_and_punishment", "sentences"] == pytest.approx(0.5)


def test_summarise_names_a_supported_difference():
    loaded = "The self-styled junta's thugs and vermin staged a sham. " * 8
    plain = "The government held a vote. The result was announced. " * 8
    lines = compare.summarise(make([("l", "L", loaded), ("p", "P", plain)]), "outlet", n_boot=300)
    assert any(line.startswith("L scores higher than P on loaded terms") for line in lines)


def test_figures_are_figures(two_outlets):
    profile = compare.profiles(two_outlets, "outlet", n_boot=100)
    figures = [plots.profile_intervals(profile, measures=["rate_hedges", "sentiment_mean"]),
               plots.hedges_boosters_intervals(profile),
               plots.distinctive_words_chart(compare.fightin_words(two_outlets, "outlet"), n=5),
               plots.frame_mix_bars(compare.frame_mix(two_outlets, "outlet")),
               plots.similarity_heatmap(compare.similarity(two_outlets))]
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figures)
    for figure in figures:
        assert all(ax.get_xlabel() for ax in figure.axes if ax.get_label() != "<colorbar>")
        matplotlib.pyplot.close(figure)


def test_sourcing_counts_speakers_and_says_who_each_group_quotes():
    tabloid = ('"We run this town," the gangster said. "Nobody stops us," he said. A source close to the gang '
               "claimed the police were afraid. Police said the streets were safe.")
    paper = "The council met on Monday. The budget was approved."
    analysis = make([("t", "Tabloid", tabloid), ("p", "Paper", paper)])
    table = compare.speakers(analysis, "outlet").set_index(["group", "speaker"])
    assert table.loc[("Tabloid", "the gangster"), "n"] == 2
    assert table.loc[("Tabloid", "the gangster"), "role"] == "anonymous"
    assert table.loc[("Tabloid", "police"), "role"] == "police"
    assert table.loc[("Tabloid", "A source close to the gang"), "loaded_cues"] == 1
    lines = compare.sourcing_sentences(analysis, "outlet")
    assert lines[0] == "Paper quotes no one by name or description."
    assert lines[1].startswith("Tabloid quotes an unnamed gangster twice")
    assert "3 of its 4 attributed statements come from anonymous sources" in lines[1]
    profile = compare.profiles(analysis, "outlet", n_boot=50).table.set_index(["group", "measure"])["value"]
    assert profile[("Tabloid", "share_anonymous")] == pytest.approx(3 / 4)
    assert profile[("Tabloid", "share_role_police")] == pytest.approx(1 / 4)
    assert math.isnan(profile[("Paper", "share_anonymous")])


def _documents(rates_a, rates_b):
    """A documents table: outlet A's documents with loaded-term rates ``rates_a``, B's ``rates_b``."""
    rows = [{"doc_id": f"{outlet.lower()}{i}", "outlet": outlet, "n_words": 1000, "n_sentences": 50,
             "rate_loaded": rate, "sentiment_mean": 0.0}
            for outlet, rates in (("A", rates_a), ("B", rates_b)) for i, rate in enumerate(rates)]
    return pd.DataFrame(rows)


def test_against_rest_names_a_difference_only_when_its_interval_excludes_zero():
    clear = compare.against_rest(_documents([9, 10, 11, 10], [1, 2, 1, 2, 1]), "outlet", "A", n_boot=500)
    loaded = clear.set_index("measure").loc["rate_loaded"]
    assert loaded["group_b"] == "all other outlets"
    assert loaded["value_a"] == pytest.approx(10.0) and loaded["value_b"] == pytest.approx(1.4)
    assert loaded["low"] > 0 and loaded["verdict"] == "A higher"
    assert clear.set_index("measure").loc["sentiment_mean", "verdict"] == "no clear difference"
    sentences = compare.against_rest_sentences(clear)
    assert sentences == [s for s in sentences if s.startswith("A uses loaded terms more than all other outlets: "
                                                               "10.0 against 1.4 per 1,000 words")]
    noisy = compare.against_rest(_documents([0, 20, 1, 19], [10, 9, 11, 10]), "outlet", "A", n_boot=500)
    assert noisy.set_index("measure").loc["rate_loaded", "verdict"] == "no clear difference"
    assert compare.against_rest_sentences(noisy) == [
        "On these measures A cannot be told apart from all other outlets: every 95% interval of the difference "
        "includes zero."]


def test_against_rest_of_a_group_that_is_the_whole_corpus_says_there_is_no_rest():
    alone = compare.against_rest(_documents([1, 2], []), "outlet", "A", n_boot=50)
    assert set(alone["verdict"]) == {"no comparison: every document is in A"}


def test_pick_group_defaults_to_the_first_and_names_close_groups():
    documents = _documents([1], [2]).assign(outlet=["The Ledger", "Morning Post"])
    assert compare.pick_group(documents, "outlet") == "Morning Post"
    assert compare.pick_group(documents, "outlet", "The Ledger") == "The Ledger"
    with pytest.raises(GroupingError, match="no document has outlet 'The Ledgr'; did you mean 'The Ledger'"):
        compare.pick_group(documents, "outlet", "The Ledgr")
