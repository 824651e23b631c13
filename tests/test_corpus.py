import gzip
import hashlib
import json

import pytest

import framing
from framing.corpus import IdAllocator, decode_bytes, load_corpus, safe_id, sniff_format
from framing.errors import IngestFailure

from conftest import SEEDS

# The seeds are the demo corpus: real documents, kept byte for byte as they were collected.
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


def test_seed_formats_are_decided_by_content(seed_docs):
    assert {key: doc.format for key, doc in seed_docs.items()} == {
        "000": "md", "001": "txt", "002": "wordpress", "003": "txt", "004": "md"}


def test_seed_metadata_from_the_files_and_the_sidecar(seed_docs):
    gr = seed_docs["000"]
    assert (gr.outlet, gr.author, gr.date) == ("Global Research", "Drago Bosnic", "2023-07-26")
    assert gr.title == "Albanian Narco-terrorists, the KLA and the UK Cocaine Market"
    assert (seed_docs["004"].author, seed_docs["004"].date) == ("Kurt Nimmo", "2022-12-23")
    wp = seed_docs["002"]
    assert wp.title == "At least 1,700 organised criminals from Albania are walking free in UK"
    assert wp.date == "2023-12-03"
    assert wp.url == "https://celebritywshow.com/world-news/at-least-1700-organised-criminals-from-albania-are-walking-free-in-uk/"
    assert seed_docs["001"].outlet == "MailOnline"  # only the sidecar knows this


def test_truncated_wordpress_seed_is_repaired_with_a_warning(seed_docs):
    assert any("cut off" in w for w in seed_docs["002"].warnings)
    assert seed_docs["002"].text.rstrip().endswith("organised immigration crime’.")


# For each seed: body sentences that must survive cleaning, and furniture that must be gone.
SURVIVES = {
    "000": ["Since the 1990s, the United Kingdom has been one of the staunchest supporters of Albanian "
            "expansionism (mostly fueled by their unrelenting narco-terrorist tendencies).",
            "Since then, as per usual, NATO's support for various kinds of ultraradical groups and organizations "
            "has started backfiring.",
            "The UK's National Crime Agency (NCA) revealed in mid-May that hundreds of lawyers",
            "the way this has backfired cannot be considered anything but a well-deserved poetic justice."],
    "001": ["they used as a motto ‘sell cheap and sell more’.",
            "‘In 2009/10 we dropped the price for a kilo of cocaine from £35,000 to £30,000.",
            "The NCA has been contacted for comment."],
    "002": ["Police fear at least 1,700 serious organised criminals from Albania are walking free in Britain.",
            "An insider said: ‘UK police requested records on 1,700 Albanian migrants"],
    "003": ["Albanian mobs are coming of age – with direct connections to Colombian drug suppliers.",
            "“People are very imaginative,” Julian Hodaj, the deputy interior minister, said."],
    "004": ["Kosovo's NATO-led \"Peacekeeping Force\" KFOR Ready to Establish \"Peace\" in Kosovo",
            "@NATO_KFOR has the capability & personnel to provide a safe and secure environment & freedom of "
            "movement for all communities",
            "to “keep the peace”—instead, the unit engaged in human trafficking of women and children.",
            "will carry on the tradition of its corrupt and degenerate progenitor."],
}
GONE = {
    "000": ["Click the share button", "Daily Newsletter", "Region: Europe", "Copyright ©", "Disclaimer",
            "Become a Member", "Featured image", "fair use", "By Drago Bosnic", "(#)", "\\*", "](", "Translate Website"],
    "001": ["Your browser does not support iframes", "Pictured: Guns found", "This golden duck was used",
            "a cake made from £50 notes"],
    "002": ["<\\/p>", "</p>", "\\u00a0", "\u00a0", "James Cleverly met with Albanian Interior Minister Taulant Balla last "
            "week to discuss tackling illegal immigration\n"],
    "003": [],
    "004": ["pic.twitter.com", "t.co/", "(@investigativeSK)", "(@agenfor)", "Follow us on", "Note to readers",
            "Kurt Nimmo is a regular contributor", "\\_", "Theme: Intelligence"],
}


