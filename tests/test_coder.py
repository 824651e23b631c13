"""framing.coder: a coder trained on small inline coding, saved safely, read back, applied to an analysis; and the
`framing train` / `framing analyze --coder` commands."""

import hashlib
import json
import warnings

import pandas as pd
import pytest

import framing
from framing import coder as coders
from framing.cli import main
from framing.compare import profiles
from framing.errors import CoderError, CoderVersionWarning, CodingError
from framing.model import Document

SPORT = ["The striker scored a late goal in the match.", "The team won the cup final on penalties.",
         "Fans cheered as the keeper saved the penalty.", "The coach praised the players after the match.",
         "A late goal sealed the win for the home team.", "The league title went to the visiting team.",
         "The referee sent off a defender in the second half.", "The players trained before the cup match.",
         "The goal came from a corner kick.", "The team lost the away match."]
POLITICS = ["The minister announced a new budget for schools.", "Parliament voted on the tax bill on Monday.",
            "The government defended its spending plans.", "The opposition criticised the minister's budget.",
            "A vote on the bill was delayed by parliament.", "The prime minister met the cabinet.",
            "The tax plans were debated in parliament.", "The minister resigned after the vote.",
            "The government lost the vote on the budget.", "The election campaign began with a speech."]


@pytest.fixture(scope="module")
def coded_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("coding") / "coded.csv"
    rows = [{"text": t, "coder": "A", "topic": "sport"} for t in SPORT] + \
           [{"text": t, "coder": "A", "topic": "politics"} for t in POLITICS] + \
           [{"text": SPORT[0], "coder": "B", "topic": "sport"}, {"text": POLITICS[0], "coder": "B", "topic": "sport"}]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def trained(coded_file):
    return coders.train(coded_file, code="topic", folds=3, n_boot=100)


@pytest.fixture(scope="module")
def saved(trained, tmp_path_factory):
    return coders.save_coder(trained, tmp_path_factory.mktemp("coders") / "topic")


def test_the_card_says_what_the_coder_saw_and_how_well_it_codes(trained, coded_file):
    card = trained.card
    # POLITICS[0]: coders A (politics) and B (sport) tie, so it is left out; SPORT[0] is one sentence
    assert card["training_data"]["labels"] == {"politics": 9, "sport": 10}
    assert card["training_data"]["n_ties_left_out"] == 1
    assert card["training_data"]["sha256"] == hashlib.sha256(coded_file.read_bytes()).hexdigest()
    cv = card["cross_validation"]
    assert cv["folds"] == 3 and cv["low"] <= cv["macro_f1"] <= cv["high"] and cv["macro_f1"] > 0.6
    sizes = [point["n_sentences"] for point in card["learning_curve"]]
    assert len(sizes) == 5 and sizes == sorted(sizes)
    telling = {label: [name for name, _ in features] for label, features in card["top_features"].items()}
    assert any(name in ("word: minister", "word: vote", "word: budget", "word: parliament")
               for name in telling["politics"])
    assert any(name in ("word: match", "word: team", "word: goal") for name in telling["sport"])
    assert set(card["versions"]) >= {"framing", "scikit-learn", "skops", "numpy"}


def test_framing_features_read_the_sentence_alone():
    features = coders.framing_features(['Police said the "thug" was undoubtedly a vicious narco-terrorist.',
                                        'The "peacekeepers" arrived in town.'])
    said, scare = features.iloc[0], features.iloc[1]
    assert said["hits_loaded_crime_terror_label"] == 2 and said["hits_boosters_certainty"] == 1
    assert said["hits_attribution"] == 1 and said["speech_indirect"] == 1 and said["speech_partial"] == 1
    assert said["tone"] < 0 and said["tone_negative"] == 1 and said["n_words"] == 9
    assert scare["speech_scare"] == 1 and scare["hits_loaded_scare_quote"] == 1
    assert list(features.columns) == coders.feature_columns()


def test_saved_with_skops_trusted_types_only_and_read_back(saved, trained):
    import skops.io

    assert set(skops.io.get_untrusted_types(file=saved / coders.MODEL_FILE)) <= set(coders.TRUSTED)
    assert (saved / "card.md").read_text(encoding="utf-8").startswith("# Coder `topic` (code `topic`)")
    back = coders.load_coder(saved)
    texts = ["The goal won the match.", "The minister lost the vote."]
    assert coders.predict(back, texts) == coders.predict(trained, texts)
    assert coders.predict(back, texts)[0] == ["sport", "politics"]


