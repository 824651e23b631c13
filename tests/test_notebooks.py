"""Every notebook: shipped in the package and copied, identical, in the repository's notebooks/; committed
without outputs with one typed, commented parameters cell; run once in a real kernel through papermill on the
seeds, with its defaults, from the repository root (as `papermill notebooks/X.ipynb out.ipynb` from a clone)."""

import json

import nbformat
import papermill
import pytest

from framing.report import notebook_dir

from conftest import ROOT

PACKAGED = notebook_dir()
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= {"document_profile", "corpus_comparison", "term_explorer", "lesson"}


def test_the_repository_copies_are_the_packaged_notebooks():
    # framing/notebooks/ is what a pip install ships and `framing report` runs; notebooks/ is where people look
    packaged = {p.name: p.read_bytes() for p in PACKAGED.glob("*.ipynb")}
    copies = {p.name: p.read_bytes() for p in NOTEBOOKS}
    assert sorted(copies) == sorted(packaged), "notebooks/ and framing/notebooks/ hold different notebooks"
    differ = [name for name in packaged if packaged[name] != copies[name]]
    assert not differ, f"{differ} differ: edit framing/notebooks/, then cp framing/notebooks/*.ipynb notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs_with_one_typed_commented_parameters_cell(path):
    book = json.loads(path.read_text(encoding="utf-8"))
    assert book["metadata"]["kernelspec"]["name"] == "python3"
    assert all(cell.get("id") for cell in book["cells"])
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in book["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is book["cells"][0]
    assert all(line.count("=") <= 1 for line in "".join(tagged[0]["source"]).splitlines())
    declared = papermill.inspect_notebook(str(path))
    assert declared
    for name, info in declared.items():
        assert info["inferred_type_name"] not in ("None", ""), name
        assert info["help"], f"{name} has no comment"


def test_the_lesson_takes_a_corpus_and_two_documents():
    declared = papermill.inspect_notebook(str(ROOT / "notebooks" / "lesson.ipynb"))
    assert set(declared) == {"corpus", "document", "comparison"}
    assert all(info["inferred_type_name"] == "str" for info in declared.values())


def _outputs(book):
    for cell in book.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


@pytest.mark.parametrize("path,tables,figures", [
    ("document_profile", ["<th>field</th>", "per_1000_words", "ratio_to_median", "sha256", "hl-loaded"], 2),
    ("corpus_comparison", ["share_negative", "crime_terror_label", "target_Albania_sentiment", "main_device"], 3),
    ("term_explorer", ["<th>left</th>", "narco-terror*", "sentence_sentiment"], 0),
    # the lesson: every kind of mark, the page of one document and of two, and the exercises' answers
    ("lesson", ["hl-hedges", "hl-attribution", "hl-scare", 'class="columns columns-2"', 'class="columns columns-1"',
                "framing finds", "loaded_per_1000"], 0),
])
def test_notebook_runs_with_its_defaults_on_the_seeds(tmp_path, monkeypatch, path, tables, figures):
    monkeypatch.chdir(ROOT)  # defaults are relative to the repository root, as in `papermill notebooks/X.ipynb`
    output = tmp_path / f"{path}.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / f"{path}.ipynb"), str(output), kernel_name="python3",
                               progress_bar=False)
    book = nbformat.read(output, as_version=4)
    outputs = list(_outputs(book))
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    for expected in tables:
        assert expected in html, expected
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= figures
