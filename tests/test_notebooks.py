"""Every notebook: shipped in the package and copied, identical, in the repository's notebooks/; committed
without outputs with one typed, commented parameters cell; run in a real kernel through papermill on the seeds:
with its defaults from a folder that is not the repository's root (where JupyterLab or a pip install would start
it), and as the README's papermill examples show, from the repository root."""

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import papermill
import pytest

from framing.report import notebook_dir

from conftest import ROOT, SEEDS

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
    assert set(declared) == {"corpus", "document", "comparison", "evaluative"}
    assert all(info["inferred_type_name"] == ("bool" if name == "evaluative" else "str")
               for name, info in declared.items())


def _outputs(book):
    for cell in book.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


EXPECTED = [
    # tables read by people: labels with units from the glossary, a CSV beside each, what the columns mean
    ("document_profile", ['<th scope="col">Field</th>', "Rate<br>", "Group median", "sha256", "hl-loaded",
                          'download="000_c3c58989c2810429_devices.csv"', "What the columns mean"], 2),
    ("corpus_comparison", ["Negative sentences", "crime terror label", "Tone toward Albania", "Main loaded device",
                           'download="distinctive_words.svg"', 'download="distinctive_words.png"'], 5),
    ("term_explorer", ['<th scope="col">Before</th>', "narco-terror*", "Tone of the sentence", "Global Research"], 0),
    # the lesson: every kind of mark, the page of one document and of two, and the exercises' answers
    ("lesson", ["hl-hedges", "hl-attribution", "hl-scare", 'class="columns columns-2"', 'class="columns columns-1"',
                "framing finds", "Loaded terms (per 1,000 words)"], 0),
    ("validation", ["people_alpha", "belligerent alliance", "Every coded sentence was found."], 0),
    # one outlet against the rest: the default group is the first alphabetically, the seeds' "(unknown outlet)"
    ("group_profile", ["<h2>(unknown outlet)</h2>", '<th scope="col">all other outlets</th>', "Verdict",
                       "Why it matters", 'download="key_measures_by_group.svg"', "Edi Rama"], 1),
]


@pytest.mark.parametrize("path,tables,figures", EXPECTED, ids=[name for name, _, _ in EXPECTED])
def test_notebook_runs_with_its_defaults_from_a_folder_that_is_not_the_repository(tmp_path, path, tables, figures):
    # the default corpus "seeds" was relative to the repository root: from anywhere else, "the analysis holds
    # no documents"; now it is ./seeds where there is one, else the demo seeds framing ships
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    book = _execute(path, tmp_path / f"{path}.ipynb", cwd=elsewhere)
    outputs = list(_outputs(book))
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    for expected in tables:
        assert expected in html, expected
    # figures are shown with their alt text and downloads (views.show_figure), never as bare images
    assert html.count('<figure class="framing-figure">') >= figures
    assert not [o for o in outputs if "image/png" in o.get("data", {})]
    headings = " ".join(re.findall(r"<th[^>]*>(.*?)</th>", html))
    assert not re.search(r"\b(?:rate|share|target)_\w+|per_1000|sentiment_mean", headings), headings
    assert not list(elsewhere.iterdir())  # nothing written where the notebook ran


def test_the_document_profile_runs_with_its_defaults_where_jupyterlab_starts_it(tmp_path):
    # `papermill --cwd notebooks notebooks/document_profile.ipynb out.ipynb`: "UnknownDocumentError: the analysis
    # holds no documents" (JupyterLab starts the kernel in the notebook's folder)
    book = _execute("document_profile", tmp_path / "out.ipynb", cwd=ROOT / "notebooks")
    html = "".join(o.get("data", {}).get("text/html", "") for o in _outputs(book))
    assert "<h2>000_c3c58989c2810429</h2>" in html  # the first of the seeds
    assert not (ROOT / "notebooks" / "seeds").exists()


def _execute(name, output, **options):
    papermill.execute_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"), str(output), kernel_name="python3",
                               progress_bar=False, **options)
    book = nbformat.read(output, as_version=4)
    errors = [o for o in _outputs(book) if o.output_type == "error"]
    assert not errors, [f"{o.ename}: {o.evalue}" for o in errors]
    return book


