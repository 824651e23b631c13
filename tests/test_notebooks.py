"""Every notebook runs in a real kernel through papermill on the seeds, with its defaults, from the repo root."""

import json

import nbformat
import papermill
import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_three_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= {"document_profile", "corpus_comparison", "term_explorer"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs_with_one_typed_commented_parameters_cell(path):
    book = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in book["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is book["cells"][0]
    declared = papermill.inspect_notebook(str(path))
    assert declared
    for name, info in declared.items():
        assert info["inferred_type_name"] not in ("None", ""), name
        assert info["help"], f"{name} has no comment"


def _outputs(book):
    for cell in book.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


@pytest.mark.parametrize("path,tables,figures", [
    ("document_profile", ["<th>field</th>", "per_1000_words", "ratio_to_median", "sha256"], 2),
    ("corpus_comparison", ["share_negative", "crime_terror_label", "target_Albania_sentiment", "main_device"], 3),
    ("term_explorer", ["<th>left</th>", "narco-terror*", "sentence_sentiment"], 0),
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
