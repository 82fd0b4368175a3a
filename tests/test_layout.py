"""The package layout holds: one package a stage, imports down the pipeline, MkDocs in one place."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# A stage imports the archive and the stages before it (the archive is the data they all share).
STAGES = ["archive", "harvest", "curate", "site", "search", "deploy"]
SHARED = {"config", "errors", "fileio", "logsafe", "progress", "memory"}
ROOTS = {"cli", "mkdocs_hooks", "__main__", "__init__"}
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def place(path: Path) -> str:
    """'archive', 'harvest', … for a stage's module; the module's name for one at the top."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported(path: Path) -> set[str]:
    """The generator modules and packages ``path`` imports, as dotted names under generator."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "generator":
                names.update(alias.name for alias in node.names)
            elif node.module.startswith("generator."):
                names.add(node.module.removeprefix("generator."))
        elif isinstance(node, ast.Import):
            names.update(a.name.removeprefix("generator.") for a in node.names if a.name.startswith("generator."))
    return names


def allowed(importer: str, target: str) -> bool:
    top = target.split(".")[0]
    if importer in ROOTS or top in SHARED or top == "__init__":
        return True
    if importer in SHARED:
        return top in SHARED or target == "__version__"
    if top in STAGES:
        return STAGES.index(top) <= STAGES.index(importer)
    return target == "__version__"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_down_the_pipeline(path):
    importer = place(path)
    assert importer in STAGES or importer in SHARED or importer in ROOTS, f"{path}: not in a stage package"
    wrong = sorted(t for t in imported(path) if not allowed(importer, t))
    assert not wrong, f"{path.relative_to(PACKAGE)} imports {wrong}: a stage imports only the ones before it"


def test_the_top_holds_only_shared_modules_and_composition_roots():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= SHARED | ROOTS, f"modules at the top that belong in a stage: {sorted(top - SHARED - ROOTS)}"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(STAGES)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_hooks_know_mkdocs(path):
    if path.name == "mkdocs_hooks.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [n for n in names if n.split(".")[0] in {"mkdocs", "material"}], f"{path} imports MkDocs"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_long(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)}: {lines} lines (split it by what it does)"


def test_the_layout_test_catches_an_upward_import():
    assert not allowed("archive", "site.render")
    assert not allowed("harvest", "curate.topics")
    assert not allowed("config", "archive.models")
    assert allowed("search", "site.render") and allowed("curate", "harvest.checks") and allowed("cli", "search.page")


def test_the_tests_follow_the_same_layout():
    tests = PACKAGE.parent / "tests"
    folders = {p.name for p in tests.iterdir() if p.is_dir() and p.name not in {"fixtures", "__pycache__"}}
    assert folders == set(STAGES), "a stage's tests go in tests/<stage>/, shared ones at the top"
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), "test modules are imported by name: each name once"
