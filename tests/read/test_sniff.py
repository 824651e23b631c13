"""framing.read.sniff: the format decided by content where the suffix lies."""

import json

from framing.read import load_corpus, sniff_format

from conftest import BODY


def test_seed_formats_are_decided_by_content(seed_docs):
    assert {key: doc.format for key, doc in seed_docs.items()} == {
        "000": "md", "001": "txt", "002": "wordpress", "003": "txt", "004": "md"}


def test_format_sniffing_ignores_a_lying_suffix(tmp_path):
    assert sniff_format(tmp_path / "a.txt", '{"content": {"rendered": "<p>x</p>"}}') == "wordpress"
    assert sniff_format(tmp_path / "a.txt", "<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert sniff_format(tmp_path / "a.txt", "# Head\n\nSee [a](b) and \\*this\\*.") == "md"
    assert sniff_format(tmp_path / "a.txt", "Just a plain sentence.") == "txt"


def test_regression_text_starting_with_a_bracket_is_text_not_json(tmp_path):
    (tmp_path / "a.txt").write_text("[UPDATED] Police said the gang was caught.", encoding="utf-8")
    (doc,), errors = load_corpus(tmp_path)
    assert errors == [] and doc.format == "txt"


def test_wordpress_posts_as_jsonl_lines_are_told_from_plain_records(tmp_path):
    post = {"id": 9, "title": {"rendered": "A post"}, "content": {"rendered": f"<p>{BODY}</p>"}}
    plain = {"id": "p1", "title": "Quoted", "text": 'The word "rendered" and the word "content" are in this text.'}
    (tmp_path / "mixed.jsonl").write_text(json.dumps(post) + "\n" + json.dumps(plain) + "\n", encoding="utf-8")
    documents, errors = load_corpus(tmp_path / "mixed.jsonl")
    assert errors == []
    assert [(d.format, d.title) for d in documents] == [("wordpress", "A post"), ("txt", "Quoted")]
