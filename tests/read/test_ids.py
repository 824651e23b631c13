"""framing.read.ids: ids safe as file names, unique and stable."""

from framing.read import IdAllocator, load_corpus, safe_id

from conftest import BODY


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


def test_regression_ids_that_differ_only_by_case_collide_on_case_insensitive_file_systems(tmp_path):
    # Report.txt and report.txt (or records with ids A1 and a1) would be one file on macOS and Windows
    (tmp_path / "Report.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "report.txt").write_text(BODY, encoding="utf-8")
    assert [d.doc_id for d in load_corpus(tmp_path).documents] == ["Report", "report-2"]
    (tmp_path / "r.jsonl").write_text('{"id": "A1", "text": "One story."}\n{"id": "a1", "text": "Two stories."}\n',
                                      encoding="utf-8")
    assert [d.doc_id for d in load_corpus(tmp_path / "r.jsonl").documents] == ["A1", "a1-2"]
    allocate = IdAllocator()
    assert [allocate("Straße"), allocate("STRASSE"), allocate("caf\u00e9"), allocate("cafe\u0301")] == \
        ["Straße", "STRASSE-2", "caf\u00e9", "caf\u00e9-2"]


def test_regression_non_latin_file_names_all_became_doc(tmp_path):
    for name in ("Доклад.txt", "报告.txt", "नमस्ते.txt", "تقرير.txt"):
        (tmp_path / name).write_text(BODY, encoding="utf-8")
    assert sorted(d.doc_id for d in load_corpus(tmp_path).documents) == sorted(
        ["Доклад", "报告", "नमस्ते", "تقرير"])


def test_ids_keep_unicode_letters_but_no_unsafe_characters():
    assert safe_id('a<b>c:d"e/f\\g|h?i*j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_id("Zürich\x00\x1f\u202e\tnews") == "Zürich_news"
    assert safe_id("..\\..\\Доклад") == "Доклад"
    assert len(safe_id("报" * 200).encode("utf-8")) <= 120  # file names are limited in bytes, not characters
    assert safe_id("000_c3c58989c2810429") == "000_c3c58989c2810429"
