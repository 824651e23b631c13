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


# Tests run as root, who can read a chmod 000 folder: permission errors are simulated where the code meets them.

def _deny(monkeypatch, denied, *names):
    """os.<name>(path) raises PermissionError for ``denied`` (and, for os.stat, anything under it)."""
    import os

    for name in names:
        original = getattr(os, name)

        def refuse(path, *args, _original=original, _name=name, **kwargs):
            target = os.fspath(path)
            if target == str(denied) or (_name == "stat" and target.startswith(str(denied) + os.sep)):
                raise PermissionError(13, "Permission denied", target)
            return _original(path, *args, **kwargs)

        monkeypatch.setattr(os, name, refuse)


def test_regression_an_unreadable_sub_folder_was_skipped_silently(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "open.txt").write_text(BODY, encoding="utf-8")
    _deny(monkeypatch, tmp_path / "locked", "listdir", "scandir")
    documents, errors = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["open"]
    assert [(e.source, e.reason) for e in errors] == [(str(tmp_path / "locked"), "permission denied")]


def test_regression_an_explicit_path_under_an_unreadable_folder_aborted_the_run(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "open.txt").write_text(BODY, encoding="utf-8")
    _deny(monkeypatch, tmp_path / "locked", "stat")
    documents, errors = load_corpus([tmp_path / "locked" / "a.txt", tmp_path / "open.txt"])
    assert [d.doc_id for d in documents] == ["open"]
    assert [(e.source, e.reason) for e in errors] == [(str(tmp_path / "locked" / "a.txt"), "permission denied")]


def test_an_unreadable_file_is_one_error_saying_permission_denied(tmp_path, monkeypatch):
    import builtins

    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    original = builtins.open

    def refuse(path, *args, **kwargs):
        if str(path) == str(tmp_path / "a.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr("io.open", refuse)
    documents, errors = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["b"]
    assert [(e.source, e.reason) for e in errors] == [(str(tmp_path / "a.txt"), "permission denied")]


def test_regression_broken_symlinks_and_fifos_were_skipped_silently(tmp_path):
    import os

    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    documents, errors = load_corpus(tmp_path)  # a FIFO opened for reading would block forever
    assert [d.doc_id for d in documents] == ["good"]
    assert [(e.source, e.reason) for e in errors] == [(str(tmp_path / "broken.txt"), "broken symbolic link"),
                                                      (str(tmp_path / "pipe.txt"), "not a regular file (FIFO)")]
    # named one by one, or by a glob, they give the same errors
    for paths in ([tmp_path / "broken.txt", tmp_path / "pipe.txt"], [str(tmp_path / "[bp]*.txt")]):
        documents, errors = load_corpus(paths)
        assert documents == [] and [e.reason for e in errors] == ["broken symbolic link", "not a regular file (FIFO)"]


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
