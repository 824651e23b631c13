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
