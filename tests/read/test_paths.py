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


def test_regression_framing_output_is_skipped_by_folder_walks_and_globs(tmp_path):
    from framing import tables

    (tmp_path / "story.txt").write_text(BODY, encoding="utf-8")
    tables.make_owned_folder(tmp_path / "out")  # a folder framing made: all of it is framing's
    (tmp_path / "out" / "documents.csv").write_text("doc_id\nstory\n", encoding="utf-8")
    (tmp_path / "out" / "texts.jsonl").write_text('{"doc_id": "story", "text": "x"}\n', encoding="utf-8")
    # tables framing wrote into a folder of the user's: only those are framing's
    tables.write_marker(tmp_path, whole_folder=False, files=["run.json", "hits.csv"])
    (tmp_path / "run.json").write_text("{}", encoding="utf-8")
    (tmp_path / "hits.csv").write_text("doc_id\n", encoding="utf-8")
    (tmp_path / "mine.csv").write_text("text\nA story of the user's.\n", encoding="utf-8")
    assert list(expand_paths([tmp_path])) == [tmp_path / "mine.csv", tmp_path / "story.txt"]
    assert list(expand_paths([str(tmp_path / "**" / "*.*")])) == [tmp_path / "mine.csv", tmp_path / "story.txt"]
    skipped = list(expand_paths([tmp_path / "out"]))
    assert len(skipped) == 1 and "framing's own output" in skipped[0].reason
    assert list(expand_paths([tmp_path / "out" / "documents.csv"])) == [tmp_path / "out" / "documents.csv"]