@pytest.mark.parametrize("key", sorted(SURVIVES))
def test_seed_cleaning_keeps_the_body_and_drops_the_furniture(seed_docs, key):
    text = seed_docs[key].text
    for sentence in SURVIVES[key]:
        assert sentence in text, sentence
    for furniture in GONE[key]:
        assert furniture not in text, furniture


def test_removed_lines_are_kept_for_audit(seed_docs):
    removed = "\n".join(seed_docs["000"].removed)
    assert "Click the share button above" in removed
    assert "Disclaimer:" in removed
    assert any("Your browser does not support iframes" in line for line in seed_docs["001"].removed)


# ---- readers on tiny inline corpora -----------------------------------------------------------------

BODY = "Police said the gang was dangerous. The minister disagreed with the police view."


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


def test_wordpress_posts_as_jsonl_lines_are_told_from_plain_records(tmp_path):
    post = {"id": 9, "title": {"rendered": "A post"}, "content": {"rendered": f"<p>{BODY}</p>"}}
    plain = {"id": "p1", "title": "Quoted", "text": 'The word "rendered" and the word "content" are in this text.'}
    (tmp_path / "mixed.jsonl").write_text(json.dumps(post) + "\n" + json.dumps(plain) + "\n", encoding="utf-8")
    documents, errors = load_corpus(tmp_path / "mixed.jsonl")
    assert errors == []
    assert [(d.format, d.title) for d in documents] == [("wordpress", "A post"), ("txt", "Quoted")]


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


def test_directories_recursively_globs_and_several_paths(tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "deep.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "x" / "top.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "other.md").write_text(BODY, encoding="utf-8")
    assert len(load_corpus(tmp_path / "x").documents) == 2
    assert len(load_corpus(str(tmp_path / "x" / "**" / "*.txt")).documents) == 2
    assert len(load_corpus([tmp_path / "x" / "top.txt", tmp_path / "other.md"]).documents) == 2


def test_gzip_input(tmp_path):
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": BODY}) + "\n")
    (doc,), errors = load_corpus(tmp_path / "a.jsonl.gz")
    assert errors == [] and doc.text == BODY


def test_sidecar_fills_gaps_and_overrides(tmp_path):
    (tmp_path / "a.md").write_text(f"# Own title\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet,title\na.md,Side Outlet,Side title\n", encoding="utf-8")
    (doc,), errors = load_corpus(tmp_path)
    assert errors == []
    assert (doc.outlet, doc.title) == ("Side Outlet", "Side title")