README_EXAMPLES = [line.split("  #")[0].strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
                   if line.startswith(".venv/bin/papermill notebooks/")]


def test_the_readme_shows_every_notebook():
    assert {shlex.split(line)[1] for line in README_EXAMPLES} == {f"notebooks/{p.name}" for p in NOTEBOOKS}


@pytest.mark.parametrize("line", README_EXAMPLES, ids=[shlex.split(line)[1].split("/")[1] for line in README_EXAMPLES])
def test_the_readme_papermill_examples_run_as_shown(tmp_path, line):
    # the README's `papermill notebooks/term_explorer.ipynb out.ipynb -p terms '["flood*", "so-called"]'` passed
    # a string, read letter by letter: "0 occurrences of [, ", f, l, o, o, d, ..."
    command = shlex.split(line)
    command[0] = str(Path(sys.executable).parent / "papermill")
    command[2] = str(tmp_path / "out.ipynb")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    book = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert not [o for o in _outputs(book) if o.output_type == "error"]
    given = _given(command[3:])
    declared = papermill.inspect_notebook(command[1] if Path(command[1]).is_absolute() else str(ROOT / command[1]))
    for name, value in given.items():
        assert name in declared, name
        if declared[name]["inferred_type_name"] == "list":
            assert isinstance(value, list), f"the README gives {name} as {value!r}, which papermill passes as a string"
    if "terms" in given:
        html = "".join(o.get("data", {}).get("text/html", "") for o in _outputs(book))
        assert f"occurrences of {', '.join(given['terms'])}</p>" in html


def _given(arguments):
    """The parameters papermill's -p, -r and -y give (papermill's own reading of -p: numbers and booleans)."""
    import yaml
    from papermill.cli import _resolve_type

    given, rest = {}, list(arguments)
    while rest:
        option = rest.pop(0)
        if option in ("-p", "--parameters"):
            name, value = rest.pop(0), rest.pop(0)
            given[name] = _resolve_type(value)
        elif option in ("-r", "--parameters_raw"):
            name, value = rest.pop(0), rest.pop(0)
            given[name] = value
        elif option in ("-y", "--parameters_yaml"):
            given.update(yaml.safe_load(rest.pop(0)))
    return given


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_reads_its_list_parameters_and_its_corpus_through_framing(path):
    # a list given as a string (papermill -p, -r) is read as a list by framing.report.list_parameter, and the
    # default corpus found by framing.report.corpus_path, in every notebook that has them
    declared = papermill.inspect_notebook(str(path))
    book = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in book.cells[1:] if cell.cell_type == "code")
    for name, info in declared.items():
        if info["inferred_type_name"] == "list":
            assert f'list_parameter("{name}", {name})' in code, name
    if "corpus" in declared:
        assert "corpus_path(corpus)" in code and "analyze(corpus," not in code and "analyze(corpus)" not in code


def test_the_demo_seeds_ship_in_the_package_as_a_copy_of_seeds(tmp_path, monkeypatch):
    from framing.report import corpus_path, demo_corpus

    packaged = {p.name: p.read_bytes() for p in demo_corpus().iterdir() if p.is_file()}
    copies = {p.name: p.read_bytes() for p in SEEDS.iterdir() if p.is_file()}
    assert packaged == copies, "edit seeds/, then cp seeds/* framing/seeds/"
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "seeds/*" in package_data["framing"]
    monkeypatch.chdir(ROOT)
    assert corpus_path("seeds") == "seeds"  # a clone's root: its own seeds/
    monkeypatch.chdir(tmp_path)
    assert corpus_path("seeds") == str(demo_corpus())  # anywhere else: the copy framing ships
    assert corpus_path("my_corpus") == "my_corpus"  # anything else is the user's, as given
    (tmp_path / "seeds").mkdir()
    assert corpus_path("seeds") == "seeds"  # a folder of yours named seeds is yours
