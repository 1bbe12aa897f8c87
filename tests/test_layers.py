"""The layering of ``gradsite/``: every import goes to a row above its own in the
README's module table, or stays inside its own package.

The table is read from README.md, so the documented layers and the code
cannot drift apart. Imports are read with ``ast``: those at the top, those
inside functions (loaded lazily) and those only for type checkers alike.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gradsite"
_ROW = re.compile(r"^\| (\d+) \| `([\w/]+?)(?:\.py|/)` \|", re.MULTILINE)


def documented_rows(readme: str) -> dict[str, int]:
    """Top-level module or package name -> its row in the README's module table."""
    return {name: int(row) for row, name in _ROW.findall(readme)}


def top_level(module: str) -> str:
    """``gradsite.check.cells`` -> ``check``; ``gradsite`` itself -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every gradsite module that ``path`` imports."""
    package = list(path.relative_to(ROOT).parts[:-1])  # what `from .` means here
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == "gradsite" or target.startswith("gradsite."):
                # `from . import x` may import a submodule x: count it as that module.
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    is_module = (ROOT / sub.replace(".", "/")).with_suffix(".py").exists() or \
                        (ROOT / sub.replace(".", "/")).is_dir()
                    found.append((node.lineno, sub if is_module else target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names
                      if alias.name.startswith("gradsite.")]
    return found


def upward_imports(rows: dict[str, int]) -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = top_level(module.removesuffix(".__init__"))
        if own == "__init__" or own not in rows:
            continue
        for line, target in imported_modules(path):
            other = top_level(target)
            if other in ("", own):  # the package's version, or its own package
                continue
            if rows.get(other, 0) >= rows[own]:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {own} (row {rows[own]}) "
                                f"imports {other} (row {rows.get(other, '?')})")
    return problems


def test_every_module_of_gradsite_has_a_row_in_the_readme() -> None:
    rows = documented_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    present = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    present |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert present == set(rows), (
        f"not in the README's table: {sorted(present - set(rows))}; "
        f"in the table but gone: {sorted(set(rows) - present)}")


def test_no_import_runs_up_the_layers() -> None:
    rows = documented_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    assert upward_imports(rows) == []


def test_the_check_finds_an_import_that_runs_up() -> None:
    rows = documented_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    # model.py imports diagnostics: with diagnostics moved below model, that runs up.
    assert any("gradsite/model.py" in problem and "imports diagnostics" in problem
               for problem in upward_imports({**rows, "diagnostics": rows["model"] + 1}))


def test_lazy_and_type_only_imports_count() -> None:
    source = PACKAGE / "model.py"
    lines = [target for _, target in imported_modules(source)]
    assert "gradsite.expr.function" in lines  # imported only under TYPE_CHECKING
