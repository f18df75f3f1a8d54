"""The metric catalogue (指标口径): one entry per measure shown, linked from every chart and KPI, generated into the
README, and honest about which numbers are policy and which are ours."""

import ast
import csv
from pathlib import Path

from dashboard import catalogue, i18n, publication
from dashboard.indicators import INDICATORS
from data_access.reference import REFERENCE_DIR, STATUSES, reference_values

ROOT = Path(__file__).resolve().parents[2]


def _chart_metrics() -> set[str]:
    """Every literal metric= of a ui.chart call in the pages."""
    found = set()
    for path in (ROOT / "pages").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "chart":
                kw = {k.arg: k.value for k in node.keywords}
                assert "metric" in kw, f"{path.name}:{node.lineno} ui.chart without its catalogue entry"
                if isinstance(kw["metric"], ast.Constant):
                    found.add(kw["metric"].value)
    return found


def test_every_indicator_and_every_chart_has_an_entry():
    codes = set(catalogue.entries())
    assert set(INDICATORS) <= codes
    assert _chart_metrics() <= codes and len(_chart_metrics()) >= 10
    assert set(publication.CHART_METRIC.values()) <= codes and set(publication.CHART_METRIC) == set(publication.CHART_CODES)


def test_the_readme_section_is_generated_from_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert catalogue.readme_section() in readme, "run: python -m dashboard.catalogue --readme"


def test_entries_say_which_numbers_are_policy_and_which_are_ours():
    core = catalogue.entry_markdown("carbon_per_energy", "zh")
    assert "发改环资〔2025〕910号" in core and "正式文件" in core and "≤0.2" in core
    clean = catalogue.entry_markdown("clean_energy_share", "zh")
    assert "待核，假设" in clean and "90%" in clean
    assert "假设" in catalogue.entry_markdown("carbon_grade", "zh")
    assert "assumption" in catalogue.entry_markdown("financing_gap", "en")
    table = catalogue.catalogue_table("zh")
    assert len(table) == len(catalogue.entries()) and table.notna().all().all()


def test_sources_name_documents_not_aggregator_pages():
    """Official documents are cited by name and number; the pages a figure was read on are not cited."""
    texts = [s for e in catalogue.entries().values() for s in e.source] + [ind.source for ind in INDICATORS.values()]
    texts += [r.source for r in reference_values().values()]
    for name in ("emission_factors.csv", "policy_tool_rates.csv", "sector_intensity.csv"):
        with (REFERENCE_DIR / name).open(encoding="utf-8") as fh:
            texts += [row["source"] for row in csv.DictReader(fh)]
    assert not [t for t in texts if "http" in (t or "")]


def test_every_reference_value_has_a_status_a_source_and_a_name():
    refs = reference_values()
    assert refs and all(r.status in STATUSES and r.source for r in refs.values())
    assert set(i18n.LABELS["reference"]) == set(refs)
    assert {r.unit for r in refs.values()} - {"share"} <= set(i18n.LABELS["ref_unit"])
    zh = catalogue.thresholds_table("zh").to_string() + catalogue.catalogue_table("zh").to_string()
    import re

    assert not re.findall(r"[A-Za-z]{5,}", zh.replace("energy", "").replace("GB/T", "")), "English words in the zh catalogue"
