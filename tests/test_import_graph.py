"""The floors of the package (README, "Utveckling"), read from the import graph with `ast`:
a writer knows nothing of IOP, the documents never reach up into the CLI or the web
editor, `holidays` is imported only by schedule/workdays.py, and no module-level import
circle. Beside them, the house itself: every document kind in its own folder, and no
module over 450 lines without a reason at its top.

The checker runs on iopkit itself and on small synthetic trees that break each rule, so
that a checker that finds nothing cannot pass unnoticed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "iopkit"

#: What a writer (Markdown IR to a format) may import inside iopkit: other writers and
#: the floors below everything (files, errors, Swedish formatting, the draft's date).
WRITER_MAY_IMPORT = ("writers", "files", "errors", "format", "dates")
#: The documents and what builds them: the kinds (documents/), the pipeline (render/),
#: the follow-up's figures, the comparison, the calendar and the register.
DOCUMENT_FLOORS = ("documents", "render", "outcomes", "diff", "calendar", "register")
#: What no document may import: the floors above it.
ABOVE_DOCUMENTS = ("cli", "commands", "serve")
#: The one place that knows Swedish holidays.
SCHEDULE = "schedule.workdays"

#: The floors, bottom first, numbered from 1 as in the README ("Utveckling"): a module
#: imports only from its own floor or one below. Keys are the package's top-level modules and packages, or a
#: module inside one that sits on another floor than its package.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("__init__", "errors", "files", "streams", "format", "dates"),
    ("writers",),
    # spec/yearly.py is the avtalsår arithmetic, plain dates that import nothing of
    # iopkit; the schedule builds on it.
    ("schedule", "spec.yearly"),
    ("spec", "rules", "report"),
    ("documents", "render", "outcomes", "diff", "calendar", "register", "check",
     "scaffold"),
    ("cli", "serve", "__main__"),
)


def floor_of(module: str, package: str) -> int | None:
    """The floor of `package.module…`: its longest key in FLOORS; None when unplaced."""
    parts = module.split(".")[1:] or ["__init__"]
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        for number, names in enumerate(FLOORS):
            if key in names:
                return number
    return None


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(importer: str, is_package: bool, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module, importer: str, is_package: bool,
             known: set[str]) -> tuple[set[str], set[str]]:
    """(imported at module level, imported anywhere) as absolute module names. `from X
    import Y` counts X.Y when that is a module; `if TYPE_CHECKING:` blocks count for
    neither (they never run)."""
    top: set[str] = set()
    anywhere: set[str] = set()

    def visit(node: ast.AST, at_top: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child, at_top)
            return
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(importer, is_package, node.level, node.module)
            names = [base]
            names += [f"{base}.{alias.name}" for alias in node.names
                      if f"{base}.{alias.name}" in known]
        for name in names:
            anywhere.add(name)
            if at_top:
                top.add(name)
        nested = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, at_top and not nested)

    for statement in tree.body:
        visit(statement, True)
    return top, anywhere


def read_graph(root: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The package at `root`: module → modules it imports at module level, and module →
    modules it imports anywhere (functions included)."""
    paths = sorted(root.rglob("*.py"))
    known = {_module_name(path, root) for path in paths}
    top: dict[str, set[str]] = {}
    anywhere: dict[str, set[str]] = {}
    for path in paths:
        name = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        top[name], anywhere[name] = _imports(tree, name, path.name == "__init__.py", known)
    return top, anywhere


