"""The architecture, asserted (issue 15): every module belongs to a layer, and no module imports
one from a higher layer. Type-only imports (under `if TYPE_CHECKING:`) do not count: they
create no dependency at run time."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"

# Lowest first. A module may import from its own layer and any layer before it.
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {"model", "tagging", "fsutil", "errors"}),
    ("extract", {"extract"}),  # the extractor package, knowledge as data
    ("ingest", {"ingest", "store"}),  # fetch and parse; the SQLite store
    ("config", {"config", "schedule"}),  # validation needs the taxonomy and cron parsing
    ("brief", {"brief"}),  # stories, history, composition, coverage, editions
    ("output", {"output"}),  # render, PDF, delivery, templates
    ("job", {"pipeline"}),
    ("web", {"web"}),  # the preview
    ("commands", {"commands", "cli", "learn", "__init__", "__main__"}),
]
RANK = {name: i for i, (_layer, names) in enumerate(LAYERS) for name in names}


def top(module: str) -> str:
    """briefing.extract.places → extract; briefing.web.app → serve."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[str, int]]:
    """(briefing module imported, line) for every run-time import in `path`."""
    module = ".".join(path.with_suffix("").relative_to(PACKAGE.parent).parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }
    out = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                # `from . import coverage` names a module, not an attribute of the package
                targets = [f"{target}.{a.name}" for a in node.names] if not node.module else [target]
            else:
                targets = [node.module or ""]
            out += [(t, node.lineno) for t in targets if t.startswith("briefing")]
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.startswith("briefing")]
    return out


def test_every_module_has_a_layer():
    modules = {
        top(".".join(p.with_suffix("").relative_to(PACKAGE.parent).parts)) for p in PACKAGE.rglob("*.py")
    }
    assert modules <= set(RANK), sorted(modules - set(RANK))


def test_no_module_imports_a_higher_layer():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = top(".".join(path.with_suffix("").relative_to(PACKAGE.parent).parts))
        for target, line in imports(path):
            there = top(target)
            if there in RANK and RANK[there] > RANK[here]:
                upward.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} imports {target} "
                    f"({LAYERS[RANK[there]][0]} above {LAYERS[RANK[here]][0]})"
                )
    assert not upward, "\n".join(upward)


# Named tuples' own API starts with an underscore; it is public.
_PUBLIC_UNDERSCORE = {"_replace", "_asdict", "_fields", "_make", "_exit"}
# Still open (issue 15): the extractor's regex-prefix analysis reads the regex engine's parser.
_KNOWN = {("briefing/extract/rxprefix.py", "re._constants"), ("briefing/extract/rxprefix.py", "re._parser")}


def test_no_module_uses_another_modules_private_names():
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # names bound to modules here: `import x`, `from . import x`
        modules = {
            (a.asname or a.name).split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        }
        modules |= {
            a.asname or a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.level and not n.module
            for a in n.names
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        found.add((rel, f"{node.module or '.'}.{a.name}".lstrip(".")))
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                name, owner = node.attr, node.value.id
                if (
                    owner in modules
                    and name.startswith("_")
                    and not name.startswith("__")
                    and name not in _PUBLIC_UNDERSCORE
                ):
                    found.add((rel, f"{owner}.{name}"))
    assert found <= _KNOWN, sorted(found - _KNOWN)
