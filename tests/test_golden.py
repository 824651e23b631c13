"""The tables of `framing analyze` on the seeds and a small corpus of every input format, byte for byte.

The mixed corpus (tests/data/mixed) holds every format framing reads, a sidecar metadata.csv, an id given twice,
a cut-off JSONL line, an empty record and a quote-heavy text. A change that alters any table shows up here as a
diff of the files under tests/golden/. When the change is meant, rewrite them with
``FRAMING_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and say in the commit what changed.
"""

import os

import pytest

from framing.cli import main

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
TABLE_FILES = ("documents.csv", "sentences.csv", "hits.csv", "quotes.csv", "errors.csv", "texts.jsonl")


@pytest.fixture(scope="module")
def golden_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "out"
    here = os.getcwd()
    os.chdir(ROOT)  # relative inputs: the `source` column must not depend on where the repository lies
    try:
        status = main(["analyze", "seeds", "tests/data/mixed", "--out", str(out), "--no-progress"])
    finally:
        os.chdir(here)
    return status, out


def test_golden_run_exit_status_counts_the_skipped_inputs(golden_run):
    status, _ = golden_run
    assert status == 1  # the cut-off JSONL line and the empty record


@pytest.mark.parametrize("name", TABLE_FILES)
def test_golden_tables_are_unchanged(golden_run, name):
    _, out = golden_run
    produced = (out / name).read_bytes()
    if os.environ.get("FRAMING_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        (GOLDEN / name).write_bytes(produced)
    expected = (GOLDEN / name).read_bytes()
    if produced != expected:
        produced_lines, expected_lines = produced.decode().splitlines(), expected.decode().splitlines()
        first = next((i for i, (a, b) in enumerate(zip(produced_lines, expected_lines)) if a != b),
                     min(len(produced_lines), len(expected_lines)))
        pytest.fail(f"{name} differs from tests/golden/{name} first at line {first + 1} "
                    f"({len(produced_lines)} lines produced, {len(expected_lines)} expected):\n"
                    f"  produced: {produced_lines[first][:300] if first < len(produced_lines) else '(none)'}\n"
                    f"  expected: {expected_lines[first][:300] if first < len(expected_lines) else '(none)'}")
