"""The whitelist as the committee pushes it to the banks: exported from the page, opened with openpyxl."""

import re

import pytest

from tests.browser.conftest import SCREENSHOTS, WAIT_MS, download_rows, real_errors, sign_in

pytestmark = pytest.mark.browser


def test_whitelist_exports_what_the_page_shows(app_server, page, demo_sqlite):
    from data_access import whitelist_store
    from data_access.db import make_engine

    sign_in(page, app_server, "park_committee")
    page.locator("[data-testid='stSidebarNav'] a", has_text="白名单与指引").click()
    heading = page.get_by_text(re.compile("现行白名单：第2版"))
    heading.wait_for(timeout=WAIT_MS)
    listed = int(re.search(r"共(\d+)家企业", heading.inner_text()).group(1))
    wb, rows = download_rows(page, "wl_xlsx")
    assert wb.sheetnames[0] == "白名单第2版"
    assert rows[0][:3] == ("企业名称", "统一社会信用代码", "总分")
    assert len(rows) == 1 + listed
    with make_engine(demo_sqlite.url).connect() as conn:
        versions = whitelist_store.load_versions(conn, park_id=1)
        entries = whitelist_store.load_entries(conn, version_id=int(versions["id"].iloc[-1]))
    top = entries[entries["listed"]].iloc[0]
    assert rows[1][:3] == (top["name"], top["uscc"], top["score"])
    assert listed == int(entries["listed"].sum())
    page.screenshot(path=str(SCREENSHOTS / "whitelist.png"), full_page=True)
    assert real_errors(page) == []
