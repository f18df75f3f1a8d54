"""All user-visible strings live in the catalogue dashboard/strings.toml, in both languages; every key used exists and
every key in the catalogue is used."""

import re
from pathlib import Path

import pytest

from dashboard import i18n
from data_access import taxonomy as tx

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_has_both_languages():
    for key, texts in i18n.STRINGS.items():
        assert set(texts) == {"zh", "en"}, key
        assert texts["zh"] and texts["en"], key


@pytest.mark.parametrize(("kind", "codes"), [
    ("inst_type", tx.INSTITUTION_TYPES), ("product_line", tx.PRODUCT_LINES), ("sector", tx.SECTORS),
    ("enterprise_class", tx.ENTERPRISE_CLASSES), ("policy_tool", tx.POLICY_TOOLS), ("carrier", tx.CARRIERS),
    ("severity", tx.ALERT_SEVERITIES),
])
def test_every_taxonomy_code_has_a_label(kind, codes):
    assert set(i18n.LABELS[kind]) == set(codes)


def test_every_key_used_in_code_exists():
    used = set()
    for path in list((ROOT / "dashboard").glob("*.py")) + list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        used |= set(re.findall(r"""(?:\bt|i18n\.t|ctx\.t)\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no keys found: the pattern is wrong"
    missing = sorted(k for k in used if not k.endswith(".") and k not in i18n.STRINGS)
    assert missing == []


def _code_text() -> str:
    files = [p for d in ("dashboard", "pages", "cli", "data_access") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    return "".join(p.read_text(encoding="utf-8") for p in files)


def test_every_key_in_the_catalogue_is_used():
    """A key is used when the code names it, or builds it from a prefix ("status." + code, f"kpi.{code}")."""
    text = _code_text()
    literals = set(re.findall(r"""["']([a-z_0-9]+\.[a-z_0-9.]+)["']""", text))
    prefixes = (set(re.findall(r"""f["']([a-z_0-9]+\.[a-z_0-9.]*)\{""", text))
                | set(re.findall(r"""["']([a-z_0-9]+\.(?:[a-z_0-9.]*\.)?)["']""", text)))
    unused = [k for k in i18n.STRINGS if k not in literals and not any(k.startswith(p) for p in prefixes)]
    assert unused == []


def test_a_broken_catalogue_names_the_file_and_the_key(tmp_path):
    bad = tmp_path / "strings.toml"
    bad.write_text('["ov.title"]\nzh = "总览"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"strings.toml, key 'ov.title': needs exactly a non-empty zh and en"):
        i18n.load_catalogue(bad)
    bad.write_text('["ov.title"\nzh = "总览"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="strings.toml"):
        i18n.load_catalogue(bad)


def test_families_built_from_codes_are_complete():
    from dashboard.carbon import ELECTRICITY_METHODS
    from dashboard.indicators import INDICATORS

    families = {
        "kpi.": INDICATORS, "status.": ("met", "on_track", "behind", "no_target", "no_data"),
        "ind.status.": ("sourced", "derived", "unconfirmed"), "cat.status.": ("sourced", "unconfirmed", "derived", "assumption"),
        "app.method.": ELECTRICITY_METHODS,
    }
    for prefix, codes in families.items():
        for code in codes:
            assert prefix + code in i18n.STRINGS


def test_formatting_and_unknown_codes():
    assert i18n.t("ov.yoy", "zh", change="+16.6%") == "同比 +16.6%"
    assert i18n.t("ov.yoy", "en", change="+16.6%") == "YoY +16.6%"
    assert i18n.label("sector", "no_such_sector") == "no_such_sector"
    with pytest.raises(KeyError):
        i18n.t("no.such.key")


def test_english_counts_of_one_are_singular():
    assert i18n.amount(1, "alerts", "en", 0) == "1 alert" and i18n.amount(3, "alerts", "en", 0) == "3 alerts"
    assert i18n.amount(1, "days", "en", 0) == "1 day" and i18n.amount(1, "alerts", "zh", 0) == "1 条"
