"""零碳金融简报 (§九): the content of a month's briefing and the Word document (python-docx).

`compose` turns a publication Bundle into the briefing's content (headline figures, a table against last
month and last year, sentences written from the numbers, open alerts, task progress); `to_docx` lays it
out as a Chinese government briefing: red masthead title, issue number, issuing unit and date over a red
rule, numbered sections, charts as images, then the sections the institution writes itself, and the
distribution line. The content is plain JSON so a submitted briefing is stored as it was sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd

from dashboard import exports, i18n, ledgers, lmdi, publication
from dashboard.publication import Bundle, end_of_month, headline, prev_month, sentences
from dashboard.risk import open_at_period_end
from data_access import ledger_store

# Sections the institution writes (key -> i18n key of the heading).
FREE_SECTIONS = ("work", "cases", "problems", "next")
TABLE_ROWS = (  # headline key, i18n label key, decimals
    ("green_balance_yi", "br.row.green_balance", 2),
    ("green_share_pct", "br.row.green_share", 1),
    ("green_npl_pct", "br.row.green_npl", 2),
    ("green_power_share_pct", "br.row.green_power", 1),
    ("emissions_t12_t", "br.row.emissions", 2),
    ("task_completion_pct", "br.row.tasks", 0),
)
DOC_CHARTS = ("green_loans", "by_type", "green_power", "emissions")


def compose(b: Bundle, lang: str = "zh", *, sections: dict | None = None, issue_no: int | None = None,
            issued_on: dt.date | None = None, drivers=None, ledger_sentences: list[str] | None = None) -> dict:
    """The briefing's content as JSON-ready data, its charts included as plotly specs, so a submitted
    briefing renders later exactly as it was sent. `ledger_sentences` (`ledgers.sentences`, for the same scope) open
    the work section."""
    p = b.period
    h = headline(b)
    h_prev = headline(dataclasses.replace(b, period=prev_month(p)))
    h_year = headline(dataclasses.replace(b, period=p.replace(year=p.year - 1)))
    subject = b.institution["short_name"] if b.institution else i18n.t("br.park_subject", lang)
    rows = []
    for key, label, decimals in TABLE_ROWS:
        now, prev, year = h[key], h_prev[key], h_year[key]
        if key == "emissions_t12_t":  # tonnes in the headline; 万吨CO2 for Chinese readers, kt CO2 for English ones
            now, prev, year = (None if v is None else v * i18n.scale("co2", lang) for v in (now, prev, year))
        # Changes are taken between the figures as printed, so the columns add up for the reader (79 − 82 = −3).
        now, prev, year = (None if v is None else round(v, decimals) for v in (now, prev, year))
        rows.append({"key": key, "label": i18n.t(label, lang), "now": now, "prev": prev, "year_ago": year,
                     "decimals": decimals,
                     "vs_prev": None if now is None or prev is None else round(now - prev, decimals),
                     "vs_year": None if now is None or year is None else round(now - year, decimals)})
    cutoff = end_of_month(p)
    alerts = b.alerts
    if not alerts.empty:
        alerts = alerts[open_at_period_end(alerts, p)]  # the same definition as the overview and the big screen
    open_alerts = [{"rule": i18n.label("rule", r["rule_code"], lang), "severity": i18n.label("severity", r["severity"], lang),
                    "subject": str(r["subject_name"] or ""), "institution": str(r.get("institution") or ""), "raised": f"{pd.Timestamp(r['created_at']):%Y-%m-%d}",
                    "period": f"{pd.Timestamp(r['period']):%Y-%m}",  # the month it is about: one alert per rule, subject, month
                    "state": i18n.t(f"alert_state.{r['state']}", lang)}
                   for _, r in alerts.sort_values("created_at").iterrows()] if not alerts.empty else []
    tasks = b.tasks[b.tasks["year"] == p.year] if not b.tasks.empty else b.tasks
    late = tasks[(pd.to_datetime(tasks["due_date"]) <= pd.Timestamp(cutoff)) & (tasks["status"] != "done")] if not tasks.empty else tasks
    issuer = b.institution["name"] if b.institution else i18n.t("br.issuer_pboc", lang)
    return {
        "lang": lang, "park": b.park_name(lang), "park_code": str(b.park["code"]), "period": f"{p:%Y-%m}",
        "institution": b.institution["short_name"] if b.institution else None,
        "institution_code": b.institution["code"] if b.institution else None,
        "issuer": issuer, "issue_no": issue_no or p.month, "issued_on": (issued_on or dt.date.today()).isoformat(),
        "data_end": {k: (v.isoformat() if v else None) for k, v in b.data_end.items()},
        "demo": bool(b.park.get("is_demo")),  # every page and PNG of demo data says so; the Word file too
        "headline": h, "table": rows, "sentences": sentences(h, p, lang, subject, drivers),
        "open_alerts": open_alerts,
        # publicity-safe tasks carry no institution: the row names the type (of at least three institutions)
        "overdue_tasks": [{"title": str(t["title"]), "due": f"{pd.Timestamp(t['due_date']):%Y-%m-%d}",
                           "institution": str(t["institution"]) if pd.notna(t["institution"])
                           else i18n.label("inst_type", t["inst_type"], lang)}
                          for _, t in late.iterrows()] if not late.empty else [],
        "ledgers": list(ledger_sentences or []),
        "sections": {k: (sections or {}).get(k, "") for k in FREE_SECTIONS},
        "charts": {code: fig.to_json() for code, fig in publication.build_charts(b, lang, DOC_CHARTS).items()},
    }


def gather_compose(conn, *, park_id: int, period: dt.date, scope, lang: str = "zh") -> tuple[dict | None, Bundle]:
    """Read and compose the briefing of a park's month as `scope` may see it (the command line and the notifier);
    (None, bundle) when the month has no credit data."""
    bundle = publication.gather(conn, park_id=park_id, period=period, scope=scope)
    if bundle.credit_total.empty or period not in set(bundle.credit_total["period"]):
        return None, bundle
    drivers = lmdi.latest_decomposition(publication.gather_drivers(conn, park_id=park_id, method=bundle.method), period)
    ledger_sentences = ledgers.sentences(
        ledger_store.monthly_sums(conn, park_id=park_id, scope=scope, until=ledgers.month_end(period)),
        ledger_store.overdue_counts(conn, park_id=park_id, scope=scope, today=ledgers.as_of(period, dt.date.today())),
        period=period, lang=lang)
    return compose(bundle, lang, drivers=drivers, ledger_sentences=ledger_sentences), bundle


def title_of(content: dict) -> str:
    lang = content["lang"]
    who = content["institution"] or content["park"]
    return i18n.t("br.doc_title_line", lang, who=who, period=content["period"])


def _num(x, decimals: int, signed: bool = False) -> str:
    if x is None:
        return "—"
    x = x + 0.0  # never "-0.0" or "+-0"
    if signed and round(x, decimals) == 0:
        return f"{0:.{decimals}f}"
    return f"{x:+,.{decimals}f}" if signed else f"{x:,.{decimals}f}"


RED = (0xC0, 0x00, 0x00)


def _red_rule(paragraph) -> None:
    """A red line under a paragraph (the 红头 rule), as a bottom border: python-docx has no API for it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def _font(run, size: float, *, bold: bool = False, color=None, family: str = "仿宋") -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.size, run.bold = Pt(size), bold
    run.font.name = family
    run._element.rPr.rFonts.set(qn("w:eastAsia"), family)  # Word picks the CJK font from eastAsia
    if color:
        run.font.color.rgb = RGBColor(*color)