def test_a_malformed_coder_folder_is_a_clear_error(saved, tmp_path):
    with pytest.raises(CoderError, match="no such coder folder"):
        coders.load_coder(tmp_path / "nothing")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "card.json").write_text((saved / "card.json").read_text())
    with pytest.raises(CoderError, match="not a coder folder: model.skops missing"):
        coders.load_coder(broken)
    (broken / "model.skops").write_bytes(b"not a zip file")
    with pytest.raises(CoderError, match="model.skops: not a readable coder model"):
        coders.load_coder(broken)
    (broken / "model.skops").write_bytes((saved / "model.skops").read_bytes())
    (broken / "card.json").write_text("{}")
    with pytest.raises(CoderError, match="card.json: not a coder's card"):
        coders.load_coder(broken)


def test_a_coder_trained_with_other_versions_warns(saved, tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    (old / "model.skops").write_bytes((saved / "model.skops").read_bytes())
    card = json.loads((saved / "card.json").read_text())
    card["versions"]["scikit-learn"] = "0.24.0"
    (old / "card.json").write_text(json.dumps(card))
    with pytest.warns(CoderVersionWarning, match="trained with scikit-learn 0.24.0"):
        coders.load_coder(old)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coders.load_coder(saved)  # the same versions: no warning


def test_training_needs_two_labels_with_enough_sentences(tmp_path):
    with pytest.raises(CoderError, match="at least two labels"):
        coders.train(pd.DataFrame({"text": SPORT, "topic": "sport"}), code="topic")
    with pytest.raises(CoderError, match="label 'politics' has 2 sentences; each label needs at least 5"):
        coders.train(pd.DataFrame({"text": SPORT + POLITICS[:2], "topic": ["sport"] * 10 + ["politics"] * 2}),
                     code="topic")
    with pytest.raises(CodingError, match="no column 'frame'"):
        coders.train(pd.DataFrame({"text": SPORT, "topic": "sport"}), code="frame")


def test_applied_coders_label_sentences_and_give_shares_per_document_and_group(saved):
    documents = [Document("s1", SPORT[1] + " " + SPORT[2], "s1.txt", "txt", outlet="A"),
                 Document("p1", POLITICS[1] + " " + POLITICS[2] + " " + SPORT[3], "p1.txt", "txt", outlet="B")]
    analysis = framing.analyze(documents, coders=[saved])
    sentences = analysis.sentences
    assert list(sentences["coder_topic_label"]) == ["sport", "sport", "politics", "politics", "sport"]
    assert sentences["coder_topic_prob"].between(0.5, 1).all()
    shares = analysis.documents.set_index("doc_id")["share_coder_topic__sport"]
    assert shares["s1"] == 1.0 and shares["p1"] == pytest.approx(1 / 3)
    assert analysis.run["coders"]["topic"]["labels"] == ["politics", "sport"]
    table = profiles(analysis, "outlet", n_boot=50).table.set_index(["group", "measure"])
    assert table.loc[("B", "share_coder_topic__politics"), "value"] == pytest.approx(2 / 3)
    assert table.loc[("B", "share_coder_topic__politics"), "kind"] == "coder"


def test_the_train_and_analyze_commands(coded_file, saved, tmp_path, capsys):
    out = tmp_path / "coder"
    assert main(["train", str(coded_file), "--code", "topic", "--out", str(out), "--folds", "3"]) == 0
    assert "coder 'topic' trained on 19 sentences (politics 9, sport 10)" in capsys.readouterr().err
    assert (out / "model.skops").is_file() and (out / "card.json").is_file()
    assert main(["train", str(coded_file), "--code", "nope", "--out", str(tmp_path / "x")]) == 2
    assert "no column 'nope'" in capsys.readouterr().err
    (tmp_path / "mine").mkdir()
    assert main(["train", str(coded_file), "--code", "topic", "--out", str(tmp_path / "mine"), "--folds", "3"]) == 2
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(" ".join(SPORT[:3]), encoding="utf-8")
    (corpus / "b.txt").write_text(" ".join(POLITICS[:3]), encoding="utf-8")
    tables = tmp_path / "tables"
    assert main(["analyze", str(corpus), "--out", str(tables), "--coder", str(out), "--no-progress", "--jobs", "1"]) == 0
    sentences = pd.read_csv(tables / "sentences.csv")
    assert list(sentences.columns[-2:]) == ["coder_topic_label", "coder_topic_prob"]
    documents = pd.read_csv(tables / "documents.csv")
    assert list(documents["share_coder_topic__sport"]) == [1.0, 0.0]
    assert json.loads((tables / "run.json").read_text())["coders"]["topic"]["code"] == "topic"
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "t2"), "--coder", str(tmp_path / "none"),
                 "--no-progress"]) == 2
    assert "no such coder folder" in capsys.readouterr().err and not (tmp_path / "t2").exists()
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "t3"), "--coder", str(out), "--format", "parquet",
                 "--no-progress"]) == 2
    assert main(["train", "--help"]) == 0 and "--code NAME" in capsys.readouterr().out


