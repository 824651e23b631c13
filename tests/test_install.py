"""`pip install` alone gives a working framing: the wheel, installed in a fresh virtual environment, runs
`framing report` in an empty directory (no clone around it), notebooks and page templates included.

Slow (marked ``slow``, about a minute): it builds the wheel, makes a virtual environment and runs a report of
two documents. To download nothing, the wheel is installed without its dependencies, and the fresh
environment sees the test environment's packages through a .pth file that names their folder: a plain path
line adds the folder to sys.path without running the .pth files inside it, so the test environment's editable
install of framing is not active there, and the framing imported is the wheel's.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _run(command, **kwargs):
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{command[:4]} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_framing_report_runs_from_a_plain_install_of_the_wheel(tmp_path):
    started = time.monotonic()
    # build from a copy: the build leaves build/ and *.egg-info where it runs
    source = tmp_path / "source"
    shutil.copytree(ROOT / "framing", source / "framing", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
          "--disable-pip-version-check", "-w", wheels, source])
    wheel = next(wheels.glob("framing-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for name in ("document_profile", "corpus_comparison", "term_explorer", "lesson"):
        assert f"framing/notebooks/{name}.ipynb" in names
    assert {"framing/pages/templates/framing_report/conf.json",
            "framing/pages/templates/framing_report/index.html.j2"} <= names
    # the pages' templates and the data the pages read: the glossary, the validity figures, the references
    assert {"framing/pages/templates/base.html.j2", "framing/pages/templates/index.html.j2",
            "framing/pages/templates/table.html.j2", "framing/pages/templates/methods.html.j2",
            "framing/glossary.tsv", "framing/validity.tsv", "framing/references.tsv"} <= names

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
          "--disable-pip-version-check", wheel])
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    (venv / site.split(str(venv) + os.sep, 1)[1] / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # the data files nbconvert installs into its environment's prefix (the lab template the pages extend),
    # where a real install of nbconvert in the fresh environment would put them
    (venv / "share" / "jupyter").mkdir(parents=True)
    (venv / "share" / "jupyter" / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")

    # nothing of the test environment or of this machine's Jupyter: and a "python3" kernelspec of a Python
    # that does not exist, where a user's own would be, which must not be the kernel the report starts
    decoy = tmp_path / "jupyter-data" / "kernels" / "python3"
    decoy.mkdir(parents=True)
    (decoy / "kernel.json").write_text(json.dumps({"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f",
                                                            "{connection_file}"],
                                                   "display_name": "not this one", "language": "python"}))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER_PATH")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HOME=str(tmp_path / "home"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"), JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"), MPLCONFIGDIR=str(tmp_path / "matplotlib"))
    (tmp_path / "home").mkdir()
    work = tmp_path / "work"  # an empty directory: no notebooks/, no seeds/, no framing/ beside it
    work.mkdir()
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "wire.txt").write_text("Police said the gang was arrested on Monday. Officers seized cash. "
                                        "It is believed the men are Albanian nationals.", encoding="utf-8")
    (documents / "tabloid.txt").write_text("Ruthless thugs flood Britain's streets, the shocking report revealed. "
                                           "Albanian mobsters are clearly winning.", encoding="utf-8")
    (documents / "metadata.csv").write_text("file,outlet\nwire.txt,Wire\ntabloid.txt,Tabloid\n", encoding="utf-8")

    where = _run([python, "-c", "import framing, sys; from ipykernel.kernelspec import get_kernel_dict; "
                                "print(framing.__file__); print(get_kernel_dict()['argv'][0]); print(sys.executable)"],
                 cwd=work, env=env).stdout.split("\n")
    assert where[0].startswith(site + os.sep), f"framing imported from {where[0]}, not from the fresh environment"
    assert where[1] == where[2] == str(python)  # ipykernel's own kernelspec runs sys.executable

    report = _run([venv / "bin" / "framing", "report", documents / "wire.txt", documents / "tabloid.txt",
                   "--out", "report", "--jobs", "2", "--no-progress"], cwd=work, env=env)
    out = work / "report"
    for page in ("index.html", "document_wire.html", "document_tabloid.html", "corpus_comparison.html",
                 "methods.html", "methods.md"):
        assert (out / page).is_file(), f"{page} missing:\n{report.stderr[-3000:]}"
    index = (out / "index.html").read_text(encoding="utf-8")
    # the comparison ran; the documents' pages (rendered, from the shipped templates) are listed in the CSV
    assert "0 report(s) failed" in index and index.count('<span class="state-ok">ok</span>') == 1
    listed = (out / "documents_index.csv").read_text(encoding="utf-8").splitlines()
    assert len(listed) == 3 and all(line.endswith(",ok") for line in listed[1:])
    assert f"Notebooks ran in: <code>{python}</code>" in index
    page = (out / "document_tabloid.html").read_text(encoding="utf-8")
    assert "hl-loaded" in page and 'class="report-header"' in page  # rendered, from the shipped base template
    assert "What the columns mean" in page  # the glossary was found
    print(f"wheel built, installed and `framing report` run in {time.monotonic() - started:.1f} s")
