"""Links that reopen what was on screen (issue 21 §2), in a real browser: every page opened from a link with a park,
a month and a language shows them and keeps them in its address; the Explore page's whole question round-trips; the
复制链接 box holds the address."""

from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from dashboard import explore as ex
from dashboard.i18n import t
from dashboard.navigation import pages_for
from tests.browser.conftest import WAIT_MS, real_errors, settle, sign_in

pytestmark = pytest.mark.browser


def _query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_every_page_reopens_the_park_month_and_language_of_its_link(app_server, page):
    sign_in(page, app_server, "pboc_analyst")
    wanted = {"park": "DEMO-2", "period": "2026-06", "lang": "en"}
    for spec in pages_for("pboc_analyst"):
        if spec.url_path == "screen":  # the big screen reads the same parameters without a sidebar (test_display)
            continue
        page.goto(f"{app_server}/{spec.url_path}?park=DEMO-2&period=2026-06&lang=en")
        page.wait_for_selector("[data-testid='stSidebar']", timeout=WAIT_MS)
        settle(page)
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "2026-06" in sidebar and t("app.park", "en") in sidebar, spec.url_path
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
