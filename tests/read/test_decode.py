"""framing.read.decode: bytes to text, gzip streams."""

import gzip
import json

import pytest

from framing.errors import IngestFailure
from framing.read import decode_bytes, load_corpus

from conftest import BODY


def test_decode_bytes_rejects_binary():
    with pytest.raises(IngestFailure, match="binary"):
        decode_bytes(b"abc\x00def")


def test_legacy_encoding_is_decoded_with_a_recorded_warning(tmp_path):
    (tmp_path / "old.txt").write_bytes("The caf\u00e9 owner said it was \u201cfine\u201d.".encode("cp1252"))
    (doc,), errors = load_corpus(tmp_path)
    assert errors == [] and "café" in doc.text and "“fine”" in doc.text
    assert any("Windows-1252" in w for w in doc.warnings)


@pytest.mark.parametrize("name", ["excel.csv", "excel.csv.gz"])
def test_windows_1252_csv_is_decoded_with_a_recorded_warning(tmp_path, name):
    data = "text,title\n\"Caf\u00e9 owners \u2018furious\u2019 at the new rules.\",Caf\u00e9\n".encode("cp1252")
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    (doc,), errors = load_corpus(tmp_path / name)
    assert errors == []
    assert doc.text.startswith("Caf\u00e9 owners \u2018furious\u2019") and doc.title == "Caf\u00e9"
    assert any("Windows-1252" in w for w in doc.warnings)


def test_gzip_input(tmp_path):
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": BODY}) + "\n")
    (doc,), errors = load_corpus(tmp_path / "a.jsonl.gz")
    assert errors == [] and doc.text == BODY


def test_regression_a_corrupt_gzip_text_file_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"Some story text here. " * 50)[:-30] + b"garbage!" * 4)
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    documents, errors = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["b"] and errors[0].source.endswith("a.txt.gz")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_regression_utf_16_without_a_bom_was_reported_as_a_binary_file(tmp_path, encoding):
    story = "Доклад: Police in London said the gang was dangerous. The café owner disagreed.\r\n"
    (tmp_path / "a.txt").write_bytes((story * 3).encode(encoding))
    (tmp_path / "b.md").write_bytes("# Заголовок\n\n报告说警方是对的。 The minister agreed.\n".encode(encoding))
    documents, errors = load_corpus(tmp_path)
    assert errors == []
    assert documents[0].text.startswith("Доклад: Police in London said") and "café" in documents[0].text
    assert documents[1].title == "Заголовок" and "报告说警方是对的。" in documents[1].text
    assert any("UTF-16" in w for w in documents[0].warnings)


def test_binary_data_with_nul_bytes_is_still_binary():
    for data in (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), bytes(range(256)) * 8,
                 b"\x00\x00\x01\x00" * 100, b"abc\x00def"):
        with pytest.raises(IngestFailure, match="binary"):
            decode_bytes(data)
