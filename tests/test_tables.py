"""framing.tables: the one owner of the output files. What a run writes is what SCHEMAS documents."""

import csv

import pandas as pd

from framing import measure, tables
from framing.run import analyze_to_tables

from conftest import BODY


def _header(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_every_table_a_run_writes_has_the_documented_columns(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text('Police said "the gang fled". ' + BODY, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    analyze_to_tables([tmp_path / "in"], tmp_path / "out", targets="police", progress=False)
    out = tmp_path / "out"
    for table in ("sentences", "hits", "quotes", "errors"):
        # (<coders>: the columns of coders applied with --coder, none here)
        assert _header(out / tables.FILES[table]) == [c for c in tables.SCHEMAS[table] if c != "<coders>"], table
    documents = _header(out / tables.FILES["documents"])
    fixed = [c for c in tables.SCHEMAS["documents"] if c != "<measures>"]
    measures = [m.name for m in measure.make_setup(targets="police").measures]
    # the fixed columns in their documented order, every measure of the recipe, and nothing undocumented
    assert [c for c in documents if c in fixed] == fixed
    assert set(documents) == set(fixed) | set(measures) | {"target_police_n"}
    assert set(tables.FILES) == {*tables.ROW_TABLES, "texts"}


def test_csv_and_parquet_runs_read_back_to_the_same_tables(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "001.txt").write_text("=HYPERLINK(\"x\") " + BODY, encoding="utf-8")
    analyze_to_tables([tmp_path / "in"], tmp_path / "csv", progress=False)
    analyze_to_tables([tmp_path / "in"], tmp_path / "pq", fmt="parquet", progress=False)
    from_csv, from_parquet = tables.load_analysis(tmp_path / "csv"), tables.load_analysis(tmp_path / "pq")
    for name in ("documents", "sentences", "hits", "quotes", "errors"):
        pd.testing.assert_frame_equal(getattr(from_csv, name), getattr(from_parquet, name), check_dtype=False)
    assert from_csv.documents.doc_id.tolist() == ["001"]  # an id of digits stays a string
    assert from_csv.sentences.text[0].startswith("=HYPERLINK")  # neutralised in the file, exact when read back


def _two_outlets(folder):
    folder.mkdir()
    for name, outlet in (("a1", "Post"), ("a2", "Post"), ("b1", "Ledger"), ("c1", "")):
        (folder / f"{name}.txt").write_text(f'Police said "the gang fled" in {name}. ' + BODY, encoding="utf-8")
    (folder / "metadata.csv").write_text("file,outlet\na1.txt,Post\na2.txt,Post\nb1.txt,Ledger\nc1.txt,\n",
                                         encoding="utf-8")
    return folder


def test_load_analysis_of_one_group_reads_only_its_documents_and_rows(tmp_path):
    corpus = _two_outlets(tmp_path / "in")
    for fmt in ("csv", "parquet"):
        analyze_to_tables([corpus], tmp_path / fmt, fmt=fmt, progress=False)
        whole = tables.load_analysis(tmp_path / fmt)
        post = tables.load_analysis(tmp_path / fmt, group_by="outlet", group="Post")
        expected = measure.select_group(whole, "outlet", "Post")
        assert sorted(post.documents["doc_id"]) == ["a1", "a2"] == sorted(expected.documents["doc_id"])
        for table in ("sentences", "hits", "quotes"):
            got, want = getattr(post, table), getattr(expected, table)
            assert len(got) == len(want) > 0 and set(got["doc_id"]) == {"a1", "a2"}, (fmt, table)
        assert sorted(post.texts) == ["a1", "a2"]
        # a document without an outlet is in the group the comparisons name "(unknown outlet)"
        unknown = tables.load_analysis(tmp_path / fmt, group_by="outlet", group="(unknown outlet)")
        assert list(unknown.documents["doc_id"]) == ["c1"]
        assert len(tables.load_documents(tmp_path / fmt)) == 4


def test_hit_rows_encoded_with_their_repeated_columns_once_are_the_rows_csv_writes():
    # UnitRows encodes a hit's columns from `lexicon` on once per unit: the bytes must stay those of csv.writer,
    # formulas neutralized cell by cell, whatever the cells hold (commas, quotes, line ends, formula starts)
    hit = ("d1", 2, 10, 16, "slammed", "loaded", "conflict", "slammed", "author", "", 'Makes a, "criticism" loud.',
           "")
    odd = ("=d2", 3, 20, 25, "-rate", "user", "=SUM(A1)", "+x", "quote", "direct", "line\r\nbreak", "@home")
    rows = [hit, odd, hit, list(odd), ("d3", 1, 0, 4, "", "", "", "", "", "", "", "")]
    for neutralize in (False, True):
        unit = tables.UnitRows(neutralize=neutralize)
        unit.add_document({"doc_id": "d1"}, [], rows, [], "text")
        expected = tables.csv_bytes(tables._neutralized(rows) if neutralize else rows)
        assert unit.encoded()["hits"] == expected
    assert b"'=SUM(A1)" in unit.encoded()["hits"] and b"'-rate" in unit.encoded()["hits"]
