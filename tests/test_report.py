import json
import shutil

import nbformat
import pytest

from framing.errors import ParameterError
from framing.batch import build_report, check_parameters, notebook_dir
from framing.cli import main

EVIL = 'The minister said <script>alert("x")</script> and <img src=x onerror="alert(1)"> were "vicious lies".'


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "wire.txt").write_text("Police said the gang was arrested on Monday. Officers seized cash. "
                                     "It is believed the men are Albanian nationals.", encoding="utf-8")
    (corpus / "tabloid.txt").write_text("Ruthless thugs flood Britain's streets, the shocking report revealed. "
                                        "Albanian mobsters are clearly winning.", encoding="utf-8")
    (corpus / "evil.txt").write_text(EVIL, encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "metadata.csv").write_text("file,outlet\nwire.txt,Wire\ntabloid.txt,Tabloid\nevil.txt,Evil <b>Inc</b>\n",
                                         encoding="utf-8")
    return corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("report")
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    code = main(["report", str(corpus), "--out", str(out), "--jobs", "2", "--no-progress"])
    return corpus, out, code


def test_report_end_to_end_with_one_bad_document(built):
    corpus, out, code = built
    assert code == 1  # one input skipped (empty.txt), every report written
    index = (out / "index.html").read_text(encoding="utf-8")
    for doc_id in ("wire", "tabloid", "evil"):
        assert (out / f"document_{doc_id}.html").exists()
        assert (out / "notebooks" / f"document_{doc_id}.ipynb").exists()
        assert f'href="document_{doc_id}.html"' in index
    assert (out / "corpus_comparison.html").exists()
    assert "empty.txt" in index and "empty file" in index
    for table in ("documents.csv", "sentences.csv", "hits.csv", "errors.csv", "run.json"):
        assert (out / "tables" / table).exists()


def test_reports_escape_document_text_and_stand_alone(built):
    _, out, _ = built
    for page in list(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in text and "<img src=x" not in text, page.name
        assert "<b>Inc</b>" not in text, page.name
        assert "src=\"http" not in text and "src='http" not in text, page.name
    evil = (out / "document_evil.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in evil and "&lt;img src=x onerror" in evil
    assert "data:image/png;base64" in evil  # figures embedded


def test_reports_record_what_they_were_made_with(built):
    _, out, _ = built
    run = json.loads((out / "tables" / "run.json").read_text())
    page = (out / "document_wire.html").read_text(encoding="utf-8")
    assert run["lexicons"]["loaded"]["sha256"] in page and run["versions"]["pandas"] in page
    assert run["lexicons"]["loaded"]["sha256"] in (out / "index.html").read_text(encoding="utf-8")


def test_a_second_run_reruns_nothing_and_a_changed_document_only_itself(built, tmp_path):
    corpus, out, _ = built
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    again = build_report([corpus], copy, progress=False, jobs=2)
    assert {job.status for job in again.jobs} == {"cached"}
    (corpus / "wire.txt").write_text("Police said the gang was arrested on Tuesday. Savage thugs fled.", encoding="utf-8")
    changed = build_report([corpus], copy, progress=False, jobs=2)
    rerun = sorted(job.name for job in changed.jobs if job.status != "cached")
    assert rerun == ["corpus_comparison", "document_wire"]
    forced = build_report([corpus], copy, progress=False, jobs=2, force=True)
    assert all(job.status == "ok" for job in forced.jobs)


def test_a_failing_notebook_is_saved_with_its_error_and_the_rest_go_on(tmp_path):
    corpus = _corpus(tmp_path)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(notebook_dir(), notebooks)
    book = nbformat.read(notebooks / "document_profile.ipynb", as_version=4)
    book.cells.insert(2, nbformat.v4.new_code_cell(
        'if doc_id == "tabloid":\n    raise ValueError("this document breaks a figure")'))
    nbformat.write(book, notebooks / "document_profile.ipynb")
    out = tmp_path / "out"
    code = main(["report", str(corpus), "--out", str(out), "--notebooks", str(notebooks), "--no-progress"])
    assert code == 2
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "this document breaks a figure" in index
    failed_page = (out / "document_tabloid.html").read_text(encoding="utf-8")
    assert "this document breaks a figure" in failed_page  # the error is visible in the saved report
    assert "ValueError" in json.dumps(nbformat.read(out / "notebooks" / "document_tabloid.ipynb", as_version=4))
    assert "this document breaks a figure" not in (out / "document_wire.html").read_text(encoding="utf-8")
    assert (out / "corpus_comparison.html").exists()


def test_unknown_and_mistyped_parameters_are_errors_naming_them():
    notebooks = notebook_dir()
    with pytest.raises(ParameterError, match="unknown parameter 'doc_idd'"):
        check_parameters(notebooks / "document_profile.ipynb", {"doc_idd": "x"})
    with pytest.raises(ParameterError, match="parameter 'window' must be int"):
        check_parameters(notebooks / "term_explorer.ipynb", {"window": "wide"})
    check_parameters(notebooks / "term_explorer.ipynb", {"window": 3, "terms": ["a*"]})


def test_cli_rejects_an_unknown_parameter_in_every_report(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    code = main(["report", str(corpus), "--out", str(tmp_path / "out"), "-p", "colour", "red", "--no-progress"])
    assert code == 2
    assert "unknown parameter 'colour'" in capsys.readouterr().err
