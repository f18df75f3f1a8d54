"""A password sign-in survives a reload (issue 17): the browser holds an HttpOnly session cookie that page scripts
cannot read; signing out ends it, so a reload then shows the sign-in page."""

import pytest

from tests.browser.conftest import WAIT_MS, settle, sign_in

pytestmark = pytest.mark.browser

NAV = "[data-testid='stSidebarNav']"


def _session_cookie(page):
    return next((c for c in page.context.cookies() if c["name"] == "zc_session"), None)


def test_a_reload_keeps_the_sign_in_and_sign_out_ends_it(private_app_server, page):
    sign_in(page, private_app_server, "pboc_analyst")
    # The ticket exchange is a fetch the page fires after sign-in: wait for its answer, not for a fixed time.
    page.wait_for_function("""() => performance.getEntriesByType('resource')
                                   .some(e => e.name.endsWith('/session/redeem') && e.responseEnd > 0)""", timeout=WAIT_MS)
    cookie = _session_cookie(page)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "zc_session" not in page.evaluate("document.cookie")  # page scripts never see the token

    page.locator(NAV + " a", has_text="绿色金融").click()
    page.wait_for_url("**/green-finance**", timeout=WAIT_MS)
    page.reload()
    page.wait_for_selector(NAV, state="visible", timeout=WAIT_MS)  # signed in still, on the same page
    settle(page)
    assert page.get_by_role("heading", name="绿色金融").first.is_visible()
    assert page.locator(".st-key-auth_form, [data-testid='stForm']").count() == 0

    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("已退出登录。").wait_for(timeout=WAIT_MS)
    page.reload()
    page.get_by_text("用户名").first.wait_for(timeout=WAIT_MS)  # the sign-in form, not the page
    assert page.locator(NAV).count() == 0
