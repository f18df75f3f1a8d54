"""Every table comes with CSV and Excel downloads of what it shows; formula-like cells are escaped."""

import csv
import io

import openpyxl
import pytest

from tests.browser.conftest import WAIT_MS, real_errors, sign_in

pytestmark = pytest.mark.browser


def test_a_table_downloads_as_csv_and_excel(app_server, page):
    sign_in(page, app_server, "pboc_analyst")
    page.locator("[data-testid='stSidebarNav'] a", has_text="风险预警").click()
    button = page.locator(".st-key-rk_queue__csv button")
    button.wait_for(timeout=WAIT_MS)
    with page.expect_download() as info:
        button.click()
    rows = list(csv.reader(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig"))))
    assert rows[0][:3] == ["预警编号", "规则", "所属月份"] and len(rows) > 5
    with page.expect_download() as info:
        page.locator(".st-key-rk_queue__xlsx button").click()
    ws = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["预警编号", "规则", "所属月份"] and ws.max_row == len(rows)
    assert real_errors(page) == []
