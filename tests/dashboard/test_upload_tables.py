"""The 数据填报 tables read as a reporter checks them: names, not codes; blanks, not "None"; no raw column names."""

import datetime as dt

import pandas as pd

from dashboard.tables import upload_history_table, upload_preview_table


def test_preview_names_codes_and_leaves_blanks_blank():
    preview = pd.DataFrame([{"_row": 2, "institution_code": "LL-1", "project_code": None, "product_line": "new_power_system",
                             "is_green": True, "policy_tool": float("nan"), "balance": 12000.0}])
    zh = upload_preview_table(preview, "credit", "zh")
    row = zh.iloc[0].to_dict()
    assert row["机构代码"] == "LL-1"
    assert row["项目编号"] == ""
    assert row["产品类别"] == "新型电力系统建设"
    assert row["是否绿色贷款"] == "是"
    assert row["政策工具"] == ""
    assert row["月末余额（万元）"] == 12000.0
    assert "_row" not in zh.columns and "None" not in zh.astype(str).to_numpy()
    en = upload_preview_table(preview, "credit", "en")
    assert en.iloc[0]["Green loan"] == "yes" and "Month-end balance (万元)" in en.columns


def test_history_names_the_kind_and_shortens_the_checksum():
    history = pd.DataFrame([{"id": 7, "uploaded_at": dt.datetime(2026, 12, 5, 9, 30, 12), "uploaded_by": "demo_reporter",
                             "kind": "credit", "file_name": "本行10月.csv", "sha256": "942f178351bc" + "0" * 52,
                             "rows_added": 1, "rows_changed": 0}])
    table = upload_history_table(history, "zh")
    assert list(table.columns) == ["导入编号", "时间", "处理人", "报送类型", "文件", "文件校验码（SHA-256前12位）", "新增行", "更正行"]
    row = table.iloc[0].to_dict()
    assert row["报送类型"] == "绿色信贷月报（授信及月末余额）" and row["文件校验码（SHA-256前12位）"] == "942f178351bc"
    assert row["时间"] == "2026-12-05 09:30"
    assert upload_history_table(history.iloc[0:0], "zh").empty
