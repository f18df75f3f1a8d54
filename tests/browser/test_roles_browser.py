"""Sign in as each role in a real browser: the navigation lists exactly the granted pages, every granted page
opens without an error, and an ungranted page cannot be opened by URL."""

import pytest

from dashboard.i18n import t
from dashboard.navigation import PAGES, pages_for
from data_access.taxonomy import ROLES
from tests.browser.conftest import SCREENSHOTS, WAIT_MS, real_errors, settle, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ROLES)
def test_role_sees_its_pages_and_nothing_else(app_server, page, role):
    sign_in(page, app_server, role)
    links = page.locator("[data-testid='stSidebarNav'] a")
    # The link text starts with the icon's ligature name; the title is the last line.
    shown = sorted(links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count()))
    assert shown == sorted(t(p.title_key) for p in pages_for(role))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for spec in pages_for(role):
        page.locator("[data-testid='stSidebarNav'] a", has_text=t(spec.title_key)).click()
        done = ("location.pathname === '/' || " if spec.default else "") + f"location.pathname.endsWith('/{spec.url_path}')"
        page.wait_for_function(done, timeout=WAIT_MS)
        settle(page)
        assert page.locator("[data-testid='stException']").count() == 0, (role, spec.url_path)
        page.screenshot(path=str(SCREENSHOTS / f"{role}_{spec.url_path}.png"), full_page=True)
        if spec.url_path == "screen":  # the big screen hides the navigation; its own link leads back
            page.locator("a[data-testid='stPageLink-NavLink']", has_text=t("scr.exit")).click()
            page.wait_for_selector("[data-testid='stSidebarNav']", state="visible", timeout=WAIT_MS)
    assert real_errors(page) == []
    for spec in set(PAGES) - set(pages_for(role)):
        # Typing the URL loads the app afresh: a new session, signed in again by the session cookie as the same role,
        # which opens that role's own start page, never the page itself.
        page.goto(f"{app_server}/{spec.url_path}")
        page.wait_for_selector("h1", timeout=WAIT_MS)
        settle(page)
        headings = [h.inner_text() for h in page.locator("h1").all()]
        assert not any(t(spec.title_key) in h for h in headings), (role, spec.url_path, headings)
        assert t("users.heading") not in headings and t("auth.title") not in headings, (role, spec.url_path)
        assert "$argon2" not in page.inner_text("body")
    not_found = "The page that you have requested does not seem to exist"
    assert [e for e in real_errors(page) if not e.startswith(not_found)] == []
