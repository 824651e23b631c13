"""framing.read.paths: the files to read."""

from framing.read import expand_paths, load_corpus

from conftest import BODY


def test_directories_recursively_globs_and_several_paths(tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "deep.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "x" / "top.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "other.md").write_text(BODY, encoding="utf-8")
    assert len(load_corpus(tmp_path / "x").documents) == 2
    assert len(load_corpus(str(tmp_path / "x" / "**" / "*.txt")).documents) == 2
    assert len(load_corpus([tmp_path / "x" / "top.txt", tmp_path / "other.md"]).documents) == 2


def test_missing_path_is_an_error_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    documents, errors = load_corpus([tmp_path / "nope.txt", tmp_path / "good.txt"])
    assert len(documents) == 1
    assert errors[0].source.endswith("nope.txt") and errors[0].reason == "no such file or directory"


def test_folders_are_read_in_sorted_path_order_without_hidden_or_linked_folders(tmp_path):
    for name in ("a/b.txt", "a-b.txt", "a.txt", "B/c.txt", ".hidden/x.txt", "a/.cache.txt", "z/y/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BODY, encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "z")
    found = list(expand_paths([tmp_path]))
    assert found == [tmp_path / n for n in ("B/c.txt", "a/b.txt", "a-b.txt", "a.txt", "z/y/x.txt")]
