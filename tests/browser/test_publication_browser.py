"""The big screen in a real 1920x1080 browser, rotating; a chart's PNG and the gallery ZIP downloaded (issue 10)."""

import io
import re
import zipfile

import pytest
from PIL import Image

from tests.browser.conftest import DEMO_USER, SCREENSHOTS, WAIT_MS, real_errors, settle

pytestmark = pytest.mark.browser


def _colours(png: bytes) -> tuple[tuple[int, int], int]:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    return img.size, len(img.getcolors(maxcolors=1 << 20))


def test_big_screen_renders_and_rotates_without_losing_its_place(app_server, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    pg = context.new_page()
    errors, outside = [], []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    pg.goto(f"{app_server}/?screen=1&rotate=5")
    pg.locator(f".st-key-auth_demo_{DEMO_USER['leader']} button").click(timeout=WAIT_MS)
    pg.wait_for_selector("[data-testid='scr-tile']", timeout=WAIT_MS)
    assert pg.locator("[data-testid='stSidebar']").is_hidden()
    assert pg.locator("header[data-testid='stHeader']").is_hidden()
    assert pg.locator("[data-testid='scr-tile']").count() == 6
    pg.wait_for_function("document.querySelectorAll('.js-plotly-plot').length == 2", timeout=WAIT_MS)
    seen, refreshed, positions = [], set(), []
    meta_js = "Array.from(document.querySelectorAll(\"[data-testid='scr-meta']\")).map(e => e.innerText).join(' ')"
    previous = None
    for _ in range(30):  # until three changes of chart, each waited for (the refresh time changes), never slept for
        if len(seen) >= 4:
            break
        if previous is not None:
            pg.wait_for_function(f"prev => ({meta_js}) !== prev", arg=previous, timeout=WAIT_MS)
        previous = pg.evaluate(meta_js)
        meta = " ".join(pg.locator("[data-testid='scr-meta']").all_inner_texts())
        m = re.search(r"第(\d)/(\d)张", meta)
        if m and (not seen or seen[-1] != m.group(1)):
            seen.append(m.group(1))
        refreshed.add(re.search(r"最后刷新 (\S+)", meta).group(1))
        # Caught while the rotating chart is swapped, the slot can be empty for a frame (Streamlit redraws a changed
        # Plotly figure, streamlit/streamlit#8782), and a count read after a wait can land on the next swap's frame.
        # So the count is the one the wait itself saw: both charts back well within one rotation, never a lasting blank.
        drawn = pg.wait_for_function(
            "() => { const n = document.querySelectorAll('.js-plotly-plot').length; return n >= 2 ? n : 0; }",
            timeout=4000)
        positions.append(drawn.json_value())
    assert len(seen) >= 3, seen  # two changes of chart at least
    # The clock drives the rotation: each step moves one chart on, never back to the first.
    steps = {(int(b) - int(a)) % 6 for a, b in zip(seen, seen[1:])}
    assert steps == {1}, seen
    assert len(refreshed) >= 3
    # Both charts stay drawn through every refresh, never a lasting blank slot (while the rotating chart is swapped,
    # the outgoing plot can still be in the page for a moment: 3).
    assert min(positions) == 2 and max(positions) <= 3, positions
    assert pg.locator("[data-testid='stException']").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / "big_screen_1920x1080.png"))
    assert [e for e in errors if "404" not in e] == [] and outside == []
    context.close()


def test_a_chart_downloads_as_a_publication_png_and_the_gallery_as_a_zip(app_server, page):
    from tests.browser.conftest import sign_in

    sign_in(page, app_server, "publicity")
    page.locator("[data-testid='stSidebarNav'] a", has_text="宣传图集").click()
    # .first: a download button with a help tooltip holds a second, hidden copy of its button
    button = page.locator(".st-key-gal_green_loans__png button").first
    button.wait_for(timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as info:
        button.click()
    assert info.value.suggested_filename == "YQ-HTZ_gal_green_loans_2026-10.png"
    size, colours = _colours(open(info.value.path(), "rb").read())
    assert size[0] == 2400 and size[1] >= 840 and colours > 50
    page.locator(".st-key-gal_scale label", has_text="3x").click()
    settle(page)
    with page.expect_download(timeout=WAIT_MS) as info:
        page.locator(".st-key-gal_zip button").first.click()
    with zipfile.ZipFile(info.value.path()) as z:
        pngs = sorted(n for n in z.namelist() if n.endswith(".png"))
        assert len(pngs) >= 5 and "captions.txt" in z.namelist()
        size, colours = _colours(z.read(pngs[0]))
        assert size[0] == 3600 and colours > 50
    assert real_errors(page) == []


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (3840, 2160)])
def test_big_screen_fits_the_display_whole_with_its_controls_out_of_sight(app_server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(f"{app_server}/?screen=1&rotate=600")
    pg.locator(f".st-key-auth_demo_{DEMO_USER['leader']} button").click(timeout=WAIT_MS)
    pg.wait_for_selector("[data-testid='scr-tile']", timeout=WAIT_MS)
    pg.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=WAIT_MS)
    settle(pg)  # let the charts settle at their size
    fit = pg.evaluate("""() => {
        const plots = [...document.querySelectorAll('.js-plotly-plot')].map(p => p.getBoundingClientRect());
        const cut = [...document.querySelectorAll('.scr-value, .scr-label, .scr-status')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent);
        return {bottom: Math.max(...plots.map(r => r.bottom)), right: Math.max(...plots.map(r => r.right)),
                h: window.innerHeight, w: window.innerWidth, cut};
    }""")
    assert fit["bottom"] <= fit["h"] and fit["right"] <= fit["w"], fit  # no chart below or beside the edge
    assert fit["cut"] == [], fit["cut"]  # no KPI tile truncated ("109.5 …")
    controls = pg.locator(".st-key-scr_controls")
    assert controls.evaluate("e => getComputedStyle(e).opacity") == "0"  # freeze / exit not on the display
    controls.hover()
    pg.wait_for_function("getComputedStyle(document.querySelector('.st-key-scr_controls')).opacity === '1'", timeout=WAIT_MS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.mouse.move(5, 5)
    settle(pg)
    pg.screenshot(path=str(SCREENSHOTS / f"big_screen_{width}x{height}.png"))
    context.close()