def _under(module: str, package: str, floors: tuple[str, ...]) -> bool:
    return any(module == f"{package}.{floor}" or module.startswith(f"{package}.{floor}.")
               for floor in floors)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import circles among the package's own modules (Tarjan's strongly connected
    components, iteratively). Importing `a.b.c` also runs `a.b`'s __init__, so an edge to
    a module counts as an edge to each enclosing package the importer is not inside."""
    edges: dict[str, set[str]] = {}
    for module, targets in graph.items():
        out = set()
        for target in targets:
            parts = target.split(".")
            for end in range(2, len(parts) + 1):
                enclosing = ".".join(parts[:end])
                if enclosing in graph and not module.startswith(enclosing + ".") \
                        and enclosing != module:
                    out.add(enclosing)
        edges[module] = out
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    found.append(sorted(component))
    return found


def problems(root: Path) -> list[str]:
    """Every break of the floors in the package at `root`, in words."""
    package = root.name
    top, anywhere = read_graph(root)
    found = []
    for module, targets in sorted(anywhere.items()):
        for target in sorted(targets):
            inside = target == package or target.startswith(package + ".")
            low, high = floor_of(module, package), floor_of(target, package)
            if inside and low is not None and high is not None and high > low:
                found.append(f"floor {low + 1} {module} imports floor {high + 1} {target}")
            if _under(module, package, ("writers",)) and inside and target != package \
                    and not _under(target, package, WRITER_MAY_IMPORT):
                found.append(f"writer {module} imports {target}")
            if _under(module, package, DOCUMENT_FLOORS) and \
                    _under(target, package, ABOVE_DOCUMENTS):
                found.append(f"document floor {module} imports {target}")
            if target.split(".")[0] == "holidays" and \
                    not _under(module, package, (SCHEDULE,)):
                found.append(f"{module} imports holidays (only {package}.{SCHEDULE} may)")
    for cycle in _cycles(top):
        found.append("import circle: " + " -> ".join(cycle))
    return found


def test_iopkit_keeps_its_floors():
    assert problems(PACKAGE_DIR) == []


def test_every_module_of_iopkit_has_a_floor():
    """A new top-level module or package needs its place in FLOORS (and in the README's
    list), or the floor rule would not see it."""
    modules, _ = read_graph(PACKAGE_DIR)
    assert [m for m in sorted(modules) if floor_of(m, "iopkit") is None] == []


def test_the_checker_reads_iopkit_at_all():
    top, anywhere = read_graph(PACKAGE_DIR)
    assert "iopkit.writers.word.docx" in top
    assert "iopkit.writers.markdown" in top["iopkit.writers.word.docx"]
    assert any(target.startswith("iopkit.writers") for target in anywhere["iopkit.render.pipeline"])


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "writers/word/docx.py": "from ..markdown import parse\nfrom ...files import x\n",
    "writers/markdown.py": "import re\n",
    "files.py": "",
    "rules/a.py": "from ..files import x\n",
    "documents/avtal/context.py": "from ...rules import a\nfrom ...writers.word import docx\n",
    "schedule/workdays.py": "def f():\n    import holidays\n",
    "cli/__init__.py": "from ..documents.avtal import context\n",
    "errors.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .cli import x\n",
}


def test_a_tree_that_keeps_the_floors_passes(tmp_path):
    assert problems(_tree(tmp_path, CLEAN)) == []


@pytest.mark.parametrize("name, text, expected", [
    ("writers/html.py", "def f():\n    from ..rules import a\n",
     "writer pkg.writers.html imports pkg.rules"),
    ("writers/word/docx.py", "from ...documents.avtal import context\n",
     "writer pkg.writers.word.docx imports pkg.documents.avtal"),
    ("documents/avtal/context.py", "from ...cli import main\n",
     "document floor pkg.documents.avtal.context imports pkg.cli"),
    ("documents/avtal/context.py", "from pkg.serve import app\n",
     "document floor pkg.documents.avtal.context imports pkg.serve"),
    ("rules/a.py", "import holidays\n", "pkg.rules.a imports holidays"),
    ("schedule/__init__.py", "from holidays import country_holidays\n",
     "pkg.schedule imports holidays"),
    ("documents/base.py", "def f():\n    from ..cli.commands import render\n",
     "document floor pkg.documents.base imports pkg.cli.commands"),
    ("writers/html.py", "from ..documents.kinds import KINDS\n",
     "writer pkg.writers.html imports pkg.documents.kinds"),
    ("writers/html.py", "from ..spec.model import Spec\n",
     "writer pkg.writers.html imports pkg.spec.model"),
    ("files.py", "from .rules import a\n", "import circle: pkg.files -> pkg.rules.a"),
    ("rules/a.py", "def f():\n    from ..documents.avtal import context\n",
     "floor 4 pkg.rules.a imports floor 5 pkg.documents.avtal"),
    ("schedule/workdays.py", "from ..spec.model import Spec\n",
     "floor 3 pkg.schedule.workdays imports floor 4 pkg.spec.model"),
])
def test_the_checker_finds_each_kind_of_break(tmp_path, name, text, expected):
    found = problems(_tree(tmp_path, {**CLEAN, name: text}))
    assert any(problem.startswith(expected) for problem in found), found


def test_a_circle_through_a_package_init_counts(tmp_path):
    found = problems(_tree(tmp_path, {**CLEAN, "render/__init__.py": "from .pipeline import x\n",
                                      "render/pipeline.py": "from ..format import y\n",
                                      "format.py": "from .render.other import z\n",
                                      "render/other.py": ""}))
    assert any("import circle" in problem and "pkg.render" in problem for problem in found)


def test_a_lazy_import_is_no_circle(tmp_path):
    found = problems(_tree(tmp_path, {**CLEAN, "a.py": "from . import b\n",
                                      "b.py": "def f():\n    from . import a\n"}))
    assert found == []


def test_every_document_kind_lives_in_its_own_folder():
    """Adding a document is one folder and one registry line: each kind's templates are
    in documents/<kind>/templates/ and its context function under documents/ (or the
    shared one), and there is no folder the registry does not know."""
    from iopkit.documents.kinds import KINDS

    documents = PACKAGE_DIR / "documents"
    for entry in KINDS:
        assert sorted((documents / entry.name / "templates").glob("*.md.j2")), entry.name
        module = entry.context.partition(":")[0]
        assert module.startswith((".documents.", ".render.pipeline")), entry.context
        assert callable(entry.context_builder()), entry.context
    folders = {p.parent.name for p in documents.glob("*/templates")}
    assert folders == {entry.name for entry in KINDS}
    assert not (PACKAGE_DIR / "templates").exists() or \
        not [p for p in (PACKAGE_DIR / "templates").rglob("*.j2")]


#: The size above which a module says at its top why it is one module.
MAX_LINES = 450
#: Modules over MAX_LINES whose reason is still to be written: empty since the Typst
#: writer's house style moved to writers/pdf/typst_style.py (2026-12-02). The test fails
#: once one of them has its reason or is small again, so that the list only shrinks.
REASON_PENDING: set[str] = set()


def _gives_a_reason(path: Path) -> bool:
    """A paragraph of the module's docstring that starts by saying why it is long and
    speaks of its lines ("Why one module of some 550 lines: …", "Longer than 450
    lines: …")."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return any(part.lstrip().startswith(("Why", "Longer than")) and "lines" in part
               for part in docstring.split("\n\n"))


def test_a_long_module_says_why_it_is_one_module():
    long_ones = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long_ones[path.relative_to(PACKAGE_DIR).as_posix()] = _gives_a_reason(path)
    without = sorted(name for name, reason in long_ones.items() if not reason)
    assert [n for n in without if n not in REASON_PENDING] == []
    assert sorted(REASON_PENDING - set(without)) == []
