import gzip
import json
import random

import pandas as pd
import pytest

import framing
from framing import read, run, tables
from framing.run import engines
from framing.run import plan as planning
from framing.cli import main
from framing.errors import RunError
from framing.run import analyze_to_tables
from framing.run.plan import plan_units, split_jobs

from conftest import SEEDS, interrupt_at

PARAGRAPHS = [
    "Ruthless gangs flood Britain's streets with cheap cocaine, police said.",
    "It is believed the suspects arrived on small boats. Officers may make more arrests.",
    "“This is clearly a war on our streets,” the minister claimed on Monday.",
    "The so-called “peacekeepers” were accused of trafficking, according to Amnesty.",
    "Prices fell by about 20% in 2009/10. The market is thought to be worth £1bn.",
]


def _corpus(root, n_lines=60):
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    with open(root / "big.jsonl", "w", encoding="utf-8") as handle:
        for i in range(n_lines):
            handle.write(json.dumps({"text": " ".join(PARAGRAPHS[(i + k) % 5] for k in range(3)),
                                     "outlet": f"Outlet {i % 3}"}) + "\n")
    with gzip.open(root / "rows.jsonl.gz", "wt", encoding="utf-8") as handle:
        for i in range(10):
            handle.write(json.dumps({"id": f"g{i}", "body": PARAGRAPHS[i % 5]}) + "\n")
    pd.DataFrame({"content": PARAGRAPHS, "source": ["Wire"] * 5}).to_csv(root / "table.csv", index=False)
    for sub in ("a", "b"):  # the same file name twice: ids must stay unique and stable
        (root / sub / "same.txt").write_text(PARAGRAPHS[0], encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    return root


def _tables(out):
    return {name: (out / f"{name}.csv").read_text(encoding="utf-8") for name in tables.ROW_TABLES} | {
        "texts": (out / "texts.jsonl").read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return _corpus(tmp_path_factory.mktemp("corpus"))


def test_big_jsonl_is_cut_into_byte_ranges_and_read_whole(corpus):
    units = plan_units([corpus], unit_bytes=2000)
    big = [u for u in units if any(getattr(i, "path", "").endswith("big.jsonl") for i in u.items)]
    assert len(big) > 3
    whole = framing.load_corpus(corpus / "big.jsonl").documents
    ranged = [d for d in framing.analyze([corpus / "big.jsonl"]).documents.doc_id]
    assert ranged == [d.doc_id for d in whole] and len(ranged) == 60


def test_gzip_and_csv_are_cut_by_record_ranges_and_read_whole(tmp_path):
    with gzip.open(tmp_path / "many.jsonl.gz", "wt", encoding="utf-8") as handle:
        for i in range(300):
            handle.write(json.dumps({"id": f"z{i}", "text": PARAGRAPHS[i % 5] + f" Story {i}."}) + "\n")
    pd.DataFrame({"text": [f"{PARAGRAPHS[i % 5]} Row {i}." for i in range(300)]}).to_csv(tmp_path / "many.csv", index=False)
    for name in ("many.jsonl.gz", "many.csv"):
        units = plan_units([tmp_path / name], unit_bytes=3000)
        assert len(units) > 3 and units[-1].items[0].records[1] is None
        whole = [d.doc_id for d in framing.load_corpus(tmp_path / name).documents]
        cut = framing.analyze([tmp_path / name]).documents.doc_id.tolist()
        assert len(whole) == 300
        summary = analyze_to_tables([tmp_path / name], tmp_path / f"out-{name}", unit_bytes=3000, progress=False)
        assert summary.n_units == len(units)
        assert pd.read_csv(tmp_path / f"out-{name}" / "documents.csv").doc_id.astype(str).tolist() == whole == cut


def test_the_planner_hands_out_units_before_it_has_seen_every_file(tmp_path, monkeypatch):
    # a million small files: the plan must not be built whole in the client's memory
    def files():
        for i in range(5):
            path = tmp_path / f"f{i}.txt"
            path.write_text(PARAGRAPHS[i], encoding="utf-8")
            yield path
        raise AssertionError("the planner read past the first unit")

    monkeypatch.setattr(read, "expand_paths", lambda paths: files())
    first = next(planning.iter_units([tmp_path], unit_files=2))
    assert [item.path for item in first.items] == [str(tmp_path / "f0.txt"), str(tmp_path / "f1.txt")]


def test_a_written_plan_reads_back_the_same_units(corpus, tmp_path):
    units = plan_units([corpus, tmp_path / "missing.txt"], unit_bytes=300, split_folder=tmp_path / "split")
    plan = planning.write_plan([corpus, tmp_path / "missing.txt"], tmp_path / "plan.jsonl", unit_bytes=300,
                               split_folder=tmp_path / "split")
    assert list(plan.units()) == units and list(plan.units(3)) == units[3:]
    assert plan.sizes == [u.size for u in units] and plan.splits == split_jobs(units)
    assert any(isinstance(item, framing.IngestError) for u in units for item in u.items)
    assert any(getattr(item, "chunk", "") for u in units for item in u.items)


def test_output_is_identical_whatever_the_number_of_jobs(corpus, tmp_path):
    one = analyze_to_tables([corpus], tmp_path / "one", jobs=1, unit_bytes=2000, progress=False)
    two = analyze_to_tables([corpus], tmp_path / "two", jobs=2, unit_bytes=2000, progress=False)
    assert one.n_units > 4 and one.n_documents == two.n_documents == 60 + 10 + 5 + 2
    assert _tables(tmp_path / "one") == _tables(tmp_path / "two")
    documents = pd.read_csv(tmp_path / "one" / "documents.csv")
    assert documents.doc_id.is_unique and {"same", "same-2"} <= set(documents.doc_id)


def test_in_memory_analysis_equals_the_tables(corpus, tmp_path):
    analyze_to_tables([corpus], tmp_path / "t", unit_bytes=2000, progress=False)
    analysis = framing.analyze([corpus], jobs=2)
    on_disk = pd.read_csv(tmp_path / "t" / "sentences.csv", keep_default_na=False)
    assert analysis.sentences.doc_id.tolist() == on_disk.doc_id.astype(str).tolist()
    assert analysis.sentences.text.tolist() == on_disk.text.tolist()


def test_parquet_output_in_parts(corpus, tmp_path):
    analyze_to_tables([corpus], tmp_path / "csv", unit_bytes=2000, progress=False)
    summary = analyze_to_tables([corpus], tmp_path / "pq", fmt="parquet", unit_bytes=2000, progress=False)
    parts = sorted((tmp_path / "pq" / "hits").glob("part-*.parquet"))
    assert len(parts) == summary.n_units
    from_parquet = pd.read_parquet(tmp_path / "pq" / "hits")
    from_csv = pd.read_csv(tmp_path / "csv" / "hits.csv", keep_default_na=False)
    assert from_parquet.matched.tolist() == from_csv.matched.astype(str).tolist()


def test_a_corrupt_line_or_a_truncated_gzip_costs_only_that(tmp_path):
    (tmp_path / "in").mkdir()
    lines = [json.dumps({"text": p}) for p in PARAGRAPHS]
    lines[2] = '{"text": "broken'
    (tmp_path / "in" / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = gzip.compress(("\n".join(json.dumps({"text": p * 40}) for p in PARAGRAPHS) + "\n").encode())
    (tmp_path / "in" / "cut.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    summary = analyze_to_tables([tmp_path / "in"], tmp_path / "out", progress=False)
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert summary.n_documents >= 4 + 1
    broken = errors[errors.source.str.endswith("lines.jsonl:3")]
    assert broken.reason.str.contains("line 3").all() and len(broken) == 1
    cut = errors[errors.source.str.contains("cut.jsonl.gz")]
    assert len(cut) == 1 and "rest of this file is lost" in cut.reason.iloc[0]



def test_an_interrupted_run_keeps_its_parts_and_resume_does_only_the_rest(corpus, tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    analyze_to_tables([corpus], reference, unit_bytes=2000, progress=False)
    original = engines.process_unit
    seen = []

    def interrupted(unit, options):
        if unit.index == 3:
            raise KeyboardInterrupt
        seen.append(unit.index)
        return original(unit, options)

    monkeypatch.setattr(engines, "process_unit", interrupted)
    out = tmp_path / "out"
    with pytest.raises(RunError, match="--resume"):
        analyze_to_tables([corpus], out, unit_bytes=2000, progress=False)
    assert seen == [0, 1, 2]
    monkeypatch.setattr(engines, "process_unit", lambda unit, options: (seen.append(unit.index), original(unit, options))[1])
    seen.clear()
    summary = analyze_to_tables([corpus], out, unit_bytes=2000, progress=False, resume=True)
    assert seen[0] == 3 and summary.resumed_units == 3  # the three parts of the first run were kept
    assert _tables(out) == _tables(reference)


def test_resume_cuts_off_rows_an_interruption_left_half_written(corpus, tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    analyze_to_tables([corpus], reference, unit_bytes=2000, progress=False)
    original = interrupt_at(monkeypatch, 2)
    out = tmp_path / "out"
    with pytest.raises(RunError, match="--resume"):
        analyze_to_tables([corpus], out, unit_bytes=2000, progress=False)
    for name in ("sentences.csv", "texts.jsonl", "documents.csv"):  # killed in the middle of writing a unit
        with open(out / tables.WORK_FOLDER / name, "a", encoding="utf-8") as handle:  # the run's tables so far
            handle.write('d9,1,0,10,"half a row')
    monkeypatch.setattr(engines, "process_unit", original)
    analyze_to_tables([corpus], out, unit_bytes=2000, progress=False, resume=True)
    assert _tables(out) == _tables(reference)
    assert sorted(p.name for p in out.iterdir()) == sorted([*tables.FILES.values(), "run.json", tables.OWNER_MARKER])


def test_resume_refuses_a_different_run(corpus, tmp_path, monkeypatch):
    interrupt_at(monkeypatch, 1)
    with pytest.raises(RunError):
        analyze_to_tables([corpus], tmp_path / "out", unit_bytes=2000, progress=False)
    with pytest.raises(RunError, match="other inputs or options"):
        analyze_to_tables([corpus], tmp_path / "out", unit_bytes=2000, progress=False, resume=True, targets="NATO")


def test_dask_local_cluster_gives_the_same_tables(corpus, tmp_path):
    pytest.importorskip("distributed")
    with gzip.open(tmp_path / "split.jsonl.gz", "wt", encoding="utf-8") as handle:  # split by a Dask worker
        handle.writelines(json.dumps({"text": f"{PARAGRAPHS[i % 5]} Story {i}."}) + "\n" for i in range(200))
    inputs = [corpus, tmp_path / "split.jsonl.gz"]
    local = analyze_to_tables(inputs, tmp_path / "local", unit_bytes=4000, progress=False)
    analyze_to_tables(inputs, tmp_path / "dask", unit_bytes=4000, progress=False, engine="dask", jobs=2)
    assert _tables(tmp_path / "local") == _tables(tmp_path / "dask")
    assert local.n_documents == 77 + 200 and len(split_jobs(plan_units(inputs, unit_bytes=4000,
                                                                       split_folder=tmp_path / "s"))) == 1


def test_cli_jobs_format_and_exit_codes(tmp_path):
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--jobs", "2", "--format", "parquet",
                 "--no-progress"]) == 0
    assert len(pd.read_parquet(tmp_path / "o" / "documents")) == 5


def test_regression_csv_with_blank_lines_cut_by_records_repeats_no_row(tmp_path):
    rows = "".join(f"{PARAGRAPHS[i % 5]} Row {i}.\n\n" for i in range(120))
    (tmp_path / "gappy.csv").write_text("text\n" + rows, encoding="utf-8")
    whole = [d.doc_id for d in framing.load_corpus(tmp_path / "gappy.csv").documents]
    analyze_to_tables([tmp_path / "gappy.csv"], tmp_path / "out", unit_bytes=1500, progress=False)
    assert pd.read_csv(tmp_path / "out" / "documents.csv").doc_id.tolist() == whole and len(whole) == 120


def test_regression_parquet_tables_read_back_when_early_parts_are_empty(corpus, tmp_path):
    from framing.tables import load_analysis

    analyze_to_tables([corpus], tmp_path / "pq", fmt="parquet", unit_bytes=2000, progress=False)
    back = load_analysis(tmp_path / "pq")
    assert len(back.documents) == 77 and len(back.errors) == 1 and back.texts


def test_load_corpus_and_analyze_give_the_same_ids(tmp_path):
    for sub in ("a", "b", "c"):
        (tmp_path / sub).mkdir()
    (tmp_path / "a" / "s.txt").write_text("First story here.", encoding="utf-8")
    (tmp_path / "b" / "s.txt").write_text("Follow us on Twitter", encoding="utf-8")  # nothing left after cleaning
    (tmp_path / "c" / "s.txt").write_text("Third story here.", encoding="utf-8")
    assert [d.doc_id for d in framing.load_corpus(tmp_path).documents] == \
        framing.analyze(tmp_path).documents.doc_id.tolist() == ["s", "s-2"]


def _count_opens(monkeypatch, name):
    from framing.read import decode

    opened = []
    original = decode.open_binary

    def counting(path):
        if path.name == name:
            opened.append(path)
        return original(path)

    monkeypatch.setattr(decode, "open_binary", counting)
    return opened


@pytest.mark.parametrize("name", ["many.jsonl.gz", "many.csv.gz", "many.tsv"])
def test_regression_gzip_and_csv_units_do_not_reread_the_file_for_every_unit(tmp_path, monkeypatch, name):
    texts = [f"{PARAGRAPHS[i % 5]} Story {i}." for i in range(300)]
    if "jsonl" in name:
        with gzip.open(tmp_path / name, "wt", encoding="utf-8") as handle:
            handle.writelines(json.dumps({"text": t, "n": i}) + "\n" for i, t in enumerate(texts))
    else:
        pd.DataFrame({"text": texts, "n": range(300)}).to_csv(tmp_path / name, index=False,
                                                             sep="\t" if name.endswith(".tsv") else ",")
    whole = framing.load_corpus(tmp_path / name).documents
    opened = _count_opens(monkeypatch, name)
    summary = analyze_to_tables([tmp_path / name], tmp_path / "out", unit_bytes=3000, progress=False)
    assert summary.n_units >= 5
    assert len(opened) <= 3  # the size estimate, the head check and one split: not once per unit
    documents = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert documents.doc_id.tolist() == [d.doc_id for d in whole] and len(whole) == 300
    assert not (tmp_path / "out" / tables.WORK_FOLDER).exists()  # chunks and plan go when the run is done


def test_a_truncated_big_gzip_keeps_what_came_before_whatever_the_jobs(tmp_path):
    rng = random.Random(3)  # numbers that do not compress away, so the file spans several units
    lines = "".join(json.dumps({"text": f"{PARAGRAPHS[i % 5]} Story {rng.getrandbits(64)}."}) + "\n"
                    for i in range(400)).encode()
    data = gzip.compress(lines)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    one = analyze_to_tables([tmp_path / "in"], tmp_path / "one", unit_bytes=3000, progress=False)
    analyze_to_tables([tmp_path / "in"], tmp_path / "two", unit_bytes=3000, progress=False, jobs=2)
    assert one.n_units >= 3 and 0 < one.n_documents < 400 and one.n_errors == 1
    assert _tables(tmp_path / "one") == _tables(tmp_path / "two")
    error = pd.read_csv(tmp_path / "one" / "errors.csv").iloc[0]
    assert error.source == f"{tmp_path / 'in' / 'cut.jsonl.gz'}:{one.n_documents + 1}"
    assert "rest of this file is lost" in error.reason


def test_parquet_units_start_at_their_row_group(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"text": [f"{PARAGRAPHS[i % 5]} Story {i}." for i in range(300)]})
    pq.write_table(table, tmp_path / "many.parquet", row_group_size=40)
    whole = [d.doc_id for d in framing.load_corpus(tmp_path / "many.parquet").documents]
    analyze_to_tables([tmp_path / "many.parquet"], tmp_path / "out", unit_bytes=3000, progress=False)
    assert pd.read_csv(tmp_path / "out" / "documents.csv").doc_id.tolist() == whole and len(whole) == 300


def test_csv_rows_with_quoted_newlines_survive_the_split(tmp_path):
    texts = [f'{PARAGRAPHS[i % 5]}\n\nA second paragraph, with "quotes", commas; and more {i}.' for i in range(200)]
    pd.DataFrame({"text": texts, "outlet": [f"O{i % 3}" for i in range(200)]}).to_csv(tmp_path / "multi.csv",
                                                                                       index=False)
    whole = framing.load_corpus(tmp_path / "multi.csv").documents
    analyze_to_tables([tmp_path / "multi.csv"], tmp_path / "out", unit_bytes=2500, progress=False)
    back = [json.loads(line) for line in (tmp_path / "out" / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [b["text"] for b in back] == [d.text for d in whole] and len(back) == 200
    assert [b["doc_id"] for b in back] == [d.doc_id for d in whole]


def test_resume_after_a_split_reuses_the_chunks(tmp_path, monkeypatch):
    with gzip.open(tmp_path / "many.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"text": f"{PARAGRAPHS[i % 5]} Story {i}."}) + "\n" for i in range(300))
    reference = tmp_path / "reference"
    analyze_to_tables([tmp_path / "many.jsonl.gz"], reference, unit_bytes=3000, progress=False)
    original = interrupt_at(monkeypatch, 3)
    out = tmp_path / "out"
    with pytest.raises(RunError, match="--resume"):
        analyze_to_tables([tmp_path / "many.jsonl.gz"], out, unit_bytes=3000, progress=False)
    chunks = sorted((out / tables.WORK_FOLDER / run.SPLIT_FOLDER).rglob("*.jsonl"))
    assert len(chunks) >= 4  # kept for the resumed run
    monkeypatch.setattr(engines, "process_unit", original)
    splits = []
    monkeypatch.setattr(read, "split_records", lambda *a, **k: splits.append(a))
    analyze_to_tables([tmp_path / "many.jsonl.gz"], out, unit_bytes=3000, progress=False, resume=True)
    assert _tables(out) == _tables(reference)


def test_regression_gzip_cut_in_its_first_block_keeps_its_lines_and_the_run(tmp_path):
    lines = "".join(json.dumps({"text": f"Some words here {i}."}) + "\n" for i in range(2000)).encode()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "tiny.jsonl.gz").write_bytes(gzip.compress(lines)[:300])  # fails inside the first 8 KB
    (tmp_path / "in" / "story.txt").write_text(PARAGRAPHS[0], encoding="utf-8")
    (tmp_path / "in" / "fake.csv.gz").write_bytes(b"this is not gzip at all")
    summary = analyze_to_tables([tmp_path / "in"], tmp_path / "out", progress=False)
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    cut = errors[errors.source.str.contains("tiny.jsonl.gz")]
    assert len(cut) == 1 and "rest of this file is lost" in cut.reason.iloc[0]
    assert summary.n_documents > 1  # the story and the lines before the cut
    fake = errors[errors.source.str.contains("fake.csv.gz")]
    assert len(fake) == 1 and "gzip" in fake.reason.iloc[0]


def test_a_big_windows_1252_csv_is_split_and_decoded_with_its_warning(tmp_path):
    rows = "".join(f"\"Caf\u00e9 {i}: {PARAGRAPHS[i % 5]}\"\n" for i in range(200))
    (tmp_path / "excel.csv").write_bytes(("text\n" + rows).encode("cp1252", errors="replace"))
    summary = analyze_to_tables([tmp_path / "excel.csv"], tmp_path / "out", unit_bytes=3000, progress=False)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    texts = (tmp_path / "out" / "texts.jsonl").read_text(encoding="utf-8")
    assert summary.n_units >= 3 and summary.n_documents == 200
    assert documents.warnings.str.contains("Windows-1252").all() and "Caf\u00e9 199" in texts


def test_a_renamed_document_carries_its_new_id_in_every_table(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(f"{PARAGRAPHS[0]} Told by {sub}, the \"so-called\" experts.",
                                                 encoding="utf-8")
    analyze_to_tables([tmp_path / "a", tmp_path / "b"], tmp_path / "out", progress=False)
    memory = framing.analyze([tmp_path / "a", tmp_path / "b"])
    for table in ("documents", "sentences", "hits"):
        written = pd.read_csv(tmp_path / "out" / f"{table}.csv", keep_default_na=False)
        assert written.doc_id.tolist() == getattr(memory, table).doc_id.tolist()
        assert set(written.doc_id) == {"same", "same-2"}
    texts = [json.loads(line) for line in (tmp_path / "out" / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(t["doc_id"], "by b" in t["text"]) for t in texts] == [("same", False), ("same-2", True)]


def test_a_worker_analyses_a_unit_without_loading_pandas(tmp_path):
    # pandas is most of a worker's memory (36 vs 106 MiB at start): one per core adds up
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text(PARAGRAPHS[2], encoding="utf-8")
    script = (
        "import sys\n"
        "from framing.run import engines, plan\n"
        f"unit = plan.plan_units([{str(tmp_path)!r}])[0]\n"
        "result = engines.process_unit(unit, engines.Options())\n"
        "assert len(result.hints) == 1, result.tables['errors']\n"
        "print('pandas' in sys.modules)\n")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


def test_regression_a_lone_surrogate_escape_in_json_does_not_stop_the_run(tmp_path):
    # valid JSON, but "\ud800" alone cannot be written as UTF-8: the whole run used to stop at the first one
    (tmp_path / "odd.jsonl").write_text('{"text": "Police said \\ud800 the gang was dangerous.", "title": "A \\udc00"}\n'
                                        '{"text": "The second story is fine. Police said so."}\n', encoding="utf-8")
    summary = analyze_to_tables([tmp_path / "odd.jsonl"], tmp_path / "out", progress=False)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    assert summary.n_documents == 2 and documents.title.tolist() == ["A \ufffd", ""]
    assert "surrogate" in documents.warnings[0] and documents.warnings[1] == ""
    assert "said \ufffd the gang" in (tmp_path / "out" / "texts.jsonl").read_text(encoding="utf-8")


def test_regression_a_renamed_text_with_a_line_separator_stays_one_json_line(tmp_path):
    # U+2028 is left raw by json.dumps(ensure_ascii=False); splitlines() cut the renamed record there
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(f"{PARAGRAPHS[0]}\u2028Then {sub} spoke.", encoding="utf-8")
    analyze_to_tables([tmp_path / "a", tmp_path / "b"], tmp_path / "out", progress=False)
    lines = (tmp_path / "out" / "texts.jsonl").read_text(encoding="utf-8").split("\n")[:-1]
    assert [json.loads(line)["doc_id"] for line in lines] == ["same", "same-2"]
