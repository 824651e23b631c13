"""Imports flow one way through the package: a module imports only modules below it in LAYERS, never one
above it or beside it, so there is no import circle (lazy imports inside functions count too)."""

import ast

from conftest import ROOT

PACKAGE = ROOT / "framing"
# lowest first; a module may import only modules of earlier entries (a sub-package's modules may also import
# each other, in an order of their own that has no circle)
LAYERS = ["_version", "errors", "model", "clean", "segment", "lexicons", "sentiment", "tone", "voice", "read", "measure", "tables",
          "coder", "run", "compare", "validate", "views", "plots", "pages", "report", "cli"]


def _unit(module: str) -> str:
    """framing.read.formats -> read; framing.cli -> cli; framing -> the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "framing"


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "framing":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "framing":
            if node.module == "framing":
                for alias in node.names:  # from framing import measure, tables
                    yield node.lineno, f"framing.{alias.name}"
            else:
                yield node.lineno, node.module


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        name = ".".join(("framing", *relative.parts)).removesuffix(".__init__")
        yield name, path


def test_every_module_has_a_layer():
    units = {_unit(name) for name, _ in _modules()} - {"framing"}
    assert units <= set(LAYERS), units - set(LAYERS)


def test_imports_flow_one_way():
    wrong = []
    for name, path in _modules():
        unit = _unit(name)
        if unit == "framing":  # the package's __init__ is the public API: it may import from any layer
            continue
        for line, imported in _imports(path):
            target = _unit(imported)
            if target == unit:
                continue
            if target == "framing":
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports the package itself (framing/__init__.py)")
            elif target not in LAYERS or LAYERS.index(target) > LAYERS.index(unit):
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({unit}) imports {imported} ({target}), a layer above")
    assert not wrong, "\n".join(wrong)


def test_no_circle_inside_a_sub_package():
    graph = {}
    for name, path in _modules():
        graph[name] = {imported for _, imported in _imports(path)
                       if imported != name and _unit(imported) == _unit(name) and _unit(name) != "framing"
                       and imported != f"framing.{_unit(name)}"}  # a sub-package's __init__ re-exports its modules

    def visit(node, trail):
        if node in trail:
            raise AssertionError("import circle: " + " -> ".join([*trail[trail.index(node):], node]))
        for nxt in graph.get(node, ()):
            visit(nxt, [*trail, node])

    for name in graph:
        visit(name, [])
