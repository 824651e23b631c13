"""framing.read.metadata: metadata from the files and from the sidecar."""

from framing.read import load_corpus

from conftest import BODY


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


def test_sidecar_fills_gaps_and_overrides(tmp_path):
    (tmp_path / "a.md").write_text(f"# Own title\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet,title\na.md,Side Outlet,Side title\n", encoding="utf-8")
    (doc,), errors = load_corpus(tmp_path)
    assert errors == []
    assert (doc.outlet, doc.title) == ("Side Outlet", "Side title")


def test_regression_a_windows_1252_or_unreadable_sidecar_stopped_the_run(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text(f"# Own title\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_bytes("file,outlet\na.md,Caf\u00e9 News\n".encode("cp1252"))
    (doc,), errors = load_corpus(tmp_path)
    assert errors == [] and doc.outlet == "Caf\u00e9 News"
    original = type(tmp_path).read_bytes

    def refuse(path):
        if path.name == "metadata.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(type(tmp_path), "read_bytes", refuse)
    (doc,), errors = load_corpus(tmp_path)
    assert doc.title == "Own title"
    assert [(e.source, e.reason) for e in errors] == [(str(tmp_path / "metadata.csv"),
                                                       "metadata sidecar: permission denied")]