def test_format_sniffing_ignores_a_lying_suffix(tmp_path):
    assert sniff_format(tmp_path / "a.txt", '{"content": {"rendered": "<p>x</p>"}}') == "wordpress"
    assert sniff_format(tmp_path / "a.txt", "<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert sniff_format(tmp_path / "a.txt", "# Head\n\nSee [a](b) and \\*this\\*.") == "md"
    assert sniff_format(tmp_path / "a.txt", "Just a plain sentence.") == "txt"


# ---- ids ------------------------------------------------------------------------------------------------

def test_ids_are_safe_as_file_names():
    for hint in ["../../etc/passwd", "a/b\\c", "..", "", "  ", "ok-1.2"]:
        doc_id = safe_id(hint)
        assert doc_id and "/" not in doc_id and "\\" not in doc_id and ".." not in doc_id


def test_ids_are_unique_and_stable(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(BODY, encoding="utf-8")
    first = [d.doc_id for d in load_corpus(tmp_path).documents]
    second = [d.doc_id for d in load_corpus(tmp_path).documents]
    assert first == second == ["same", "same-2"]
    allocate = IdAllocator()
    assert [allocate("x"), allocate("x"), allocate("x-2")] == ["x", "x-2", "x-2-2"]


def test_ids_stay_unique_and_the_same_past_what_the_allocator_holds_in_a_set():
    # the allocator keeps hashes in a sorted array after every few thousand ids: the ids must not change
    hints = [f"doc{i % 3000}" for i in range(10_000)] + ["doc1-2", "doc1-4"] * 3
    used, expected = set(), []
    for hint in hints:  # the plain rule, with every id kept
        candidate, n = hint, 1
        while candidate in used:
            n += 1
            candidate = f"{hint}-{n}"
        used.add(candidate)
        expected.append(candidate)
    allocate = IdAllocator()
    assert [allocate(hint) for hint in hints] == expected


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


def test_missing_path_is_an_error_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    documents, errors = load_corpus([tmp_path / "nope.txt", tmp_path / "good.txt"])
    assert len(documents) == 1
    assert errors[0].source.endswith("nope.txt") and errors[0].reason == "no such file or directory"


def test_legacy_encoding_is_decoded_with_a_recorded_warning(tmp_path):
    (tmp_path / "old.txt").write_bytes("The caf\u00e9 owner said it was \u201cfine\u201d.".encode("cp1252"))
    (doc,), errors = load_corpus(tmp_path)
    assert errors == [] and "café" in doc.text and "“fine”" in doc.text
    assert any("Windows-1252" in w for w in doc.warnings)


def test_bad_rows_cost_only_themselves(tmp_path):
    (tmp_path / "rows.jsonl").write_text('{"text": "one good"}\n{"text": \n{"text": "three good"}\n{"text": ""}\n',
                                         encoding="utf-8")
    documents, errors = load_corpus(tmp_path)
    assert len(documents) == 2
    assert [(e.source.rsplit(":", 1)[1], e.reason.split(":")[0]) for e in errors] == [
        ("2", "malformed JSON on line 2"), ("4", "no words left after cleaning")]


def test_thousand_files_with_ten_bad_ones(tmp_path):
    for i in range(990):
        (tmp_path / f"doc{i:04d}.txt").write_text(f"Story number {i}. {BODY}", encoding="utf-8")
    for name, (data, _) in BAD_INPUTS.items():
        (tmp_path / f"zz_{name}").write_bytes(data)
    documents, errors = load_corpus(tmp_path)
    assert len(documents) == 990
    assert len(errors) == 10
    assert len({e.source for e in errors}) == 10


def test_regression_text_starting_with_a_bracket_is_text_not_json(tmp_path):
    (tmp_path / "a.txt").write_text("[UPDATED] Police said the gang was caught.", encoding="utf-8")
    (doc,), errors = load_corpus(tmp_path)
    assert errors == [] and doc.format == "txt"


def test_regression_a_corrupt_gzip_text_file_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"Some story text here. " * 50)[:-30] + b"garbage!" * 4)
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    documents, errors = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["b"] and errors[0].source.endswith("a.txt.gz")


def test_decode_bytes_rejects_binary():
    with pytest.raises(IngestFailure, match="binary"):
        decode_bytes(b"abc\x00def", "x")


def test_public_api():
    assert callable(framing.load_corpus) and framing.__version__


@pytest.mark.parametrize("name", ["excel.csv", "excel.csv.gz"])
def test_windows_1252_csv_is_decoded_with_a_recorded_warning(tmp_path, name):
    data = "text,title\n\"Caf\u00e9 owners \u2018furious\u2019 at the new rules.\",Caf\u00e9\n".encode("cp1252")
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    (doc,), errors = load_corpus(tmp_path / name)
    assert errors == []
    assert doc.text.startswith("Caf\u00e9 owners \u2018furious\u2019") and doc.title == "Caf\u00e9"
    assert any("Windows-1252" in w for w in doc.warnings)


def test_folders_are_read_in_sorted_path_order_without_hidden_or_linked_folders(tmp_path):
    from framing.corpus import expand_paths

    for name in ("a/b.txt", "a-b.txt", "a.txt", "B/c.txt", ".hidden/x.txt", "a/.cache.txt", "z/y/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BODY, encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "z")
    found = list(expand_paths([tmp_path]))
    assert found == [tmp_path / n for n in ("B/c.txt", "a/b.txt", "a-b.txt", "a.txt", "z/y/x.txt")]

