import json

import pandas as pd

from framing.cli import main

from conftest import SEEDS


def test_analyze_seeds_writes_the_tables(tmp_path):
    out = tmp_path / "out"
    assert main(["analyze", str(SEEDS), "--out", str(out), "--no-progress"]) == 0
    documents = pd.read_csv(out / "documents.csv")
    assert list(documents.columns[:10]) == ["doc_id", "source", "format", "outlet", "title", "author", "date", "url",
                                            "n_words", "n_sentences"]
    assert len(documents) == 5 and (documents["n_sentences"] > 5).all()
    assert list(pd.read_csv(out / "errors.csv").columns) == ["source", "reason"]
    run = json.loads((out / "run.json").read_text())
    assert run["framing_version"] and run["arguments"][0] == "analyze" and run["started"]


def test_exit_one_when_some_inputs_were_skipped(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("A sentence with words.", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    assert main(["analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress"]) == 1
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert errors["source"].str.endswith("empty.txt").tolist() == [True]
    assert len(pd.read_csv(tmp_path / "out" / "documents.csv")) == 1


def test_exit_two_when_nothing_could_be_read(tmp_path):
    assert main(["analyze", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--no-progress"]) == 2


def test_exit_two_on_a_usage_error(tmp_path, capsys):
    assert main(["analyze", "--out"]) == 2
    assert "usage" in capsys.readouterr().err
