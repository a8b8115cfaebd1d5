"""The package's layers: every import inside diemtin points down (or sideways within a layer).

The order is the data flow of docs/ARCHITECTURE.md: shared foundations first, then the stages
(sources -> Article -> copies -> Story -> Summary and Facts), then what runs them (pipeline,
store, batch), then what shows them (digest, web, CLI). Imports inside functions count too:
hiding an upward import in a function body still makes the lower layer depend on the higher.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "diemtin"

LAYERS = [
    "errors", "types", "links", "config", "times", "parallel",  # foundations
    "text", "render",                                           # text handling every stage uses
    "ingest", "dedup", "cluster", "summarizer", "facts", "sections",  # the stages
    "pipeline", "evaluate", "store", "batch", "watch",          # what runs and scores them (the
                                                                # facts check scores pipeline's own path)
    "digest", "web", "cli", "__main__",                         # what shows them
]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "diemtin":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = PACKAGE) -> list[tuple[str, int]]:
    """Every diemtin module `path` imports, with the line, relative imports resolved."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from diemtin import store` imports the subpackage, not the package's __init__
            names = [f"{base}.{alias.name}" for alias in node.names] if base == "diemtin" else [base]
            found += [(name, node.lineno) for name in names]
    return [(name, line) for name, line in found if name.split(".")[0] == "diemtin"]


def upward_edges(root: Path = PACKAGE) -> list[str]:
    edges = []
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        source = layer_of(name)
        if source == "__init__":
            continue  # the package's own __init__ re-exports the public API
        for target_module, line in imported_modules(path, root):
            target = layer_of(target_module)
            if target in (None, "__init__", source):
                continue
            if source not in LAYERS or target not in LAYERS:
                edges.append(f"{name}:{line} -> {target_module}: layer not listed in LAYERS")
            elif LAYERS.index(target) > LAYERS.index(source):
                edges.append(f"{name}:{line} -> {target_module} ({source} sits below {target})")
    return edges


def test_every_import_in_the_package_points_down():
    assert upward_edges() == []


def test_the_guard_reports_an_upward_import(tmp_path):
    # the guard itself can fail: a digest that imports the web layer is reported with its line
    package = tmp_path / "diemtin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "digest.py").write_text("import json\n\ndef html():\n    from diemtin.web.pages import page\n")
    (package / "web").mkdir()
    (package / "web" / "__init__.py").write_text("from .pages import page\n")
    (package / "web" / "pages.py").write_text("from diemtin import digest\n\ndef page(): ...\n")
    (package / "sidecar.py").write_text("from . import digest\n")
    edges = upward_edges(package)
    assert "diemtin.digest:4 -> diemtin.web.pages (digest sits below web)" in edges
    assert "diemtin.sidecar:1 -> diemtin.digest: layer not listed in LAYERS" in edges
    assert len(edges) == 2  # web -> digest points down; web/__init__ -> web.pages stays inside


@pytest.mark.parametrize("module", ["diemtin.times", "diemtin.parallel", "diemtin.text.sentences"])
def test_shared_helpers_live_below_every_stage(module):
    # time parsing, parallelism and sentence numbering are imported by several stages, so they
    # sit in their own modules, not inside one of the stages that use them
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    assert path.exists(), f"{module} is missing"
    assert LAYERS.index(layer_of(module)) < LAYERS.index("ingest")
