"""Reports (framing/report.py): the batch of notebooks on a corpus, streamed to tables first, with an index;
and the highlight page written from files."""

import inspect
import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

import framing
from framing import report, run, tables
from framing.pages import index as index_page
from framing.cli import main
from framing.errors import FramingError, NotebookNotFoundError, ParameterError
from framing.report import build_report, check_parameters, notebook_dir, write_highlight

from conftest import SEEDS

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
    for table in (*tables.FILES.values(), "run.json"):
        assert (out / "tables" / table).exists()
        assert f'href="tables/{table}"' in index
    document_page = (out / "document_wire.html").read_text(encoding="utf-8")
    assert '<header class="framing-hl report-header"><a href="index.html">' in document_page  # the theme's shell
    assert ".framing-hl mark.hl-loaded" in document_page


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


def test_paths_and_out_are_required():
    # build_report once defaulted to the repository's seeds/ and reports/seeds
    parameters = inspect.signature(build_report).parameters
    assert all(parameters[name].default is inspect.Parameter.empty for name in ("paths", "out"))
    with pytest.raises(TypeError):
        build_report()  # noqa


def test_the_report_streams_the_analysis_instead_of_holding_the_corpus(tmp_path, monkeypatch):
    # the report once analysed the whole corpus in memory; it now writes the tables as framing analyze does
    # and reads them back, so the in-memory analysis must not be reached at all
    def in_memory(*args, **kwargs):
        raise AssertionError("the report analysed the corpus in memory")

    monkeypatch.setattr(run, "analyze", in_memory)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("Police said the gang was arrested.", encoding="utf-8")
    notebooks = _tiny_notebooks(tmp_path / "notebooks")
    result = build_report([corpus], tmp_path / "out", notebooks=notebooks, progress=False, jobs=1)
    assert [job.status for job in result.jobs] == ["ok", "ok"]
    record = json.loads((tmp_path / "out" / "tables" / "run.json").read_text())
    assert record["options"]["format"] == "csv" and record["n_documents"] == 1  # written by analyze_to_tables


def _tiny_notebooks(folder: Path) -> Path:
    """A document and a comparison notebook that only read the tables: a report in seconds."""
    folder.mkdir(parents=True)
    for name, extra in (("document_profile", 'doc_id: str = ""  # the document'),
                        ("corpus_comparison", 'group_by: str = "outlet"  # grouping')):
        book = nbformat.v4.new_notebook()
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        parameters = nbformat.v4.new_code_cell(f'tables: str = ""  # tables\nlexicons: list = []  # lexicons\n'
                                               f'targets: str = ""  # targets\n{extra}')
        parameters.metadata["tags"] = ["parameters"]
        book.cells = [parameters, nbformat.v4.new_code_cell(
            "import framing\nlen(framing.load_analysis(tables).documents)")]
        nbformat.write(book, folder / f"{name}.ipynb")
    return folder


def test_table_file_names_have_one_owner():
    # the report and its index name the tables through the module that writes them, never by repeating them
    sources = [inspect.getsource(report), inspect.getsource(index_page)]
    for name in tables.FILES.values():
        assert not any(name in source for source in sources), name


def test_notebooks_are_package_data_found_with_importlib_resources():
    folder = notebook_dir()
    assert folder == Path(framing.__file__).resolve().parent / "notebooks"
    assert {p.name for p in folder.glob("*.ipynb")} >= {report.DOCUMENT_NOTEBOOK, report.COMPARISON_NOTEBOOK}


def test_notebooks_not_on_the_file_system_are_a_clear_error(monkeypatch):
    class Zipped:  # what importlib.resources gives for a package inside a zip file: not a Path
        def __truediv__(self, name):
            return self

    monkeypatch.setattr(report.resources, "files", lambda package: Zipped())
    with pytest.raises(NotebookNotFoundError, match="--notebooks DIR"):
        notebook_dir()


def test_the_kernel_is_this_python_whatever_python3_kernelspec_is_around(tmp_path, monkeypatch):
    # a user-level "python3" kernelspec of another Python (without framing) used to capture every report
    decoy = tmp_path / "jupyter" / "kernels" / "python3"
    decoy.mkdir(parents=True)
    (decoy / "kernel.json").write_text(json.dumps({"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f",
                                                            "{connection_file}"], "display_name": "decoy",
                                                   "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    from jupyter_client.kernelspec import KernelSpecManager

    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == "/nonexistent/python"  # the decoy is seen
    manager = report._kernel_manager_class()(kernel_name="python3")
    assert manager.kernel_spec.argv[0] == sys.executable == report.kernel_python()


# ---- the highlight page -----------------------------------------------------------------------------------

def test_write_highlight_one_or_two_files(tmp_path):
    one = write_highlight([SEEDS / "000_c3c58989c2810429.txt"], tmp_path / "one.html")
    assert one == tmp_path / "one.html" and 'class="columns columns-1"' in one.read_text(encoding="utf-8")
    assert "Global Research" in one.read_text(encoding="utf-8")  # the metadata.csv beside the file is used
    two = write_highlight([SEEDS / "001_4dd1f95303bf43d2.txt", SEEDS / "003_c031984df73dd486.txt"], tmp_path)
    assert two.parent == tmp_path and two.suffix == ".html"
    assert two.read_text(encoding="utf-8").count('<article class="doc-column"') == 2


def test_write_highlight_takes_every_corpus_option(tmp_path):
    (tmp_path / "story.csv").write_text("body,paper\n\"Thugs flood the streets, critics claimed.\",The Daily\n",
                                        encoding="utf-8")
    (tmp_path / "meta.csv").write_text("file,title\nstory.csv,From the sidecar\n", encoding="utf-8")
    page = write_highlight([tmp_path / "story.csv"], tmp_path / "page.html", targets="thugs",
                           columns={"text": "body", "outlet": "paper"}, metadata=tmp_path / "meta.csv")
    text = page.read_text(encoding="utf-8")
    assert "<h2>The Daily</h2>" in text and "hl-loaded" in text


def test_write_highlight_bad_input_is_a_clear_framing_error(tmp_path):
    (tmp_path / "bad.json").write_text('{"broken": ', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    seed = SEEDS / "000_c3c58989c2810429.txt"
    cases = [([], "one file, or two"), ([seed, seed, seed], "got 3"), ([tmp_path / "missing.txt"], "no such file"),
             ([SEEDS], "is a directory"), ([tmp_path / "bad.json"], "cannot read .*bad.json: malformed JSON"),
             ([seed, tmp_path / "empty.txt"], "cannot read .*empty.txt: empty file")]
    for paths, message in cases:
        with pytest.raises(FramingError, match=message):
            write_highlight(paths, tmp_path / "out.html")
    assert not (tmp_path / "out.html").exists()
