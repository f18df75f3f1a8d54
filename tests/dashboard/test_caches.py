"""Caches are bounded (issue 22, item 19): every `st.cache_data` in the app keeps a limited number of results,
so data versions changing every few minutes cannot pile up in memory (`benchmarks/cache_memory.md`)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cache_decorators():
    for path in [ROOT / "app.py", *sorted((ROOT / "dashboard").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for dec in node.decorator_list:
                    call = dec if isinstance(dec, ast.Call) else None
                    name = ast.unparse(call.func if call else dec)
                    if name in ("st.cache_data", "cached"):
                        yield path.name, node.name, name, {k.arg for k in call.keywords} if call else set()


def test_every_data_cache_is_bounded():
    """Decorated loaders, plus the table of straight loaders in data.py (each made by `_loader`, which applies `cached`)."""
    found = list(cache_decorators())
    tree = ast.parse((ROOT / "dashboard" / "data.py").read_text(encoding="utf-8"))
    table = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "_loader"]
    maker = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_loader")
    assert "cached(max_entries)" in ast.unparse(maker)
    assert len(found) > 15 and len(table) > 15
    unbounded = [(f, fn) for f, fn, name, kw in found if name == "st.cache_data" and "max_entries" not in kw]
    assert unbounded == []


def test_the_shared_decorator_sets_both_bounds(monkeypatch):
    import streamlit as st

    from dashboard import data

    seen = {}
    monkeypatch.setattr(st, "cache_data", lambda **kw: seen.update(kw) or (lambda f: f))
    data.cached(5)
    assert seen == {"show_spinner": False, "max_entries": 5, "ttl": data.CACHE_TTL_SECONDS}
