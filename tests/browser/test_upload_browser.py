"""数据填报 in a real browser, as a bank's reporter: another bank's rows are refused whole with located errors;
its own rows are previewed, then imported."""

import pytest

from tests.browser.conftest import SCREENSHOTS, WAIT_MS, real_errors, sign_in
from tests.data_access.test_ingest import GOOD, HEADER, csv_bytes

pytestmark = pytest.mark.browser


def test_reporter_uploads_a_monthly_file(private_app_server, page, tmp_path):
    sign_in(page, private_app_server, "institution_reporter")
    page.locator("[data-testid='stSidebarNav'] a", has_text="数据填报").click()
    uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    uploader.wait_for(state="attached", timeout=WAIT_MS)
    # The drop zone speaks the user's language and states the import's own limit, not Streamlit's "Upload / 200MB".
    words = page.evaluate("""() => [
        getComputedStyle(document.querySelector("[data-testid='stFileUploaderDropzone'] button p"), "::after").content,
        getComputedStyle(document.querySelector("[data-testid='stFileUploaderDropzoneInstructions'] span"), "::after").content]""")
    assert words == ['"选择文件"', '"单个文件不超过40MB · .xlsx或.csv"']
    theirs = tmp_path / "他行数据.csv"
    theirs.write_bytes(csv_bytes([GOOD], "gbk"))
    uploader.set_input_files(str(theirs))
    page.get_by_text("整份文件不予导入").first.wait_for(timeout=WAIT_MS)
    page.get_by_text("只能报送本机构（LL-1）的数据，整份文件不予导入").wait_for(timeout=WAIT_MS)  # located: row 2, 机构代码
    page.screenshot(path=str(SCREENSHOTS / "upload-refused.png"), full_page=True)

    own = list(GOOD)
    own[0], own[1], own[10] = "LL-1", "LL-1-2026-0042", "财政贴息"
    mine = tmp_path / "本行10月.csv"
    mine.write_bytes(csv_bytes([own], "utf-8-sig"))
    uploader.set_input_files(str(mine))
    page.get_by_text("检查通过：共1行，将新增1行").wait_for(timeout=WAIT_MS)
    page.locator(".st-key-up_confirm button").click()
    page.get_by_text("已导入：新增1行").wait_for(timeout=WAIT_MS)
    page.get_by_text("该文件已导入，见下方导入记录").wait_for(timeout=WAIT_MS)  # not a preview saying "0 new" beside it
    assert page.get_by_text("检查通过").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "upload-done.png"), full_page=True)
    assert real_errors(page) == []
    assert HEADER[0] == "机构代码"
