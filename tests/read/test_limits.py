"""Encodings decided line by line, and the cap on what one document may take (--max-document-mb)."""

import gzip
import json
import random
import tracemalloc

import pandas as pd
import pytest

from framing.read import load_corpus
from framing.run import analyze_to_tables

from conftest import BODY

PARAGRAPH = ("Police in London said the gang was dangerous, and the minister disagreed with the police view of "
             "the case. ")


def _csv_with_one_windows_1252_byte(rows: int = 600, bad: int = 500) -> bytes:
    lines = ["id,text\n"] + [f'{i},"{PARAGRAPH * 2}Row {i}."\n' for i in range(rows)]
    lines[bad + 1] = f'{bad},"{PARAGRAPH * 2}Row {bad} at the caf\u00e9."\n'
    data = "".join(lines[:bad + 1]).encode() + lines[bad + 1].encode("cp1252") + "".join(lines[bad + 2:]).encode()
    assert data.index(b"caf\xe9") > 65536  # after the 64 KB that used to decide the encoding
    return data


@pytest.mark.parametrize("name", ["export.csv", "export.csv.gz"])
def test_regression_a_windows_1252_byte_after_64_kb_lost_the_rest_of_the_csv(tmp_path, name):
    data = _csv_with_one_windows_1252_byte()
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    documents, errors = load_corpus(tmp_path / name)
    assert errors == [] and len(documents) == 600
    assert documents[500].text.endswith("Row 500 at the caf\u00e9.")
    assert documents[500].warnings == ["not UTF-8 (line 502); decoded as Windows-1252"]
    assert all(not d.warnings for i, d in enumerate(documents) if i != 500)


def test_regression_a_windows_1252_byte_in_a_split_csv_keeps_every_row_and_its_warning(tmp_path):
    (tmp_path / "export.csv").write_bytes(_csv_with_one_windows_1252_byte())
    summary = analyze_to_tables([tmp_path / "export.csv"], tmp_path / "out", unit_bytes=20_000, progress=False)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False, dtype=str)
    assert summary.n_units >= 5 and summary.n_documents == 600 and summary.n_errors == 0
    warned = documents[documents.warnings != ""]
    assert warned.doc_id.tolist() == ["500"]
    assert warned.warnings.iloc[0] == "not UTF-8 (line 502); decoded as Windows-1252"


def test_a_file_mixing_utf_8_and_windows_1252_keeps_its_utf_8_characters(tmp_path):
    utf8 = "Zürich said “fine”. The caf".encode()
    (tmp_path / "a.txt").write_bytes(utf8 + "é.".encode("cp1252"))
    (tmp_path / "b.jsonl").write_bytes(b'{"text": "Z\xc3\xbcrich police said the caf\xe9 was fine."}\n')
    documents, errors = load_corpus(tmp_path)
    assert errors == []
    assert documents[0].text == "Zürich said “fine”. The café."
    assert documents[0].warnings == [f"not UTF-8 (byte {len(utf8)}); decoded as Windows-1252"]
    assert documents[1].text == "Zürich police said the café was fine."
    assert documents[1].warnings == ["not UTF-8 (line 1); decoded as Windows-1252"]


def test_a_csv_in_utf_16_is_read(tmp_path):
    table = f'text,title\n"{BODY}",Caf\u00e9\n"Доклад: the minister disagreed.",Second\n'
    (tmp_path / "bom.csv").write_bytes(table.encode("utf-16"))
    (tmp_path / "nobom.tsv").write_bytes(table.replace(",", "\t").encode("utf-16-le"))
    documents, errors = load_corpus(tmp_path)
    assert errors == []
    assert [d.title for d in documents] == ["Caf\u00e9", "Second"] * 2
    assert documents[1].text == "Доклад: the minister disagreed."


def test_a_jsonl_file_in_utf_16_is_one_clear_error(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(json.dumps({"text": BODY}).encode("utf-16"))
    _, (error,) = load_corpus(tmp_path)
    assert error.reason == "UTF-16 text: JSONL is read as UTF-8; save this file as UTF-8"


# ---- the cap on one document ----------------------------------------------------------------------------

def test_regression_a_whole_gz_file_was_unpacked_into_memory_before_it_was_checked(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (32 << 20)))  # 32 MB of one letter in 32 KB
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    tracemalloc.start()
    try:
        documents, errors = load_corpus(tmp_path, max_document_mb=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.doc_id for d in documents] == ["story"]
    assert [(e.source, e.reason) for e in errors] == [(str(tmp_path / "bomb.txt.gz"), (
        "decompresses to more than 1 MB, the limit of one document (raise it with --max-document-mb)"))]
    assert peak < 8 << 20  # the cap and a block, not the 32 MB


@pytest.mark.parametrize("name", ["long.jsonl", "long.jsonl.gz", "long.csv", "long.csv.gz"])
def test_regression_one_line_over_the_cap_is_skipped_in_bounded_memory(tmp_path, name):
    huge = "word " * (12 * (200 << 10))  # 12 MB on one line
    if "jsonl" in name:
        lines = [json.dumps({"text": t}) + "\n" for t in (BODY, huge, BODY)]
    else:
        lines = ["text\n"] + [f'"{t}"\n' for t in (BODY, huge, BODY)]
    data = "".join(lines).encode()
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    tracemalloc.start()
    try:
        documents, errors = load_corpus(tmp_path / name, max_document_mb=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.text for d in documents] == [BODY, BODY]
    line = 2 if "jsonl" in name else 3
    source = f"{tmp_path / name}:{line}" if "jsonl" in name else f"{tmp_path / name}#line={line}"
    assert [(e.source, e.reason) for e in errors] == [(source, (
        f"line {line} holds more than 1 MB, the limit of one document (raise it with --max-document-mb); "
        "the line is skipped"))]
    assert peak < 8 << 20  # the cap and a block or two, not the line


@pytest.mark.parametrize("name", ["long.jsonl.gz", "long.csv"])
def test_a_line_over_the_cap_in_a_split_file_is_the_same_one_error(tmp_path, name):
    rng = random.Random(5)  # words that do not compress away, so that the file spans several units
    texts = [f"{PARAGRAPH} Story {rng.getrandbits(64):x}." for i in range(300)]
    texts[150] = " ".join(f"{rng.getrandbits(32):x}" for _ in range(200_000))  # 1.8 MB
    if "jsonl" in name:
        data = "".join(json.dumps({"text": t}) + "\n" for t in texts).encode()
    else:
        data = ("text\n" + "".join(f'"{t}"\n' for t in texts)).encode()
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    summary = analyze_to_tables([tmp_path / name], tmp_path / "out", unit_bytes=20_000, progress=False,
                                max_document_mb=1)
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert summary.n_units >= 3 and summary.n_documents == 299
    line = 151 if "jsonl" in name else 152
    assert errors.source.tolist() == [f"{tmp_path / name}:{line}" if "jsonl" in name
                                      else f"{tmp_path / name}#line={line}"]
    assert errors.reason.iloc[0].startswith(f"line {line} holds more than 1 MB")


def test_the_cli_takes_max_document_mb(tmp_path):
    from framing.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bomb.md.gz").write_bytes(gzip.compress(b"a " * (1 << 20)))
    (tmp_path / "in" / "story.txt").write_text(BODY, encoding="utf-8")
    assert main(["analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress", "--jobs", "1",
                 "--max-document-mb", "0.5"]) == 1
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert errors.reason.tolist() == [
        "decompresses to more than 0.5 MB, the limit of one document (raise it with --max-document-mb)"]
