"""The set-up promises: pyproject and environment.yml agree, CI runs the README's test command, the layers hold."""

import re
import tomllib

from conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["test"]}
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    # conda-forge packages dask.distributed separately; pip's dask[distributed] extra is the same thing
    listed = (listed - {"distributed"}) if "dask" in listed else listed
    assert listed == wanted


def test_python_and_console_script():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"]["framing"] == "framing.cli:main"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme.split("\n## ", 1)[0]  # among the first lines, before any section
    assert [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))] == ["make test"]


def test_reports_are_ignored_by_git():
    assert "/reports/*" in (ROOT / ".gitignore").read_text().splitlines()


def test_pages_never_import_the_report_or_the_cli():
    # pages render what an analysis holds; running analyses and writing files is the report's and the CLI's
    import ast

    for path in sorted((ROOT / "framing" / "pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                     for alias in node.names}
        assert not {name for name in imported if name.startswith(("framing.report", "framing.cli"))}, path.name
