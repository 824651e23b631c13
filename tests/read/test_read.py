"""The reading API, end to end: framing.load_corpus on the seeds and on folders with bad inputs."""

import hashlib

import pytest

import framing
from framing.read import load_corpus

from conftest import BODY, SEEDS


# The seeds are the demo corpus (and the golden tables are computed from them): they must not change.
SEED_SHA256 = {
    "000_c3c58989c2810429.txt": "85aa579e897104e5c9f0950aada649419ecac4231348fae8aa938ac3c5f1e103",
    "001_4dd1f95303bf43d2.txt": "8ed9d202dabe7a0d74152e73cc93a3a0bbf836b76e74948475493561e4a95a9e",
    "002_02da8f24e62f33d8.txt": "ee5c353e85092ca5de9a3cce7c6b3cff1f7edf1e3f20ac330892e61afded0803",
    "003_c031984df73dd486.txt": "801bb1a4951319a0289b934fe05e57d6e32299f13200f607949ca6512480ed3d",
    "004_7734014d8d088ac0.txt": "bab87162d034dd7d4c345508622008946b14073f10132609f151d648abd70a54",
}


def test_seeds_are_unchanged():
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest, name


def test_seeds_read_without_errors(seed_corpus):
    assert seed_corpus.errors == []
    assert sorted(seed_docs_ids := [d.doc_id for d in seed_corpus.documents]) == sorted(
        name.removesuffix(".txt") for name in SEED_SHA256)
    assert len(set(seed_docs_ids)) == 5


def test_public_api():
    assert callable(framing.load_corpus) and framing.__version__


# ---- bad input: one error naming the file and the reason; nothing else lost ------------------------------

BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    "undecodable.txt": (b"caf\xc3 \x81\x8d\x8f\x90\x9d", "undecodable"),
    "broken.json": (b'{"title": "x", "content": ', "malformed JSON"),
    "notext.csv": (b"headline,outlet\nA,B\n", "no text column"),
    "furniture.md": ("Follow us on [Twitter](#)\n\n\\*\\*\\*\n".encode(), "no words left after cleaning"),
    "list.json": (b"[1, 2]", "items are not objects"),
    "scalar.json": (b'"just a string"', "neither an object nor a list"),
    "whitespace.txt": (b"  \n\n\t ", "empty file"),
    "nocontent.txt": (b'[{"title": {"rendered": "x"}}]', "without a 'content' field"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_each_kind_of_bad_input_gives_one_error_naming_file_and_reason(tmp_path, name):
    data, reason = BAD_INPUTS[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    documents, errors = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good"]
    assert len(errors) == 1
    assert name in errors[0].source and reason in errors[0].reason


def test_thousand_files_with_ten_bad_ones(tmp_path):
    for i in range(990):
        (tmp_path / f"doc{i:04d}.txt").write_text(f"Story number {i}. {BODY}", encoding="utf-8")
    for name, (data, _) in BAD_INPUTS.items():
        (tmp_path / f"zz_{name}").write_bytes(data)
    documents, errors = load_corpus(tmp_path)
    assert len(documents) == 990
    assert len(errors) == 10
    assert len({e.source for e in errors}) == 10
