"""Blank Excel templates, one per kind: a data sheet (header with units, two example rows, drop-downs where values
are coded), instructions in Chinese and English, and the code lists the drop-downs read."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data_access.ingest.kinds import KINDS, Kind

DATA_SHEET = "数据 Data"
HELP_SHEET = "填报说明 Instructions"
CODES_SHEET = "代码表 Codes"


def _names(label_kind: str | None, codes: tuple[str, ...]) -> list[str]:
    from data_access.taxonomy import LABELS  # the one table of code names, beside the codes

    table = LABELS.get(label_kind or "", {})
    return [table[c][0] if c in table else c for c in codes]


def build_template(kind: Kind) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    codes_ws = wb.create_sheet(CODES_SHEET)
    help_ws = wb.create_sheet(HELP_SHEET)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, col in enumerate(kind.columns, start=1):
        cell = ws.cell(1, j, col.header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(j)].width = max(12, len(col.header) * 2 + 2)
        for i, example in enumerate(kind.examples, start=2):
            value = example.get(col.key, "")
            if col.codes and value in col.codes:
                value = _names(col.label_kind, (value,))[0]
            ws.cell(i, j, value)
        if col.codes:
            names = _names(col.label_kind, col.codes)
            c = codes_ws.max_column + 1 if codes_ws.max_row > 1 or codes_ws.cell(1, 1).value else 1
            codes_ws.cell(1, c, col.zh).font = bold
            for k, name in enumerate(names, start=2):
                codes_ws.cell(k, c, name)
            letter = get_column_letter(c)
            dv = DataValidation(type="list", formula1=f"'{CODES_SHEET}'!${letter}$2:${letter}${len(names) + 1}", allow_blank=not col.required,
                                showErrorMessage=True, errorTitle="代码不在列表内", error=f"请从下拉列表选择{col.zh}")
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(j)}2:{get_column_letter(j)}5000")
    ws.freeze_panes = "A2"
    help_ws.append([f"{kind.zh} · {kind.en}"])
    help_ws["A1"].font = Font(bold=True, size=13)
    help_ws.append(["第1行为表头，请勿修改；示例行（第2、3行）报送前请删除。金额单位为万元（写“亿”“元”会换算），日期可写2026-10-31或2026年10月31日。"
                    "同一文件出错时整份不导入，并列出每一处问题。"])
    help_ws.append(["Row 1 is the header: do not change it; delete the example rows 2-3 before sending. Money is in 万元 ('亿' and '元' "
                    "are converted); dates as 2026-10-31 or 2026年10月31日. A file with any problem is not imported, and every problem is listed."])
    help_ws.append([])
    help_ws.append(["列 Column", "英文 English", "单位 Unit", "必填 Required", "说明", "Notes"])
    for cell in help_ws[5]:
        cell.font, cell.fill = bold, fill
    for col in kind.columns:
        rule_zh, rule_en = _rules(col)
        help_ws.append([col.header, col.en, col.unit or "", "是 yes" if col.required else "否 no", col.note_zh or rule_zh,
                        col.note_en or rule_en])
    for letter, width in zip("ABCDEF", (26, 26, 10, 12, 50, 50)):
        help_ws.column_dimensions[letter].width = width
    for row in help_ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rules(col) -> tuple[str, str]:
    """The checks of a column in words (Chinese, English), for columns without a written note."""
    zh, en = [], []
    if col.codes:
        zh.append("从下拉列表选择"), en.append("pick from the list")
    if col.min is not None:
        zh.append(f"不小于{col.min:g}"), en.append(f"at least {col.min:g}")
    if col.max is not None:
        zh.append(f"不大于{col.max:g}"), en.append(f"at most {col.max:g}")
    return "；".join(zh), "; ".join(en)


def template_bytes(kind_code: str) -> bytes:
    return build_template(KINDS[kind_code])
