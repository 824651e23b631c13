"""framing.read.formats: one reader per format, on tiny inline corpora."""

import json

from framing.read import load_corpus

from conftest import BODY


def test_markdown_reader(tmp_path):
    (tmp_path / "a.md").write_text(f"# A title\n\nBy Jane Doe\n\nThe Daily Bugle, March 5, 2024\n\n"
                                   f"**{BODY}** See [the report](http://x.org/r).\n\nFollow us on [Twitter](#)\n",
                                   encoding="utf-8")
    (doc,), errors = load_corpus(tmp_path / "a.md")
    assert errors == []
    assert (doc.format, doc.title, doc.author, doc.outlet, doc.date) == ("md", "A title", "Jane Doe", "The Daily Bugle", "2024-03-05")
    assert BODY + " See the report." in doc.text
    assert "Follow us" not in doc.text and "Follow us on Twitter" in doc.removed


def test_html_page_reader_uses_the_boilerplate_remover(tmp_path):
    page = (f"<html><head><title>Big story</title><meta name='author' content='Jane Doe'>"
            f"<meta property='article:published_time' content='2024-03-01'></head><body>"
            f"<nav>Home | News | Subscribe to our newsletter</nav><article><h1>Big story</h1>"
            f"<p>{BODY} It was a long day for everyone involved in the case.</p>"
            f"<p>Another paragraph of the main text, long enough to be kept by the extractor as content.</p>"
            f"</article><footer>Copyright 2024 The Paper</footer></body></html>")
    (tmp_path / "page.htm").write_text(page, encoding="utf-8")
    (doc,), errors = load_corpus(tmp_path)
    assert errors == []
    assert (doc.format, doc.title, doc.author, doc.date) == ("html", "Big story", "Jane Doe", "2024-03-01")
    assert BODY in doc.text and "Home | News" not in doc.text


def test_wordpress_list_and_json_records(tmp_path):
    posts = [{"id": 7, "date": "2024-01-02T10:00:00", "link": "https://example.org/a/",
              "title": {"rendered": "First &amp; best"}, "content": {"rendered": f"<p>{BODY}<\\/p>"}},
             {"id": 8, "date": "2024-01-03T10:00:00", "link": "https://example.org/b/",
              "title": {"rendered": "Second"}, "content": {"rendered": "<p>Another text with words.</p>"}}]
    (tmp_path / "export.txt").write_text(json.dumps(posts), encoding="utf-8")
    documents, errors = load_corpus(tmp_path / "export.txt")
    assert errors == []
    assert [d.format for d in documents] == ["wordpress", "wordpress"]
    assert documents[0].title == "First & best" and documents[0].date == "2024-01-02"
    assert documents[0].outlet == "example.org" and BODY in documents[0].text
    assert documents[0].doc_id != documents[1].doc_id


def test_jsonl_and_csv_find_columns_by_common_names(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "x1", "content": BODY, "headline": "H", "source": "Wire"}) + "\n"
        + json.dumps({"id": "x2", "content": "Second story text.", "source": "Wire"}) + "\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(f"Body,Title,Publisher,published\n\"{BODY}\",T,Paper,2024-02-03\n",
                                    encoding="utf-8")
    documents, errors = load_corpus([tmp_path / "a.jsonl", tmp_path / "b.csv"])
    assert errors == []
    assert [(d.format, d.title, d.outlet) for d in documents] == [("txt", "H", "Wire"), ("txt", "", "Wire"),
                                                                    ("txt", "T", "Paper")]
    assert [d.doc_id for d in documents[:2]] == ["x1", "x2"]
    assert documents[2].date == "2024-02-03"


def test_columns_can_be_named_by_option(tmp_path):
    (tmp_path / "c.csv").write_text(f"story_text,paper\n\"{BODY}\",Herald\n", encoding="utf-8")
    documents, errors = load_corpus(tmp_path / "c.csv", columns={"text": "story_text", "outlet": "paper"})
    assert errors == [] and documents[0].outlet == "Herald"


def test_bad_rows_cost_only_themselves(tmp_path):
    (tmp_path / "rows.jsonl").write_text('{"text": "one good"}\n{"text": \n{"text": "three good"}\n{"text": ""}\n',
                                         encoding="utf-8")
    documents, errors = load_corpus(tmp_path)
    assert len(documents) == 2
    assert [(e.source.rsplit(":", 1)[1], e.reason.split(":")[0]) for e in errors] == [
        ("2", "line 2 is cut off or not JSON"), ("4", "no words left after cleaning")]


def test_regression_a_cut_off_jsonl_line_was_reported_in_the_parsers_words(tmp_path):
    (tmp_path / "rows.jsonl").write_text(
        '{"text": "Police said it was fine."}\n{"text": "Police sa\n{"text": "x"} trailing\n[1, \n', encoding="utf-8")
    documents, errors = load_corpus(tmp_path)
    assert len(documents) == 1
    assert [e.reason for e in errors] == [
        "line 2 is cut off or not JSON: it ends inside a string that is not closed",
        "line 3 is cut off or not JSON: more text follows the JSON value at column 15",
        "line 4 is cut off or not JSON: it ends before its brackets are closed"]
    assert not any("Expecting" in e.reason or "Invalid control" in e.reason for e in errors)


def test_regression_extra_fields_in_a_csv_row_passed_without_a_warning(tmp_path):
    (tmp_path / "x.csv").write_text(f'text,title\n"{BODY}",T,extra,more\n"{BODY}"\n"{BODY}",Fine\n',
                                    encoding="utf-8")
    documents, errors = load_corpus(tmp_path / "x.csv")
    assert errors == [] and [d.title for d in documents] == ["T", "", "Fine"]
    assert documents[0].warnings == ["row 1 has 4 fields but the header has 2: the last 2 (extra, more) are ignored"]
    assert documents[1].warnings == ["row 2 has 1 field but the header has 2: title is left empty"]
    assert documents[2].warnings == []


def test_a_jsonl_line_with_a_raw_tab_in_a_string_is_read_with_a_warning(tmp_path):
    (tmp_path / "t.jsonl").write_text('{"text": "Police said\tit was fine."}\n', encoding="utf-8")
    (doc,), errors = load_corpus(tmp_path / "t.jsonl")
    assert errors == [] and doc.text == "Police said it was fine."
    assert doc.warnings == ["JSON had raw control characters inside strings"]
