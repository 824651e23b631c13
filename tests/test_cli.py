"""The framing command (framing/cli.py): exit statuses, usage errors, options declared once and passed on alike."""

import argparse
import json

import pandas as pd

from framing import report, run
from framing.cli import COLUMN_ROLES, build_parser, main
from framing.errors import FramingError

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


def test_report_without_a_path_is_a_usage_error_naming_what_to_give(capsys):
    # `framing report` alone once reported on the repository's seeds/ into reports/seeds
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert "usage: framing report" in err and "PATH" in err and "--out" in err
    assert main(["report", "corpus/"]) == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def _subcommands():
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices


def _options(parser):
    return {option: action for action in parser._actions for option in action.option_strings}


CORPUS_OPTIONS = ["--lexicon", "--targets", "--metadata", *(f"--{role}-column" for role in COLUMN_ROLES)]
RUN_OPTIONS = ["--jobs", "--no-progress"]


def test_shared_options_are_declared_once_and_mean_the_same_everywhere():
    commands = _subcommands()
    uses = {"analyze": CORPUS_OPTIONS + RUN_OPTIONS, "report": CORPUS_OPTIONS + RUN_OPTIONS,
            "highlight": CORPUS_OPTIONS}
    for option in CORPUS_OPTIONS + RUN_OPTIONS:
        actions = [_options(commands[name])[option] for name, wanted in uses.items() if option in wanted]
        looks = {(a.dest, a.help, a.metavar, a.default if not isinstance(a.default, list) else "list", type(a))
                 for a in actions}
        assert len(looks) == 1, (option, looks)


def test_every_command_passes_the_corpus_options_to_the_library_the_same_way(tmp_path, monkeypatch):
    # report once had no --metadata and no --*-column: a CSV corpus could be analysed but not reported on
    seen = {}

    def capture(name):
        def call(paths, out, **options):
            seen[name] = {k: options[k] for k in ("lexicons", "targets", "columns", "metadata")}
            raise FramingError("stop here")
        return call

    monkeypatch.setattr(run, "analyze_to_tables", capture("analyze"))
    monkeypatch.setattr(report, "build_report", capture("report"))
    monkeypatch.setattr(report, "write_highlight", capture("highlight"))
    options = ["--lexicon", "a.tsv", "--lexicon", "b.tsv", "--targets", "NATO", "--metadata", "meta.csv",
               "--text-column", "body", "--outlet-column", "paper", "--id-column", "key"]
    for command in ("analyze", "report", "highlight"):
        assert main([command, "in.csv", "--out", str(tmp_path / command), *options]) == 2
    expected = {"lexicons": ["a.tsv", "b.tsv"], "targets": "NATO", "metadata": "meta.csv",
                "columns": {"text": "body", "outlet": "paper", "id": "key"}}
    assert seen == {"analyze": expected, "report": expected, "highlight": expected}


def test_highlight_writes_the_page(tmp_path, capsys):
    page = tmp_path / "page.html"
    assert main(["highlight", str(SEEDS / "001_4dd1f95303bf43d2.txt"), "--out", str(page)]) == 0
    assert "framing: wrote" in capsys.readouterr().err and '<article class="doc-column"' in page.read_text()
