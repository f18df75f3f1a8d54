"""The house rules that keep edits visible: every write goes through `db.writing` (which bumps the data version the
page caches are keyed on), and pages never open a connection or transaction themselves."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _calls(path: Path, names: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    return found


def test_no_page_opens_a_connection_or_a_transaction():
    found = [c for p in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"] for c in _calls(p, {"begin", "connect", "get_engine"})]
    assert found == []


def test_every_write_in_the_product_goes_through_db_writing():
    """`engine.begin()` would commit without a new data version: the edit would not show (issue 18)."""
    files = [p for d in ("data_access", "dashboard", "pages") for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]
    assert [c for p in sorted(files) for c in _calls(p, {"begin"})] == []


def _imports(path: Path) -> set[str]:
    """Modules a file imports (absolute names; relative imports resolved against its package)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _modules(folder: str) -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts}


def test_imports_run_one_way_data_access_then_dashboard_then_pages():
    """data_access imports neither dashboard nor Streamlit; dashboard never imports a page (issue 18)."""
    wrong = [f"{name} imports {m}" for name, p in _modules("data_access").items() for m in _imports(p)
             if m.split(".")[0] in ("dashboard", "streamlit", "pages", "cli")]
    wrong += [f"{name} imports {m}" for name, p in _modules("dashboard").items() for m in _imports(p)
              if m.split(".")[0] in ("pages", "cli")]
    assert wrong == []


def test_no_module_cycles():
    modules = {**_modules("data_access"), **_modules("dashboard")}
    graph = {name: {m for m in _imports(p) if m in modules and m != name} for name, p in modules.items()}
    cycles = set()

    def visit(node, path):
        for nxt in graph[node]:
            if nxt in path:
                cycle = path[path.index(nxt):]
                cycles.add(" -> ".join(cycle[cycle.index(min(cycle)):] + cycle[:cycle.index(min(cycle))]))
            elif len(path) < 12:
                visit(nxt, path + [nxt])

    for start in graph:
        visit(start, [start])
    assert sorted(cycles) == []


def test_the_product_never_writes_its_own_environment():
    """A runtime write to os.environ changes every thread's settings behind their back (issue 18): settings are
    read, never set; kaleido gets the browser's path as an argument."""
    writes = []
    files = [p for d in ("data_access", "dashboard", "pages", "cli") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    for path in sorted(files):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
            if any(isinstance(t, ast.Subscript) and ast.unparse(t.value) == "os.environ" for t in targets):
                writes.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) == "os.environ"
                    and node.func.attr in ("setdefault", "update", "pop", "clear", "__setitem__")):
                writes.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert writes == []


def test_a_page_run_does_not_load_the_demo_generator():
    """The first start's seeding lives in dashboard.first_run and imports the generator only for an empty database,
    so no page run pays for it (issue 18)."""
    import subprocess
    import sys

    code = "import sys, dashboard.shell, dashboard.first_run; print('data_access.demo' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_readme_layout_names_every_module():
    """The README's layout section matches the tree: every module of the product is named there (issue 18)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):readme.index("## Dependencies")]
    names = {p.stem for d in ("dashboard", "data_access", "pages") for p in (ROOT / d).glob("*.py") if p.stem != "__init__"}
    names |= {p.name + "/" for d in ("data_access",) for p in (ROOT / d).iterdir() if p.is_dir() and not p.name.startswith("_")}
    import re

    assert sorted(n for n in names if not re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", layout)) == []