def test_training_text_found_by_doc_id_and_sentence_no(tmp_path):
    analysis = framing.analyze([Document("s", " ".join(SPORT), "s.txt", "txt"),
                                Document("p", " ".join(POLITICS), "p.txt", "txt")])
    coding = pd.DataFrame({"doc_id": ["s"] * 10 + ["p"] * 10, "sentence_no": [f"{n}.0" for n in range(1, 11)] * 2,
                           "topic": ["sport"] * 10 + ["politics"] * 10})
    table, ties = coders.training_table(coding, code="topic", analysis=analysis)
    assert ties == 0 and list(table["text"][:2]) == SPORT[:2] and len(table) == 20
    with pytest.raises(CodingError, match="20 coded rows have no text"):
        coders.training_table(coding, code="topic")


def _outlet_corpus(folder):
    folder.mkdir()
    (folder / "sport.txt").write_text(" ".join(SPORT[1:4]), encoding="utf-8")
    (folder / "politics.txt").write_text(" ".join(POLITICS[1:3] + SPORT[4:5]), encoding="utf-8")
    (folder / "metadata.csv").write_text("file,outlet\nsport.txt,Sports Daily\npolitics.txt,Politics Post\n",
                                         encoding="utf-8")
    return folder


def test_a_coder_measure_has_a_label_made_from_its_name():
    # a coder "frame_x" labelling "yes", not a coder "frame" labelling "x_yes": the name and the label are joined
    # by two underscores
    from framing import measure, views

    column = measure.coder_share("frame_x", "Yes")
    assert column == "share_coder_frame_x__yes"
    assert views.label(column) == "Coder 'frame_x': sentences labelled yes (% of sentences)"
    assert views.label("coder_frame_x_prob", unit=False) == "Coder 'frame_x': probability"
    assert views.term("share_coder_babe_bias__non_biased").label == "Coder 'babe_bias': sentences labelled non_biased"


def test_a_report_shows_the_coder_like_any_measure(saved, tmp_path, capsys):
    from html import unescape

    corpus = _outlet_corpus(tmp_path / "corpus")
    out = tmp_path / "report"
    assert main(["report", str(corpus), "--out", str(out), "--coder", str(saved), "--jobs", "1",
                 "--no-progress"]) == 0
    documents = pd.read_csv(out / "tables" / "documents.csv").set_index("doc_id")
    assert documents.loc["sport", "share_coder_topic__sport"] == 1.0
    assert documents.loc["politics", "share_coder_topic__politics"] == pytest.approx(2 / 3)
    shown = "Coder 'topic': sentences labelled politics"
    comparison = unescape((out / "corpus_comparison.html").read_text(encoding="utf-8"))
    assert "Trained coders" in comparison and shown in comparison
    page = unescape(next(p for p in out.rglob("*.html") if p.name.startswith("document_politics")).read_text(encoding="utf-8"))
    assert shown in page and "66.7%" in page  # this document's share, beside its group's and the corpus's
    index = unescape((out / "index.html").read_text(encoding="utf-8"))
    assert shown in index  # the key measures by outlet
    outlets = [unescape(p.read_text(encoding="utf-8")) for p in sorted(out.glob("outlet_*.html"))]
    assert outlets and all(shown in page for page in outlets)  # each outlet against the rest
    methods = unescape((out / "methods.md").read_text(encoding="utf-8"))
    assert "Trained coders" in methods and "| topic | topic | politics, sport |" in methods


