"""The layer order of docs/architecture.md, asserted from the import graph.

Every module under ``src/dotterel`` belongs to one layer (by its top-level package or module); an
import may point to the same package or to a lower layer, never up, and never sideways to another
package of the same layer. Imports are read with ``ast`` from the whole module, function-level
imports included, plus string constants that name a Dotterel module (``importlib.import_module``
tables such as ``pipeline.STAGES``).

Layer 0 is the foundation (errors, settings, tables, words, ontology, spans, records): its modules may import
each other as long as they form no cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Layer of each top-level package or module of ``dotterel`` (lowest first). ``dotterel`` itself
#: (``__init__.py``: the public API, ``code_text``/``read_inputs``) counts as part of the pipeline.
LAYERS: dict[str, int] = {
    "errors": 0, "settings": 0, "tables": 0, "words": 0, "ontology": 0, "spans": 0, "records": 0,
    "ingest": 1,
    "nlp": 2,
    "actors": 3, "quotes": 3, "times": 3,
    "events": 4,
    "assemble": 5,
    "pipeline": 6,
    "store": 7,
    "export": 8, "corpus": 8, "eval": 8, "batch": 8,
    "web": 9,
    # The top: the command line (`dotterel serve` calls web's run_server) and the notebook API
    # (analysis: the flat export table as DataFrames, bucketed by the explorer's own periods).
    "cli": 10, "analysis": 10,
}
LAYER_NAMES = {0: "foundation", 1: "ingest", 2: "nlp", 3: "stages", 4: "events", 5: "assemble", 6: "pipeline",
               7: "store", 8: "batch/export/corpus/eval", 9: "web", 10: "cli/analysis"}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str
    line: int


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file for every module of the ``dotterel`` package under ``root``."""
    names = {}
    for path in sorted((root / "dotterel").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _resolve(name: str, known: set[str]) -> str | None:
    """The longest known module ``name`` starts with (``dotterel.events.lexicon.TRIGGERS`` -> the module)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, known: set[str]) -> list[Import]:
    """Every reference from ``module`` to another Dotterel module: import statements anywhere in the
    file (function bodies and ``if TYPE_CHECKING`` blocks too) and string constants naming a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def add(name: str, line: int) -> None:
        target = _resolve(name, known)
        if target is not None and target != module:
            found.append(Import(module, target, line))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:  # ``from dotterel import web`` imports the module dotterel.web
                add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("dotterel."):
            if node.value in known:
                add(node.value, node.lineno)
    return sorted(set(found), key=lambda i: (i.line, i.imported))


def unit(module: str) -> str:
    """The layered unit a module belongs to: its top-level package or module under ``dotterel``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "pipeline"


def violations(root: Path = SRC) -> list[str]:
    """One message per import that breaks the layer order (or per module with no declared layer)."""
    modules = module_names(root)
    known = set(modules)
    problems = []
    for module in sorted(modules):
        if unit(module) not in LAYERS:
            problems.append(f"{module} ({modules[module].relative_to(root)}) has no layer: add its package to "
                            "LAYERS in tests/test_layers.py and to docs/architecture.md")
    for module, path in sorted(modules.items()):
        src_unit = unit(module)
        if src_unit not in LAYERS:
            continue
        for imp in imports_of(module, path, known):
            dst_unit = unit(imp.imported)
            if dst_unit == src_unit or dst_unit not in LAYERS:
                continue
            src, dst = LAYERS[src_unit], LAYERS[dst_unit]
            where = f"{path.relative_to(root)}:{imp.line}"
            if dst > src:
                problems.append(f"{module} (layer {src}, {LAYER_NAMES[src]}) imports {imp.imported} "
                                f"(layer {dst}, {LAYER_NAMES[dst]}), a higher layer, at {where}")
            elif dst == src and src != 0:
                problems.append(f"{module} imports {imp.imported}: different packages of the same layer {src} "
                                f"({LAYER_NAMES[src]}) must not import each other, at {where}")
    problems += foundation_cycles(modules, known)
    return problems


def foundation_cycles(modules: dict[str, Path], known: set[str]) -> list[str]:
    """Layer-0 packages may import each other, but not in a cycle."""
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        if LAYERS.get(unit(module)) != 0:
            continue
        for imp in imports_of(module, path, known):
            if LAYERS.get(unit(imp.imported)) == 0 and unit(imp.imported) != unit(module):
                graph.setdefault(unit(module), set()).add(unit(imp.imported))
    cycles = []

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    for a in sorted(graph):
        for b in sorted(graph[a]):
            if a < b and reaches(b, a, {b}):
                cycles.append(f"foundation modules {a} and {b} import each other (a cycle in layer 0)")
    return cycles


def test_no_import_points_up_the_layers() -> None:
    problems = violations()
    assert not problems, "imports against the layer order (docs/architecture.md):\n" + "\n".join(problems)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "dotterel" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("files", "expected"), [
    ({"__init__.py": "", "store/__init__.py": "", "errors.py": "def f():\n    from dotterel.store import Store\n"},
     "dotterel.errors (layer 0, foundation) imports dotterel.store (layer 7, store), a higher layer, at dotterel/errors.py:2"),
    ({"__init__.py": "", "actors/__init__.py": "", "times/__init__.py": "", "times/a.py": "from ..actors import x\n"},
     "dotterel.times.a imports dotterel.actors: different packages of the same layer 3"),
    ({"__init__.py": "", "nlp.py": "", "spans.py": "STAGE = 'dotterel.nlp'\n"},
     "dotterel.spans (layer 0, foundation) imports dotterel.nlp (layer 2, nlp)"),
    ({"__init__.py": "", "shiny.py": ""}, "dotterel.shiny (dotterel/shiny.py) has no layer"),
    ({"__init__.py": "", "tables.py": "import dotterel.errors\n", "errors.py": "from dotterel import tables\n"},
     "foundation modules errors and tables import each other"),
])
def test_the_checker_names_both_ends(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    problems = violations(_tree(tmp_path, files))
    assert any(expected in p for p in problems), problems


def test_the_checker_accepts_downward_and_same_package_imports(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"__init__.py": "", "errors.py": "", "events/__init__.py": "from .rules import x\n",
                            "events/rules.py": "from dotterel.errors import E\n",
                            "web/__init__.py": "import dotterel.events.rules\nfrom dotterel import errors\n"})
    assert violations(root) == []


def test_records_hold_the_output_contract_only() -> None:
    """``records/`` is the output contract: pydantic models (and the constants they are built from),
    no functions and no other classes; building records from a coded Doc lives in ``assemble/``."""
    import importlib
    import inspect

    from pydantic import BaseModel

    for module in sorted(m for m in module_names(SRC) if unit(m) == "records"):
        mod = importlib.import_module(module)
        own = {n: o for n, o in vars(mod).items() if getattr(o, "__module__", None) == module}
        functions = sorted(n for n, o in own.items() if inspect.isfunction(o))
        classes = sorted(n for n, o in own.items() if inspect.isclass(o) and not issubclass(o, BaseModel))
        assert not functions and not classes, f"{module}: functions {functions}, non-model classes {classes}"
