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
        assert not (out / "notebooks" / f"document_{doc_id}.ipynb").exists()  # rendered, no kernel
        assert f'href="document_{doc_id}.html"' in index
    assert (out / "corpus_comparison.html").exists()
    assert (out / "notebooks" / "corpus_comparison.ipynb").exists()
    assert "empty.txt" in index and "empty file" in index
    for table in (*tables.FILES.values(), "run.json"):
        assert (out / "tables" / table).exists()
        assert f'href="tables/{table}"' in index
    executed = out / "notebooks" / "corpus_comparison.ipynb"
    assert nbformat.read(executed, as_version=4).metadata.papermill.output_path == str(executed)
    assert not list(out.rglob("*framing-partial*"))  # written beside, then renamed in one step
    document_page = (out / "document_wire.html").read_text(encoding="utf-8")
    assert '<header class="report-header"><a href="index.html">' in document_page  # the theme's shell
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
    assert '<svg class="framing-chart" role="img" aria-label="Tone of each sentence' in evil  # figures inline
    comparison = (out / "corpus_comparison.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in comparison  # the notebook's figures embedded


def test_every_page_allows_no_script_and_no_network(built):
    _, out, _ = built
    from html.parser import HTMLParser

    class Policies(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
                self.found.append(attrs.get("content"))

    pages = sorted(out.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "methods.html", "corpus_comparison.html", "document_wire.html"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = Policies()
        parser.feed(text[:text.index("</head>")])  # in the head, before anything it governs
        assert parser.found == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"], page.name
        assert "<script" not in text, page.name  # nbconvert's scripts too: the pages need none


def test_every_report_has_its_methods_as_a_page_and_as_markdown(built):
    _, out, _ = built
    run = json.loads((out / "tables" / "run.json").read_text())
    markdown = (out / "methods.md").read_text(encoding="utf-8")
    page = (out / "methods.html").read_text(encoding="utf-8")
    for text in (markdown, page):
        for cited in ("Hutto", "Monroe", "Boydstun", "Spinde", "Hamborg", "Newell"):
            assert cited in text
        assert run["lexicons"]["loaded"]["sha256"] in text and f"{run['lexicons']['hedges']['entries']:,}" in text
        assert "1,000 times" in text and "sentences of each group were resampled" in text
        assert "macro-F1 0.664" in text  # the validity figures
    assert 'href="methods.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in page and 'href="methods.md"' in page
    record = json.loads((out / "cache.json").read_text())["files"]
    assert "sha256" in record["methods.md"] and "sha256" in record["methods.html"]  # framing's own files


def test_reports_record_what_they_were_made_with(built):
    _, out, _ = built
    run = json.loads((out / "tables" / "run.json").read_text())
    page = (out / "document_wire.html").read_text(encoding="utf-8")
    assert run["lexicons"]["loaded"]["sha256"] in page and run["versions"]["pandas"] in page
    assert run["lexicons"]["loaded"]["sha256"] in (out / "index.html").read_text(encoding="utf-8")


def test_a_second_run_reruns_nothing_and_force_reruns_everything(built, tmp_path):
    # what a change re-runs: test_document_pages_rerun_when_the_corpus_median_they_show_changes and the next
    corpus, out, _ = built
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    again = build_report([corpus], copy, progress=False, jobs=2)
    assert {job.status for job in again.jobs} == {"cached"}
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
    code = main(["report", str(corpus), "--out", str(out), "--notebooks", str(notebooks), "--no-progress",
                 "--document-notebooks", "all"])
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
    (corpus / "two.txt").write_text("Officers seized cash.", encoding="utf-8")
    notebooks = _tiny_notebooks(tmp_path / "notebooks")
    result = build_report([corpus], tmp_path / "out", notebooks=notebooks, progress=False, jobs=2)
    assert [job.status for job in result.jobs] == ["ok", "ok", "ok"]
    record = json.loads((tmp_path / "out" / "tables" / "run.json").read_text())
    assert record["options"]["format"] == "csv" and record["n_documents"] == 2  # written by analyze_to_tables


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


def test_regression_a_kernel_that_lost_its_port_failed_the_report(tmp_path, monkeypatch):
    # two workers starting kernels at once were given the same port; the kernel died before it ran a cell
    import papermill

    notebook = tmp_path / "in.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), notebook)
    calls = []

    def flaky(source, output, **kwargs):
        calls.append(output)
        if len(calls) < report.KERNEL_START_ATTEMPTS:
            raise RuntimeError("Kernel died before replying to kernel_info")
        nbformat.write(nbformat.read(source, as_version=4), output)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    status = report.run_notebook(str(notebook), str(tmp_path / "out.ipynb"), {}, str(tmp_path / "out.html"))
    assert status == ("ok", "") and len(calls) == report.KERNEL_START_ATTEMPTS
    assert (tmp_path / "out.ipynb").is_file() and (tmp_path / "out.html").is_file()
    # a kernel that never starts, or any other error, fails the report with its reason: not retried forever
    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: calls.append(1) or (_ for _ in ()).throw(
        RuntimeError("Kernel died before replying to kernel_info")))
    status = report.run_notebook(str(notebook), str(tmp_path / "out2.ipynb"), {}, str(tmp_path / "out2.html"))
    assert status[0] == "failed" and "Kernel died" in status[1] and len(calls) == report.KERNEL_START_ATTEMPTS
    # a kernel that died after a cell ran is not retried: running the cells again could repeat what they did
    calls.clear()

    def died_after_a_cell(source, output, **kwargs):
        calls.append(output)
        ran = nbformat.read(source, as_version=4)
        ran.cells[0].execution_count = 1
        nbformat.write(ran, output)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", died_after_a_cell)
    status = report.run_notebook(str(notebook), str(tmp_path / "out4.ipynb"), {}, str(tmp_path / "out4.html"))
    assert status[0] == "failed" and len(calls) == 1
    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: calls.append(1) or (_ for _ in ()).throw(
        ValueError("not a notebook")))
    status = report.run_notebook(str(notebook), str(tmp_path / "out3.ipynb"), {}, str(tmp_path / "out3.html"))
    assert status == ("failed", "ValueError: not a notebook") and len(calls) == 1


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


# ---- the report folder: framing replaces and deletes only what it wrote -----------------------------------

def _plain_corpus(folder: Path, *names: str) -> Path:
    """Plain text files, no metadata: one outlet, "unknown", for all."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = ["Police said the gang was arrested on Monday. Officers seized cash.",
             "Ruthless thugs flood the streets, the shocking report revealed. Mobsters are clearly winning.",
             "The minister said the figures may be about right, critics claimed."]
    for i, name in enumerate(names):
        (folder / f"{name}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
    return folder


def _fake_notebook_runs(monkeypatch) -> list:
    """No kernel: every pending report 'runs' at once, writing its page and notebook; the jobs that ran are
    returned (the cache, the folder's record and the parameters are what is tested)."""
    ran = []

    def fake(pending, out, **kwargs):
        for job in pending:
            (out / job.page).write_text(f"page of {job.name}", encoding="utf-8")
            (out / "notebooks").mkdir(exist_ok=True)
            (out / "notebooks" / f"{job.name}.ipynb").write_text("{}", encoding="utf-8")
            job.status = "ok"
            ran.append(job)

    monkeypatch.setattr(report, "_run_jobs", fake)
    return ran


def test_report_keeps_a_notebook_of_yours_in_out_notebooks(tmp_path, monkeypatch):
    # `framing report seeds --out study` deleted study/notebooks/my_thesis.ipynb
    _fake_notebook_runs(monkeypatch)
    corpus = _plain_corpus(tmp_path / "corpus", "one", "two", "three")
    study = tmp_path / "study"
    (study / "notebooks").mkdir(parents=True)
    thesis = study / "notebooks" / "my_thesis.ipynb"
    thesis.write_text('{"my": "work"}', encoding="utf-8")
    build_report([corpus], study, progress=False, jobs=1, document_notebooks="all")
    assert thesis.read_text(encoding="utf-8") == '{"my": "work"}'
    assert (study / "notebooks" / "document_three.ipynb").exists()
    # a document leaves the corpus: the page and notebook framing wrote for it go, nothing else does
    (corpus / "three.txt").unlink()
    build_report([corpus], study, progress=False, jobs=1, document_notebooks="all")
    assert thesis.read_text(encoding="utf-8") == '{"my": "work"}'
    assert not (study / "notebooks" / "document_three.ipynb").exists()
    assert not (study / "document_three.html").exists()
    assert (study / "document_two.html").exists()


def test_report_never_writes_over_the_notebooks_it_runs(tmp_path, monkeypatch):
    # with --notebooks study2/notebooks --out study2, document_profile.ipynb was deleted and
    # corpus_comparison.ipynb overwritten by its executed copy
    _fake_notebook_runs(monkeypatch)
    corpus = _plain_corpus(tmp_path / "corpus", "one", "two")
    study = tmp_path / "study2"
    notebooks = _tiny_notebooks(study / "notebooks")
    before = {p.name: p.read_bytes() for p in notebooks.iterdir()}
    with pytest.raises(FramingError, match="executed corpus_comparison.ipynb would replace yours"):
        build_report([corpus], study, notebooks=notebooks, progress=False, jobs=1)
    assert {p.name: p.read_bytes() for p in notebooks.iterdir()} == before
    assert main(["report", str(corpus), "--out", str(study), "--notebooks", str(notebooks), "--no-progress"]) == 2
    assert {p.name: p.read_bytes() for p in notebooks.iterdir()} == before


def test_report_refuses_to_replace_a_file_framing_did_not_write(tmp_path, monkeypatch):
    # framing wrote its pages and notebooks over whatever had their names
    ran = _fake_notebook_runs(monkeypatch)
    corpus = _plain_corpus(tmp_path / "corpus", "one", "two")
    out = tmp_path / "out"
    (out / "notebooks").mkdir(parents=True)
    mine = out / "notebooks" / "document_one.ipynb"
    mine.write_text("mine", encoding="utf-8")
    with pytest.raises(FramingError, match=r"notebooks/document_one.ipynb \(not written by framing\)"):
        build_report([corpus], out, progress=False, jobs=1, document_notebooks="all")
    assert mine.read_text(encoding="utf-8") == "mine" and not ran
    mine.unlink()
    build_report([corpus], out, progress=False, jobs=1, document_notebooks="all")
    # a page framing wrote and you edited is yours now: not replaced, even with force
    (out / "document_one.html").write_text("my notes on this page", encoding="utf-8")
    with pytest.raises(FramingError, match=r"document_one.html \(changed since framing wrote it\)"):
        build_report([corpus], out, progress=False, jobs=1, force=True)
    assert (out / "document_one.html").read_text(encoding="utf-8") == "my notes on this page"
    # an index of yours is refused before the corpus is analysed
    (out / "document_one.html").unlink()
    index = tmp_path / "elsewhere"
    (index / "index.html").parent.mkdir()
    (index / "index.html").write_text("my index", encoding="utf-8")
    monkeypatch.setattr(run, "analyze_to_tables", lambda *a, **k: pytest.fail("analysed before refusing"))
    with pytest.raises(FramingError, match=r"index.html \(not written by framing\)"):
        build_report([corpus], index, progress=False, jobs=1)
    assert (index / "index.html").read_text(encoding="utf-8") == "my index"


def test_a_cache_json_framing_did_not_write_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "analyze_to_tables", lambda *a, **k: pytest.fail("analysed before refusing"))
    (tmp_path / "cache.json").write_text('["my", "data"]', encoding="utf-8")
    with pytest.raises(FramingError, match="cache.json: framing keeps its record"):
        build_report([tmp_path], tmp_path, progress=False, jobs=1)
    assert (tmp_path / "cache.json").read_text(encoding="utf-8") == '["my", "data"]'


def test_the_cache_of_an_older_framing_vouches_for_its_pages(tmp_path, monkeypatch):
    # reports made before framing recorded its files: their pages are still framing's to replace
    _fake_notebook_runs(monkeypatch)
    corpus = _plain_corpus(tmp_path / "corpus", "one", "two")
    out = tmp_path / "out"
    (out / "notebooks").mkdir(parents=True)
    for name in ("document_one", "document_two", "corpus_comparison"):
        (out / f"{name}.html").write_text("old", encoding="utf-8")
        (out / "notebooks" / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    (out / "index.html").write_text("old", encoding="utf-8")
    (out / "cache.json").write_text(json.dumps({name: {"digest": "x", "status": "ok"} for name in
                                                ("document_one", "document_two", "corpus_comparison")}))
    result = build_report([corpus], out, progress=False, jobs=1)
    assert {job.status for job in result.jobs} == {"ok"}
    assert "one" in (out / "document_one.html").read_text(encoding="utf-8")  # rendered again, over the old page


def test_files_are_replaced_in_one_step(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old", encoding="utf-8")
    report.write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and [p.name for p in tmp_path.iterdir()] == ["page.html"]


# ---- the cache key of a page holds what the page shows ----------------------------------------------------

def test_document_pages_rerun_when_the_corpus_median_they_show_changes(tmp_path, monkeypatch):
    # after adding 31 documents, the 30 old pages stayed "unchanged" and showed the old corpus median
    _fake_notebook_runs(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "calm.txt").write_text("The council met on Monday. It approved the budget.", encoding="utf-8")
    (corpus / "calm2.txt").write_text("The school opened on Tuesday. Parents came.", encoding="utf-8")
    out = tmp_path / "out"
    build_report([corpus], out, progress=False, jobs=1)
    again = build_report([corpus], out, progress=False, jobs=1)
    assert {job.status for job in again.jobs} == {"cached"}
    for i in range(3):
        (corpus / f"loud{i}.txt").write_text("Ruthless thugs and savage mobsters flood the streets in a shocking "
                                             "invasion, terrified residents claimed.", encoding="utf-8")
    grown = build_report([corpus], out, progress=False, jobs=1)
    statuses = {job.name: job.status for job in grown.jobs}
    assert statuses["document_calm"] == statuses["document_calm2"] == "ok", statuses  # the median moved


def test_a_changed_document_that_leaves_the_medians_alone_reruns_only_itself(tmp_path, monkeypatch):
    _fake_notebook_runs(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text("The council met on Monday. It approved the budget.", encoding="utf-8")
    out = tmp_path / "out"
    build_report([corpus], out, progress=False, jobs=1)
    (corpus / "c.txt").write_text("The council met on Monday. It approved the budget, and the plan.", encoding="utf-8")
    changed = build_report([corpus], out, progress=False, jobs=1)
    assert sorted(job.name for job in changed.jobs if job.status != "cached") == ["corpus_comparison", "document_c"]


# ---- one group, one document ------------------------------------------------------------------------------

def test_choose_grouping_compares_documents_when_all_are_in_one_group():
    from types import SimpleNamespace

    import pandas as pd

    from framing.compare import Grouping, choose_grouping

    documents = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["", "", ""], "author": ["x", "y", "x"]})
    one = choose_grouping(SimpleNamespace(documents=documents), "outlet")
    assert (one.group_by, one.comparable) == ("document", True)
    assert one.note == ("All 3 documents have the same outlet (unknown outlet), so the comparison is between the "
                        "documents themselves (grouped by document).")
    assert choose_grouping(SimpleNamespace(documents=documents), "author") == Grouping("author", "author", 2)
    single = choose_grouping(SimpleNamespace(documents=documents.head(1)), "outlet")
    assert not single.comparable and "one document only" in single.note
    with pytest.raises(FramingError, match="one document only"):
        single.require()


def test_a_corpus_with_one_group_compares_its_documents_and_exits_zero(tmp_path, capsys):
    # three plain .txt files (no outlet) exited 2: "nothing to compare: need at least two groups"
    corpus = _plain_corpus(tmp_path / "corpus", "one", "two", "three")
    notebooks = _tiny_notebooks(tmp_path / "notebooks")
    shutil.copy(notebook_dir() / "corpus_comparison.ipynb", notebooks / "corpus_comparison.ipynb")
    out = tmp_path / "out"
    assert main(["report", str(corpus), "--out", str(out), "--notebooks", str(notebooks), "--no-progress"]) == 0
    note = "All 3 documents have the same outlet (unknown outlet), so the comparison is between the documents"
    assert note in capsys.readouterr().err
    assert note in (out / "corpus_comparison.html").read_text(encoding="utf-8")
    assert note in (out / "index.html").read_text(encoding="utf-8")


def test_a_corpus_of_one_document_has_no_comparison_and_the_index_says_why(tmp_path, monkeypatch):
    ran = _fake_notebook_runs(monkeypatch)
    corpus = _plain_corpus(tmp_path / "corpus", "one")
    result = build_report([corpus], tmp_path / "out", progress=False, jobs=1, document_notebooks=1)
    assert [job.name for job in ran] == ["document_one"]
    index = result.index.read_text(encoding="utf-8")
    assert "There is no comparison: the corpus holds one document only" in index
    assert "No comparison page" not in index


# ---- parameters: checked once, before any work, and sent where they are declared -------------------------

def test_a_parameter_goes_only_to_the_notebooks_that_declare_it(tmp_path, monkeypatch):
    # -p n_boot 50 went to every notebook, and every document profile failed on it
    ran = _fake_notebook_runs(monkeypatch)
    corpus = _plain_corpus(tmp_path / "corpus", "one", "two")
    build_report([corpus], tmp_path / "out", progress=False, jobs=1, extra_parameters={"n_boot": 50},
                 document_notebooks="all")
    parameters = {job.name: job.parameters for job in ran}
    assert parameters["corpus_comparison"]["n_boot"] == 50
    assert "n_boot" not in parameters["document_one"] and "n_boot" not in parameters["document_two"]


def test_parameters_are_checked_once_before_the_analysis(tmp_path, monkeypatch):
    # an unknown parameter was found per notebook after the whole analysis: 10,000 failures for 10,000 documents
    monkeypatch.setattr(run, "analyze_to_tables", lambda *a, **k: pytest.fail("analysed before checking"))
    calls = []
    inspect_notebook = report.declared_parameters
    monkeypatch.setattr(report, "declared_parameters", lambda path: calls.append(path) or inspect_notebook(path))
    corpus = _plain_corpus(tmp_path / "corpus", "one")
    with pytest.raises(ParameterError, match="unknown parameter 'colour': no notebook of the report declares it"):
        build_report([corpus], tmp_path / "out", progress=False, jobs=1, extra_parameters={"colour": "red"})
    assert len(calls) <= 3  # each notebook (document, comparison, group profile) inspected once
    with pytest.raises(ParameterError, match="parameter 'n_boot' must be int"):
        build_report([corpus], tmp_path / "out", progress=False, jobs=1, extra_parameters={"n_boot": "many"})
    with pytest.raises(ParameterError, match="'group_by' is set by framing report: give --group-by"):
        build_report([corpus], tmp_path / "out", progress=False, jobs=1, extra_parameters={"group_by": "author"})
    with pytest.raises(ParameterError, match="'corpus' is set by framing report: the report analyses the PATH"):
        build_report([corpus], tmp_path / "out", progress=False, jobs=1, extra_parameters={"corpus": "seeds"})
    # your own notebooks must declare what framing passes them
    notebooks = _tiny_notebooks(tmp_path / "notebooks")
    book = nbformat.read(notebooks / "document_profile.ipynb", as_version=4)
    book.cells[0].source = 'tables: str = ""  # tables'
    nbformat.write(book, notebooks / "document_profile.ipynb")
    with pytest.raises(ParameterError, match="declares no 'lexicons', 'targets', 'doc_id'"):
        build_report([corpus], tmp_path / "out", notebooks=notebooks, progress=False, jobs=1)


def test_a_parameter_value_that_is_not_yaml_is_an_error_naming_the_parameter(tmp_path, capsys):
    code = main(["report", str(tmp_path), "--out", str(tmp_path / "out"), "-p", "top_words", "[3, 4", "--no-progress"])
    assert code == 2
    assert "parameter 'top_words': '[3, 4' is not a YAML value" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_list_parameter_given_as_a_string_is_read_as_a_list_not_letter_by_letter():
    # papermill -p terms '["gang*", "Albanian*"]' passes a string; the page said 0 occurrences of [, ", g, a, ...
    from framing.report import list_parameter

    for given in ('["gang*", "Albanian*"]', "[gang*, Albanian*]", "gang*, Albanian*", " gang* ,Albanian*, ",
                  ["gang*", "Albanian*"], ("gang*", "Albanian*")):
        assert list_parameter("terms", given) == ["gang*", "Albanian*"], given
    assert list_parameter("terms", "so-called") == ["so-called"]
    assert list_parameter("lexicons", "") == [] and list_parameter("lexicons", None) == []
    with pytest.raises(ParameterError, match="parameter 'terms': '\\[gang\\*' is not a list"):
        list_parameter("terms", "[gang*")
    with pytest.raises(ParameterError, match="parameter 'window' must be a list, got int 3"):
        list_parameter("window", 3)
    # framing report reads -p VALUE as YAML; a list parameter given a plain string is read the same way
    assert check_parameters(notebook_dir() / "term_explorer.ipynb", {"terms": "gang*, so-called"}) == {
        "terms": ["gang*", "so-called"]}


# ---- noise ------------------------------------------------------------------------------------------------

def test_report_runs_print_no_kernel_warnings(tmp_path, capfd):
    # 301 "Kernel is running over TCP without encryption" warnings printed, even with --no-progress
    corpus = _plain_corpus(tmp_path / "corpus", "one", "two")
    notebooks = _tiny_notebooks(tmp_path / "notebooks")
    assert main(["report", str(corpus), "--out", str(tmp_path / "out"), "--notebooks", str(notebooks),
                 "--no-progress", "--jobs", "2"]) == 0
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err + captured.out
    assert "WARNING" not in captured.err
    assert captured.err.splitlines()[-1].startswith("framing: 3 reports run, 0 unchanged, 0 failed")
