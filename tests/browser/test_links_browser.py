"""Links that reopen what was on screen (issue 21 §2), in a real browser: every page opened from a link with a park,
a month and a language shows them and keeps them in its address; the Explore page's whole question round-trips; the
复制链接 box holds the address."""

from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from dashboard import explore as ex
from dashboard.i18n import label, t
from dashboard.navigation import pages_for
from tests.browser.conftest import WAIT_MS, real_errors, settle, sign_in

pytestmark = pytest.mark.browser


def _query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _chosen(page, where: str) -> list[str]:
    """The values the select boxes under `where` show (a combobox's value is its input's, not its text)."""
    boxes = page.locator(f"{where} input[role='combobox']")
    return [boxes.nth(i).input_value() for i in range(boxes.count())]


def test_every_page_reopens_the_park_month_and_language_of_its_link(app_server, page, demo_sqlite):
    from sqlalchemy import text

    with demo_sqlite.engine.connect() as conn:
        park_name = conn.execute(text("SELECT name_en FROM park WHERE code = 'DEMO-2'")).scalar_one()
    sign_in(page, app_server, "pboc_analyst")
    wanted = {"park": "DEMO-2", "period": "2026-06", "lang": "en"}
    for spec in pages_for("pboc_analyst"):
        if spec.url_path == "screen":  # the big screen reads the same parameters without a sidebar (test_display)
            continue
        path = "" if spec.default else spec.url_path  # the start page lives at "/"
        page.goto(f"{app_server}/{path}?park=DEMO-2&period=2026-06&lang=en")
        page.wait_for_selector("[data-testid='stSidebar']", timeout=WAIT_MS)
        settle(page)
        chosen = _chosen(page, "[data-testid='stSidebar']")  # what the park and month boxes hold
        assert park_name in chosen and "2026-06" in chosen and t("app.park", "en") in page.locator(
            "[data-testid='stSidebar']").inner_text(), (spec.url_path, chosen)
        assert page.locator("[data-testid='stException']").count() == 0, spec.url_path
        assert {k: _query(page).get(k) for k in wanted} == wanted, (spec.url_path, page.url)
    assert real_errors(page) == []


def test_the_explore_question_round_trips_through_its_link(app_server, page):
    sign_in(page, app_server, "pboc_analyst")
    question = ex.Question("credit", ("green_loan_balance",), ("inst_type",),
                           (("enterprise_class", ("data_center",)), ("term", ("medium_long",))), "quarter",
                           "2023-01", "2026-10", ("YQ-HTZ",), "table", False)
    page.goto(f"{app_server}/explore?{urlencode(question.to_params())}")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=WAIT_MS)
    settle(page)
    assert ex.Question.from_params(_query(page)) == question  # the page wrote back exactly what it opened
    assert t("ex.dim.inst_type") in page.locator(".st-key-ex_dims").inner_text()
    assert t("ex.chart.table") in page.locator(".st-key-ex_chart").inner_text()
    page.locator("[data-testid='stPopover'] button", has_text=t("app.copy_link")).click()
    code = page.locator("[data-testid='stPopoverBody'] code").first
    code.wait_for(timeout=WAIT_MS)
    copied = code.inner_text()
    assert copied.startswith(f"{app_server}/explore?") and ex.Question.from_params(
        {k: v[0] for k, v in parse_qs(urlparse(copied).query).items()}) == question
    assert real_errors(page) == []


def test_a_pages_own_choices_round_trip_through_its_link(app_server, page):
    """Widgets bound to the address (bind="query-params"): the green-finance drill-down, a tab, a year, a filter."""
    sign_in(page, app_server, "pboc_analyst")
    joint_stock = label("inst_type", "joint_stock", "zh")
    cases = [
        ("green-finance", {"gf_type": joint_stock}, ".st-key-gf_type", joint_stock),  # the drill-down
        ("institutions", {"in_tab": t("in.tab.compare")}, "[data-testid='stTabs'] [role='tab'][aria-selected='true']",
         t("in.tab.compare")),
        ("ledgers", {"lg_tab": label("ledger", "fx", "zh")}, "[data-testid='stTabs'] [role='tab'][aria-selected='true']",
         label("ledger", "fx", "zh")),
        ("tasks", {"tk_year": "2025"}, ".st-key-tk_year", "2025"),
        ("risk", {"rk_severity": label("severity", "medium", "zh")}, ".st-key-rk_severity", label("severity", "medium", "zh")),
        # (the default holds all three levels: the link's one level alone is the check)
        ("forecast", {"fc_mw": "50"}, ".st-key-fc_mw", "50"),
    ]
    for path, params, where, shown in cases:
        page.goto(f"{app_server}/{path}?{urlencode(params)}")
        page.wait_for_selector(where, timeout=WAIT_MS)
        settle(page)
        # a select box's value (its input's), else the text: a multiselect's tags, a tab's title, a slider's number
        seen = [v for v in _chosen(page, where) if v] or [page.locator(where).first.inner_text()]
        assert any(shown in v for v in seen), (path, seen)
        if path == "risk":
            assert label("severity", "high", "zh") not in seen[0], seen
        assert {k: _query(page).get(k) for k in params} == params, (path, page.url)  # and the address keeps it
    # the other way: a choice made on the page goes into the address
    page.goto(f"{app_server}/green-finance")
    settle(page)
    box = page.locator(".st-key-gf_type input")
    box.click()
    box.fill(joint_stock)
    box.press("Enter")
    page.wait_for_function(f"decodeURIComponent(location.search).includes('gf_type={joint_stock}')", timeout=WAIT_MS)
    assert real_errors(page) == []