def test_a_report_with_a_coder_renders_its_pages_again(saved, tmp_path, monkeypatch):
    from framing import report

    def fake(pending, out, **kwargs):  # no kernel: the cache is what is tested
        for job in pending:
            (out / job.page).parent.mkdir(parents=True, exist_ok=True)
            (out / job.page).write_text(f"page of {job.name}", encoding="utf-8")
            (out / "notebooks").mkdir(exist_ok=True)
            (out / "notebooks" / f"{job.name}.ipynb").write_text("{}", encoding="utf-8")
            job.status = "ok"

    monkeypatch.setattr(report, "_run_jobs", fake)
    corpus = _outlet_corpus(tmp_path / "corpus")
    out = tmp_path / "report"
    report.build_report([corpus], out, progress=False, jobs=1)
    with_coder = report.build_report([corpus], out, progress=False, jobs=1, coders=[saved])
    assert {job.status for job in with_coder.jobs} == {"ok"}
    again = report.build_report([corpus], out, progress=False, jobs=1, coders=[saved])
    assert {job.status for job in again.jobs} == {"cached"}
    assert "share_coder_topic__sport" in pd.read_csv(out / "tables" / "documents.csv").columns


def test_a_coder_with_the_sentence_embedding_is_saved_safely_and_codes(coded_file, tmp_path, monkeypatch):
    pytest.importorskip("wordllama")
    trained = coders.train(coded_file, code="topic", folds=3, n_boot=50, learning_curve=False, embedding=True)
    assert coders.uses_embedding(trained.pipeline)
    card = trained.card
    assert card["embedding"]["package"] == "wordllama" and "wordllama" in card["versions"]
    assert "sentence embedding" in card["model"]
    # the card's features are the readable half's: words and framing's features
    assert any(name.startswith("word: ") for name, _ in card["top_features"]["politics"])
    vectors = coders.sentence_embeddings(["The goal won the match.", ""])
    assert vectors.shape == (2, coders.EMBEDDING_DIMENSIONS)
    assert abs((vectors[0] ** 2).sum() - 1) < 1e-9 and not vectors[1].any()  # unit length; no token, no vector
    out = coders.save_coder(trained, tmp_path / "topic")
    import skops.io

    assert set(skops.io.get_untrusted_types(file=out / coders.MODEL_FILE)) <= set(coders.TRUSTED)
    back = coders.load_coder(out)
    texts = ["The goal won the match.", "The minister lost the vote."]
    assert coders.predict(back, texts) == coders.predict(trained, texts)
    assert coders.predict(back, texts)[0] == ["sport", "politics"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coders.load_coder(out)  # the same package and vectors: no warning
    # other vectors than the ones it was trained on: a warning, as for other versions
    card = json.loads((out / "card.json").read_text())
    card["embedding"]["weights_sha256"] = "0" * 64
    (out / "card.json").write_text(json.dumps(card))
    with pytest.warns(CoderVersionWarning, match="other sentence vectors"):
        coders.load_coder(out)
    # read where the optional package is missing: one clear error naming the remedy
    monkeypatch.setattr(coders, "_embedding_version", lambda: "not installed")
    with pytest.raises(CoderError, match=r"pip install 'wordllama>=0.4,<0.5'"):
        coders.load_coder(out)


def test_regression_one_long_sentence_padded_every_sentence_s_embedding():
    pytest.importorskip("wordllama")
    # the bundled tokenizer padded a batch to its longest sentence (20,000 sentences beside one of 5,000 words took
    # 9.3 GB); each sentence's vector must not depend on the others in the batch
    short = "The minister lost the vote."
    alone = coders.sentence_embeddings([short])
    beside_a_long_one = coders.sentence_embeddings([short, "word " * 3000])
    assert (alone[0] == beside_a_long_one[0]).all()
    assert coders._wordllama().tokenizer.padding is None


def test_the_train_command_with_the_embedding(coded_file, tmp_path, capsys):
    pytest.importorskip("wordllama")
    out = tmp_path / "coder"
    assert main(["train", str(coded_file), "--code", "topic", "--out", str(out), "--folds", "3", "--embedding"]) == 0
    assert "trained on 19 sentences" in capsys.readouterr().err
    card = json.loads((out / "card.json").read_text())
    assert card["embedding"]["model"] == coders.EMBEDDING_MODEL and len(card["embedding"]["weights_sha256"]) == 64
    assert main(["train", "--help"]) == 0 and "--embedding" in capsys.readouterr().out


def test_the_sentence_embedding_without_its_package_is_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_wordllama(name, *args, **kwargs):
        if name.startswith("wordllama"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    coders._wordllama.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_wordllama)
    try:
        with pytest.raises(CoderError, match=r"needs the optional wordllama package"):
            coders.sentence_embeddings(["A sentence."])
    finally:
        coders._wordllama.cache_clear()
