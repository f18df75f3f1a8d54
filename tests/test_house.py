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
