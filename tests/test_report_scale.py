"""Reports at scale (issue 16): document pages rendered without a kernel per document, streamed from the
tables; --document-notebooks; the index grouped by outlet with documents_index.csv; bounded similarity
figures."""

import csv
import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import framing
from framing import compare, plots, report, views
from framing.cli import main
from framing.errors import CompareError, ParameterError
from framing.model import Document
from framing.pages import documents as document_pages
from framing.report import build_report
from framing.tables import load_analysis

from conftest import check

matplotlib.use("Agg")

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'
SENTENCES = ["Police said the gang was arrested on Monday.", "Ruthless thugs flood the streets, critics claimed.",
             "The minister may reconsider the plan, it is understood.", "Clearly, the figures speak for themselves.",
             '"We will act," the mayor said.', "It is a shocking fiasco, one insider claimed."]


def _generated(folder, n: int, outlets: int = 3, *, hostile: str = ""):
    """``n`` short articles in ``outlets`` outlets, with metadata; document d2 carries ``hostile`` markup."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [["file", "outlet", "title"]]
    for i in range(n):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3 + i % 3))
        if i == 2 and hostile:
            text += f" The council said {hostile} was fine."
        (folder / f"d{i}.txt").write_text(text + "\n", encoding="utf-8")
        rows.append([f"d{i}.txt", f"Outlet {i % outlets}" + (f" {hostile}" if i == 2 and hostile else ""),
                     f"=HYPERLINK(\"http://x\") story {i}" if i == 1 else f"Story {i}"])
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def _record_notebook_runs(monkeypatch) -> list:
    """No kernel: every notebook job 'runs' at once; the jobs are returned. Rendered pages are made for real."""
    ran = []

    def fake(pending, out, **kwargs):
        for job in pending:
            assert job.kind == "notebook"
            (out / job.page).write_text(f"page of {job.name}", encoding="utf-8")
            (out / "notebooks" / f"{job.name}.ipynb").write_text("{}", encoding="utf-8")
            job.status = "ok"
            ran.append(job.name)

    monkeypatch.setattr(report, "_run_jobs", fake)
    return ran


@pytest.fixture(scope="module")
def generated_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scale")
    corpus = _generated(tmp / "corpus", 12, hostile=HOSTILE)
    monkeypatch = pytest.MonkeyPatch()
    ran = _record_notebook_runs(monkeypatch)
    try:
        result = build_report([corpus], tmp / "out", progress=False, jobs=1)
    finally:
        monkeypatch.undo()
    return result, ran


def test_every_document_gets_a_page_without_a_kernel_per_document(generated_report):
    result, ran = generated_report
    # notebooks: the comparison, and each outlet against the rest; no kernel for any document
    assert ran[0] == "corpus_comparison" and sorted(ran[1:]) == sorted(
        report.group_page_names(["Outlet 0", "Outlet 1", f"Outlet 2 {HOSTILE}", "Outlet 2"], "outlet").values())
    pages = sorted(p.name for p in result.out.glob("document_*.html"))
    assert pages == sorted(f"document_d{i}.html" for i in range(12))
    assert not list((result.out / "notebooks").glob("document_*"))
    assert {job.status for job in result.jobs if job.kind == "page"} == {"ok"}
    page = (result.out / "document_d4.html").read_text(encoding="utf-8")
    check(page[page.index("<html"):])
    # what the document-profile notebook shows, from the same views
    analysis = load_analysis(result.tables)
    profile = views.document_profile(analysis, "d4")
    for heading in ("Its measures beside its group and the corpus", "The text, marked up", "Tone, sentence by sentence",
                    "Framing devices by category", "Who speaks", "Tone toward the targets", "Every hit"):
        assert heading in page
    assert "No targets were given: add <code>--targets</code>" in page
    for sentence in profile.sentences["text"]:
        assert views.most_negative(profile).iloc[0]["text"] in page
    for matched in profile.hits["matched"]:
        assert matched in page
    measures = views.document_measures(analysis, "d4")
    row = measures[measures["measure"] == "rate_loaded"].iloc[0]
    # rounded for reading as every table of the report is (views.readable: a rate to one decimal)
    assert views.format_value(row["this_document"], "rate") in page
    assert views.format_value(row["group_median"], "rate") in page
    assert 'href="index.html"' in page and "Content-Security-Policy" in page and "<script" not in page


def test_rendered_pages_escape_markup_in_text_and_metadata(generated_report):
    result, _ = generated_report
    for page in [*result.out.glob("document_*.html"), result.out / "index.html"]:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text, page.name
    hostile = (result.out / "document_d2.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in hostile
    assert "Outlet 2 &lt;script&gt;" in hostile


def test_the_index_groups_documents_by_outlet_and_links_every_one(generated_report):
    result, _ = generated_report
    index = result.index.read_text(encoding="utf-8")
    check(index[index.index("<html"):])
    assert "Key measures by outlet" in index and 'role="img" aria-label="Key measures by outlet' in index
    sections = index.split("<details id=")[1:]
    assert len(sections) == 4  # three outlets, and the one d2's hostile outlet name makes
    for i in range(12):
        holding = [s for s in sections if f'href="document_d{i}.html"' in s]
        assert len(holding) == 1, i
        outlet = "Outlet 2 &lt;script&gt;" if i == 2 else f"Outlet {i % 3}"
        assert f"<summary>{outlet}" in holding[0]
    assert index.index("Key measures by outlet") < index.index("<h2>Corpus comparison") < \
        index.index("<h2>Outlets") < index.index("<h2>Documents") < index.index("<h2>Inputs that could not be read")
    assert 'href="documents_index.csv" download' in index


def test_documents_index_csv_lists_every_document_formulas_neutralised(generated_report):
    result, _ = generated_report
    with open(result.out / "documents_index.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["doc_id"] for r in rows) == sorted(f"d{i}" for i in range(12))
    assert {r["page"] for r in rows} == {f"document_d{i}.html" for i in range(12)}
    by_id = {r["doc_id"]: r for r in rows}
    assert by_id["d1"]["title"] == "'=HYPERLINK(\"http://x\") story 1"  # text, not a formula, in a spreadsheet
    assert by_id["d0"]["summary"].startswith("Outlet 0: ") and by_id["d0"]["state"] == "ok"


def test_an_unchanged_rerun_renders_nothing_and_a_changed_document_only_its_page(tmp_path, monkeypatch):
    _record_notebook_runs(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = ["file,outlet"]
    for i in range(6):
        (corpus / f"d{i}.txt").write_text("The council met on Monday. It approved the budget.", encoding="utf-8")
        rows.append(f"d{i}.txt,Outlet {i % 2}")
    (corpus / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    build_report([corpus], out, progress=False, jobs=1)
    again = build_report([corpus], out, progress=False, jobs=1)
    assert {job.status for job in again.jobs} == {"cached"}
    # the medians of its outlet and of the corpus stay those of the unchanged documents
    (corpus / "d5.txt").write_text("The council met on Monday. It approved the budget, and the plan.",
                                   encoding="utf-8")
    changed = build_report([corpus], out, progress=False, jobs=1)
    # and the outlets' pages, which set each outlet against the rest of the corpus
    assert sorted(job.name for job in changed.jobs if job.status != "cached") == [
        "corpus_comparison", "document_d5", "outlet_outlet-0", "outlet_outlet-1"]


def test_document_notebooks_runs_the_notebook_for_the_named_documents(tmp_path, monkeypatch, capsys):
    ran = _record_notebook_runs(monkeypatch)
    corpus = _generated(tmp_path / "corpus", 6)
    out = tmp_path / "out"
    assert main(["report", str(corpus), "--out", str(out), "--no-progress", "--jobs", "1",
                 "--document-notebooks", "d1,d4"]) == 0
    assert sorted(ran) == ["corpus_comparison", "document_d1", "document_d4", "outlet_outlet-0", "outlet_outlet-1",
                           "outlet_outlet-2"]
    assert (out / "notebooks" / "document_d1.ipynb").exists() and not (out / "notebooks" / "document_d0.ipynb").exists()
    assert "Document <code>d0</code>" in (out / "document_d0.html").read_text(encoding="utf-8")  # rendered
    ran.clear()
    result = build_report([corpus], tmp_path / "first", progress=False, jobs=1, document_notebooks=2)
    assert sorted(ran) == ["corpus_comparison", "document_d0", "document_d1", "outlet_outlet-0", "outlet_outlet-1",
                           "outlet_outlet-2"]
    assert {job.name: job.kind for job in result.jobs}["document_d2"] == "page"
    with pytest.raises(ParameterError, match="--document-notebooks: no document with id 'nope'"):
        build_report([corpus], tmp_path / "bad", progress=False, jobs=1, document_notebooks="nope,d1")


def test_every_outlet_gets_its_own_page_against_the_rest_linked_from_the_index(generated_report):
    result, _ = generated_report
    groups = {job.group: job for job in result.jobs if job.group}
    assert sorted(groups) == ["Outlet 0", "Outlet 1", "Outlet 2", f"Outlet 2 {HOSTILE}"]
    for group, job in groups.items():
        assert job.kind == "notebook" and job.notebook.name == report.GROUP_NOTEBOOK
        assert job.parameters["group"] == group and job.parameters["group_by"] == "outlet"
        assert job.parameters["link_documents"] is True and job.parameters["tables"] == str(result.tables)
    index = result.index.read_text(encoding="utf-8")
    outlets = index[index.index("<h2>Outlets"):index.index("<h2>Documents")]
    assert f'<a href="{groups["Outlet 1"].page}">Outlet 1</a>' in outlets
    assert "Outlet 2 &lt;script&gt;" in outlets and "<script>" not in outlets
    assert 'href="#outlet-1-outlet-1"' in outlets  # and to its documents below


def test_group_page_names_are_unique_and_never_another_pages_name():
    names = report.group_page_names(["The Post", "the post", "comparison", "x/../y"], "corpus")
    assert len(set(names.values())) == 4
    assert names["comparison"] != report.COMPARISON_NAME and names["comparison"].startswith("corpus_comparison-")
    assert all(re.fullmatch(r"[a-z0-9_-]+", name) for name in names.values())


def test_document_notebook_choice_reads_the_option():
    choose = report.document_notebook_choice
    assert choose("all") == "all" and choose("none") == "none" and choose("3") == 3
    assert choose("a, b") == ["a", "b"] and choose(None) == report.DEFAULT_DOCUMENT_NOTEBOOKS == 0


def test_a_page_that_fails_is_written_with_its_error_and_the_others_are_made(tmp_path, monkeypatch):
    _record_notebook_runs(monkeypatch)
    real = document_pages.render_document_page

    def breaks_on_d3(analysis, doc_id, **kwargs):
        if doc_id == "d3":
            raise ValueError("this document breaks its <page>")
        return real(analysis, doc_id, **kwargs)

    monkeypatch.setattr(document_pages, "render_document_page", breaks_on_d3)
    corpus = _generated(tmp_path / "corpus", 5)
    assert main(["report", str(corpus), "--out", str(tmp_path / "out"), "--no-progress", "--jobs", "1"]) == 2
    failed = (tmp_path / "out" / "document_d3.html").read_text(encoding="utf-8")
    assert "ValueError: this document breaks its &lt;page&gt;" in failed
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<span class="state-failed">failed: ValueError: this document breaks its &lt;page&gt;' in index
    assert "Story 4" in (tmp_path / "out" / "document_d4.html").read_text(encoding="utf-8")


# ---- streaming the tables ----------------------------------------------------------------------------------

def test_streamed_documents_hold_the_same_rows_as_the_tables(tmp_path):
    corpus = _generated(tmp_path / "corpus", 9)
    framing.run.analyze_to_tables([corpus], tmp_path / "tables", progress=False, jobs=1)
    whole = load_analysis(tmp_path / "tables")
    ids = whole.documents["doc_id"].tolist()
    # 3 rows a chunk: every document's rows cross a chunk boundary somewhere
    streamed = list(document_pages.stream_documents(tmp_path / "tables", ids, rows=3))
    assert [d.doc_id for d in streamed] == ids
    for found in streamed:
        for table in ("sentences", "hits", "quotes"):
            expected = getattr(whole, table)
            expected = expected[expected["doc_id"] == found.doc_id].reset_index(drop=True)
            pd.testing.assert_frame_equal(getattr(found, table).reset_index(drop=True), expected, check_dtype=False)
        assert found.text == whole.texts[found.doc_id]


def test_tables_out_of_the_documents_order_are_read_whole_with_the_same_rows(tmp_path):
    corpus = _generated(tmp_path / "corpus", 5)
    framing.run.analyze_to_tables([corpus], tmp_path / "tables", progress=False, jobs=1)
    path = tmp_path / "tables" / "sentences.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.iloc[::-1].to_csv(path, index=False)  # every document's rows backwards, documents in reverse
    whole = load_analysis(tmp_path / "tables")
    ids = whole.documents["doc_id"].tolist()
    streamed = {d.doc_id: d for d in document_pages.stream_documents(tmp_path / "tables", ids, rows=2)}
    assert list(streamed) == ids
    for doc_id in ids:
        assert sorted(streamed[doc_id].sentences["text"]) == sorted(whole.sentences[whole.sentences["doc_id"] ==
                                                                                    doc_id]["text"])


# ---- bounded similarity -------------------------------------------------------------------------------------

def _many(n: int, outlets: int = 4):
    return framing.analyze([Document(doc_id=f"d{i:03d}", text=" ".join(SENTENCES[(i + k) % 6] for k in range(3))
                                     + f" Word{i} appears.", source=f"d{i}.txt", format="txt",
                                     outlet=f"Outlet {i % outlets}", title=f"T{i}") for i in range(n)])


@pytest.fixture(scope="module")
def many():
    return _many(60)


def test_the_similarity_figure_shows_groups_above_the_limit_and_stays_bounded(many):
    overview = compare.similarity_overview(many, "outlet")
    assert overview.attrs["level"] == "group" and overview.shape == (4, 4)
    figure = plots.similarity_heatmap(overview)
    image = figure.axes[0].images[0]
    assert image.get_array().shape == (4, 4)  # cells: groups, not 60 x 60 documents
    width, height = figure.get_size_inches() * figure.dpi
    assert width <= (0.45 * plots.HEATMAP_CELLS + 4.5) * figure.dpi and height <= (0.45 * plots.HEATMAP_CELLS + 3) * figure.dpi
    with pytest.raises(ValueError, match="a similarity heatmap shows at most 40 rows, not 60"):
        plots.similarity_heatmap(compare.similarity(many))
    small = compare.similarity_overview(_many(6), "outlet")
    assert small.attrs["level"] == "document" and small.shape == (6, 6)
    plt.close(figure)


def test_regression_heatmap_x_labels_are_not_cut_at_the_bottom(many):
    figure = plots.similarity_heatmap(compare.similarity_overview(many, "outlet"))
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    for label in figure.axes[0].get_xticklabels():
        extent = label.get_window_extent(renderer)
        assert extent.y0 >= box.y0 - 0.5 and extent.x0 >= box.x0 - 0.5, label.get_text()
    plt.close(figure)


def test_group_similarity_is_the_mean_cosine_between_documents_of_the_groups(many):
    pairs = compare.similarity(many)
    table = compare.group_similarity(many, "outlet")
    outlets = many.documents.set_index("doc_id")["outlet"]
    a = [d for d in pairs.index if outlets[d] == "Outlet 0"]
    b = [d for d in pairs.index if outlets[d] == "Outlet 1"]
    assert table.loc["Outlet 0", "Outlet 1"] == pytest.approx(pairs.loc[a, b].to_numpy().mean())
    within = pairs.loc[a, a].to_numpy()
    assert table.loc["Outlet 0", "Outlet 0"] == pytest.approx((within.sum() - len(a)) / (len(a) * (len(a) - 1)))


def test_near_duplicates_found_a_block_at_a_time_match_the_whole_table(many, monkeypatch):
    import importlib

    module = importlib.import_module("framing.compare.similarity")

    whole = compare.near_duplicates(compare.similarity(many), threshold=0.5)
    monkeypatch.setattr(module, "BLOCK_ROWS", 7)
    blocks = compare.near_duplicates(many, threshold=0.5)
    assert len(whole) > 0
    key = ["doc_a", "doc_b"]
    pd.testing.assert_frame_equal(blocks.sort_values(key, ignore_index=True), whole.sort_values(key, ignore_index=True),
                                  check_exact=False)


def test_a_document_table_past_the_limit_is_refused_by_name(many, monkeypatch):
    import importlib

    module = importlib.import_module("framing.compare.similarity")

    monkeypatch.setattr(module, "MAX_DOCUMENTS", 50)
    with pytest.raises(CompareError, match="60 documents: a document-by-document similarity table stops at 50"):
        compare.similarity(many)


def test_headline_intervals_from_documents_give_the_pooled_group_values(many):
    table = compare.document_intervals(many.documents, "outlet", n_boot=200)
    profile = compare.profiles(many, "outlet", n_boot=0)
    for measure in ("rate_loaded", "sentiment_mean", "share_negative"):
        for group in ("Outlet 0", "Outlet 3"):
            mine = table[(table.group == group) & (table.measure == measure)].iloc[0]
            theirs = profile.table[(profile.table.group == group) & (profile.table.measure == measure)].iloc[0]
            assert mine["value"] == pytest.approx(theirs["value"])
            assert mine["low"] <= mine["value"] <= mine["high"]


def test_rendered_pages_mark_evaluative_words_only_when_the_report_asks(tmp_path, monkeypatch):
    _record_notebook_runs(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(2):
        (corpus / f"d{i}.txt").write_text("The council met on Monday. Critics called the wonderful plan a fiasco.",
                                          encoding="utf-8")
    plain = build_report([corpus], tmp_path / "plain", progress=False, jobs=1)
    marked = build_report([corpus], tmp_path / "marked", progress=False, jobs=1,
                          extra_parameters={"evaluative": True})
    page = (plain.out / "document_d0.html").read_text(encoding="utf-8")
    assert '<mark class="hl hl-evaluative" tabindex' not in page and "wonderful" in page  # listed, not marked
    assert '<mark class="hl hl-evaluative" tabindex' in (marked.out / "document_d0.html").read_text(encoding="utf-8")