def to_docx(content: dict, *, chart_pngs: dict[str, bytes] | None = None) -> bytes:
    """The Word document of a briefing. `chart_pngs` {code: PNG} are placed in the charts section."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    lang = content["lang"]

    def t(key: str, **kw) -> str:
        return i18n.t(key, lang, **kw)

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)  # A4, GB/T 9704 margins
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    if content.get("demo"):  # on every page (the header) and under the masthead
        mark = sec.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(mark.add_run(f"⚠ {t('app.demo_mark')}"), 10.5, bold=True, color=RED, family="黑体")
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run(t("br.masthead")), 36, bold=True, color=RED, family="方正小标宋简体")

    no = doc.add_paragraph()
    no.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(no.add_run(t("br.issue_no", year=content["period"][:4], no=content["issue_no"])), 16)
    line = doc.add_paragraph()
    _font(line.add_run(f"{content['issuer']}"), 14)
    _font(line.add_run("\t\t\t" + t("br.issued_on", date=content["issued_on"])), 14)
    _red_rule(line)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(title_of(content)), 20, bold=True, family="黑体")
    if content.get("demo"):
        demo = doc.add_paragraph()
        demo.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(demo.add_run(t("app.demo_mark")), 14, bold=True, color=RED, family="黑体")

    def heading(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True  # never alone at the foot of a page
        _font(p.add_run(text), 16, bold=True, family="黑体")

    def para(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Cm(1.1)
        _font(p.add_run(text), 16)

    def table(header: list[str], rows: list[list[str]]) -> None:
        tb = doc.add_table(rows=1, cols=len(header))
        tb.style = "Table Grid"
        tb.alignment = WD_TABLE_ALIGNMENT.CENTER
        tb.autofit = False
        first = Cm(5.6)  # the label column; the rest share the remaining 15.6 cm of text width
        widths = [first] + [int((Cm(15.6) - first) / (len(header) - 1))] * (len(header) - 1)
        for cell, text in zip(tb.rows[0].cells, header):
            _font(cell.paragraphs[0].add_run(text), 11, bold=True)
        for r in rows:
            for cell, text in zip(tb.add_row().cells, r):
                _font(cell.paragraphs[0].add_run(text), 11)
        for col, width in zip(tb.columns, widths):  # the grid (LibreOffice) and every cell (Word)
            col.width = width
            for cell in col.cells:
                cell.width = width

    heading(t("br.h.overall"))
    for s in content["sentences"]:
        para(s)
    heading(t("br.h.figures"))
    table([t("br.col.item"), t("br.col.now"), t("br.col.prev"), t("br.col.vs_prev"), t("br.col.year_ago"), t("br.col.vs_year")],
          [[r["label"], _num(r["now"], r["decimals"]), _num(r["prev"], r["decimals"]), _num(r["vs_prev"], r["decimals"], True),
            _num(r["year_ago"], r["decimals"]), _num(r["vs_year"], r["decimals"], True)] for r in content["table"]])
    para(t("br.figures_note", end=content["data_end"].get("credit") or "—", energy=content["data_end"].get("energy") or "—"))
    if chart_pngs:
        heading(t("br.h.charts"))
        for code, png in chart_pngs.items():
            doc.add_picture(io.BytesIO(png), width=Cm(15.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    published = content["headline"].get("open_alerts") is not None
    heading(t("br.h.alerts", n=len(content["open_alerts"])) if published else t("br.h.alerts_unpublished"))
    if not published:
        para(t("br.alerts_unpublished"))
    elif content["open_alerts"]:
        table([t("br.col.rule"), t("br.col.subject"), t("br.col.institution"), t("rk.col.period"), t("br.col.severity"),
               t("br.col.raised"), t("br.col.state")],
              [[a["rule"], a["subject"], a.get("institution", ""), a.get("period", ""), a["severity"], a["raised"], a["state"]]
               for a in content["open_alerts"]])
    else:
        para(t("br.no_alerts"))
    heading(t("br.h.tasks"))
    h = content["headline"]
    if h["tasks_due"] is None:  # publicity: some types rest on fewer than three institutions; no partial total
        para(t("br.tasks_unpublished"))
    else:
        para(t("br.tasks_line", due=h["tasks_due"], done=h["tasks_done"], rate=_num(h["task_completion_pct"], 0),
               overdue=h["tasks_overdue"]))
    if content["overdue_tasks"]:
        table([t("br.col.task"), t("br.col.institution"), t("br.col.due")],
              [[x["title"], x["institution"], x["due"]] for x in content["overdue_tasks"]])
    for i, key in enumerate(FREE_SECTIONS):
        heading(t(f"br.free.{key}"))
        if key == "work":  # what the work ledgers hold, then what the institution writes
            for sentence in content.get("ledgers", []):
                para(sentence)
        text = (content["sections"].get(key) or "").strip()
        empty = t("br.free.empty_more") if key == "work" and content.get("ledgers") else t("br.free.empty")
        for block in (text.split("\n") if text else [empty]):
            if block.strip():
                para(block.strip())
    foot = doc.add_paragraph()
    _red_rule(foot)
    _font(doc.add_paragraph().add_run(t("br.distribution")), 14)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def chart_images(content: dict, *, scale: int = 2) -> dict[str, bytes]:
    """The briefing's charts (stored as specs in the content) as PNGs through kaleido."""
    figs = publication.snapshot_figures(content)
    ends = [dt.date.fromisoformat(d) for d in content["data_end"].values() if d]
    return {code: exports.to_png(publication.publication_figure(fig, data_end=max(ends) if ends else None,
                                                                    lang=content["lang"], demo=bool(content.get("demo"))),
                                     scale=scale)
            for code, fig in figs.items()}


def document(content: dict) -> bytes:
    """The finished Word briefing: content plus its charts as images."""
    return to_docx(content, chart_pngs=chart_images(content))


def file_name(content: dict) -> str:
    who = content["institution_code"] or content["park_code"]
    return f"零碳金融简报_{who}_{content['period']}.docx" if content["lang"] == "zh" else f"briefing_{who}_{content['period']}.docx"
