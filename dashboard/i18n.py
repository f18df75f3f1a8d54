"""Every user-visible string, in Simplified Chinese (default) and English, read from the catalogue file
`dashboard/strings.toml` (one table per key, with `zh` and `en`).

`t(key, lang, **values)` formats a string; `label(kind, code, lang)` names a taxonomy code (the names live beside
the codes, in `data_access.taxonomy.LABELS`). A test checks that every key has both languages and that every
taxonomy code has a label.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from data_access.taxonomy import LABELS  # noqa: F401 (re-exported: i18n.LABELS is the table the UI reads)

LANGS = ("zh", "en")
CATALOGUE = Path(__file__).with_name("strings.toml")


def load_catalogue(path: Path = CATALOGUE) -> dict[str, dict[str, str]]:
    """The catalogue as {key: {"zh": …, "en": …}}; a key without both languages, or with other fields, is an error
    that names the file and the key."""
    with path.open("rb") as fh:
        try:
            table = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path.name}: {exc}") from None
    for key, entry in table.items():
        if not isinstance(entry, dict) or set(entry) != set(LANGS) or not all(isinstance(v, str) and v for v in entry.values()):
            raise ValueError(f"{path.name}, key {key!r}: needs exactly a non-empty zh and en string, has {entry!r}")
    return table


STRINGS: dict[str, dict[str, str]] = load_catalogue()


def t(key: str, lang: str = "zh", **values) -> str:
    """The string `key` in `lang`, formatted with `values`. Unknown keys raise KeyError (caught by tests)."""
    text = STRINGS[key]["zh" if lang not in LANGS else lang]
    return text.format(**values) if values else text


# Display units by language: Chinese readers expect 万 and 亿, English ones kt, MWh and CNY 100m. Each kind names the
# stored unit it converts from (scale = display value per stored unit).
UNITS: dict[str, dict[str, tuple[float, str]]] = {
    "yi": {"zh": (1e-4, "亿元"), "en": (1e-4, "CNY 100m")},  # from 万元
    "wan": {"zh": (1, "万元"), "en": (1, "CNY 10k")},  # from 万元
    "co2": {"zh": (1e-4, "万吨CO2"), "en": (1e-3, "kt CO2")},  # from tCO2
    "co2e": {"zh": (1e-4, "万吨CO2e"), "en": (1e-3, "kt CO2e")},  # from tCO2e
    "kwh": {"zh": (1e-4, "万kWh"), "en": (1e-3, "MWh")},  # from kWh
    "intensity": {"zh": (1, "tCO2/万元"), "en": (1, "tCO2 per CNY 10k")},
    "usd_yi": {"zh": (1e-4, "亿美元"), "en": (1e-2, "USD m")},  # from 万美元
    "reach": {"zh": (1e-4, "万人次"), "en": (1, "views")},  # from 人次
    "count": {"zh": (1, "个"), "en": (1, "")},
    "alerts": {"zh": (1, "条"), "en": (1, "alerts")},
    "days": {"zh": (1, "天"), "en": (1, "days")},
}


def unit(kind: str, lang: str = "zh") -> str:
    return UNITS[kind]["zh" if lang == "zh" else "en"][1]


def scale(kind: str, lang: str = "zh") -> float:
    return UNITS[kind]["zh" if lang == "zh" else "en"][0]


def amount(value: float | None, kind: str, lang: str = "zh", decimals: int = 1) -> str:
    """A stored amount in the reader's unit, e.g. amount(123456, "yi") == "12.3 亿元", in English "12.3 CNY 100m"."""
    if value is None or value != value:
        return "—"
    shown = value * scale(kind, lang)
    shown = 0.0 if round(shown, decimals) == 0 else shown
    name = unit(kind, lang)
    if lang != "zh" and name in ("alerts", "days") and round(shown, decimals) == 1:
        name = name[:-1]  # "1 alert", "1 day"
    return f"{shown:,.{decimals}f} {name}".rstrip()


def label(kind: str, code: str, lang: str = "zh") -> str:
    """Name of a taxonomy code; an unknown code is shown as itself so data never disappears."""
    pair = LABELS.get(kind, {}).get(code)
    if pair is None:
        return str(code)
    return pair[0] if lang == "zh" else pair[1]
