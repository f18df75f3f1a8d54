"""Work ledgers (工作台账, §六 §八 §九 §十六): each ledger's measures, its monthly trend, its totals by keeper, its
late reports, and the one sentence the briefing and the big screen carry. Pure: every function takes the monthly
sums and overdue counts of `data_access.ledger_store` and returns numbers, frames or text.

One definition per measure (MEASURES): the page, the briefing, the big screen and the catalogue read it here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboard import i18n
from data_access.taxonomy import INSTITUTION_LEDGERS, LEDGERS

MONTHLY_LEDGERS = ("fx", "payment")  # reported as monthly counts: a keeper without the month's row is late
LISTS = ("duty_list", "exempt_list", "negative_list")


@dataclass(frozen=True)
class Measure:
    code: str
    column: str  # of the monthly sums: entries, quantity, amount, amount_usd, attendance, reach
    categories: tuple[str, ...] = ()  # only these categories (all when empty)
    statuses: tuple[str, ...] = ()  # only these statuses (all when empty)
    decimals: int = 0


EVENTS, PUBLISHED = ("training", "seminar", "event"), ("column", "broadcast")
FISCAL = ("interest_subsidy", "financing_guarantee", "risk_compensation", "green_fund")
MEASURES: dict[str, tuple[Measure, ...]] = {
    "adviser": (Measure("services", "entries"), Measure("financing_followed", "amount", statuses=("financed",), decimals=1)),
    "fx": (Measure("fx_usd", "amount_usd", decimals=1), Measure("fx_transactions", "quantity"),
           Measure("cross_border_usd", "amount_usd", categories=("cross_border_financing",), decimals=1)),
    "exemption": (Measure("cases", "entries", categories=("case",)), Measure("granted", "entries", categories=("case",), statuses=("granted",)),
                  Measure("list_items", "entries", categories=LISTS, statuses=("in_force",))),
    "payment": (Measure("accounts", "quantity", categories=("account_opening",)),
                Measure("green_channel", "quantity", categories=("green_channel",)),
                Measure("terminals", "quantity", categories=("payment_terminal",))),
    "outreach": (Measure("events_held", "entries", categories=EVENTS, statuses=("held",)),
                 Measure("published", "entries", categories=PUBLISHED, statuses=("held",)),
                 Measure("attendance", "attendance", statuses=("held",)), Measure("reach", "reach", statuses=("held",))),
    "consultation": (Measure("meetings", "entries"), Measure("closed", "entries", statuses=("closed",)),
                     Measure("fiscal_amount", "amount", categories=FISCAL)),
}
# The measure each ledger's monthly trend shows, split by category.
TREND: dict[str, Measure] = {"adviser": MEASURES["adviser"][0], "fx": MEASURES["fx"][0], "exemption": MEASURES["exemption"][0],
                             "payment": MEASURES["payment"][1], "outreach": Measure("held", "entries", statuses=("held",)),
                             "consultation": MEASURES["consultation"][0]}


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def as_of(period: dt.date, today: dt.date) -> dt.date:
    """The day what is overdue is judged at: the chosen month's last day, or today while the month is current
    (as the briefing judges tasks at the month's end)."""
    return min(today, month_end(period))


def visible_ledgers(role: str) -> tuple[str, ...]:
    """The ledgers a role's page shows: a reporter its institution's four, publicity the outreach ledger."""
    if role == "publicity":
        return ("outreach",)
    if role == "institution_reporter":
        return INSTITUTION_LEDGERS
    return LEDGERS


def measure(ledger: str, code: str) -> Measure:
    return next(m for m in (*MEASURES[ledger], TREND[ledger]) if m.code == code)


def _rows(sums: pd.DataFrame, ledger: str, m: Measure) -> pd.DataFrame:
    rows = sums[sums["ledger"] == ledger]
    if m.categories:
        rows = rows[rows["category"].isin(m.categories)]
    if m.statuses:
        rows = rows[rows["status"].isin(m.statuses)]
    return rows


def year_start(period: dt.date) -> dt.date:
    return period.replace(month=1, day=1)


def total(sums: pd.DataFrame, ledger: str, code: str, *, since: dt.date | None, until: dt.date) -> float:
    """A measure summed over the months from `since` (None: from the first) to `until`'s month."""
    m = measure(ledger, code)
    rows = _rows(sums, ledger, m)
    rows = rows[(rows["month"] <= until) & ((rows["month"] >= since) if since else True)]
    return float(rows[m.column].sum())


def standing(sums: pd.DataFrame, ledger: str, code: str, *, until: dt.date) -> float:
    """A measure of what stands at `until` (the lists' items in force), whatever month they were set in."""
    return total(sums, ledger, code, since=None, until=until)


def monthly_trend(sums: pd.DataFrame, ledger: str, *, until: dt.date, months: int = 24) -> pd.DataFrame:
    """The ledger's trend measure by month (rows, gaps as 0) and category (columns): the last `months` to `until`,
    from the first month the ledger holds anything (months before it was kept are not zeros)."""
    m = TREND[ledger]
    rows = _rows(sums, ledger, m)
    end = pd.Timestamp(until).to_period("M")
    kept = sums.loc[(sums["ledger"] == ledger) & (sums["month"] <= until), "month"]
    start = max(end - months + 1, pd.Timestamp(min(kept)).to_period("M")) if not kept.empty else end - months + 1
    index = pd.period_range(start, end, freq="M").to_timestamp().date
    if rows.empty:
        return pd.DataFrame(index=pd.Index(index, name="month"))
    table = rows.pivot_table(index="month", columns="category", values=m.column, aggfunc="sum")
    return table.reindex(index, fill_value=0.0).fillna(0.0).rename_axis("month")


def keeper_key(institution_id, department) -> str:
    """One key for a ledger's keeper: the institution's id or the department's code."""
    return f"i{int(institution_id)}" if institution_id is not None and not pd.isna(institution_id) else f"d{department}"


def by_keeper(sums: pd.DataFrame, overdue: pd.DataFrame, ledger: str, *, period: dt.date) -> pd.DataFrame:
    """One row per keeper of the ledger: its measures this year to `period` (the lists: items in force), its latest
    month reported, and how many of its entries `overdue` counts (monthly ledgers: 1 more when its `period` month is
    missing). Columns: keeper, institution_id, department, one per measure code, latest, overdue."""
    rows = sums[sums["ledger"] == ledger]
    keys = rows.assign(keeper=[keeper_key(i, d) for i, d in zip(rows["institution_id"], rows["department"])])
    since = year_start(period)
    out = []
    late = set(late_keepers(sums, ledger, period=period)["keeper"]) if ledger in MONTHLY_LEDGERS else set()
    od = overdue[overdue["ledger"] == ledger] if not overdue.empty else overdue
    od_by = {keeper_key(i, d): int(n) for i, d, n in zip(od.get("institution_id", []), od.get("department", []), od.get("overdue", []))}
    for key, part in keys.groupby("keeper", sort=False):
        row = {"keeper": key, "institution_id": part["institution_id"].iloc[0], "department": part["department"].iloc[0]}
        for m in MEASURES[ledger]:
            if m.code == "list_items":
                row[m.code] = standing(part, ledger, m.code, until=period)
            else:
                row[m.code] = total(part, ledger, m.code, since=since, until=period)
        row["latest"] = max((d for d in part["month"] if d <= period), default=None)
        row["overdue"] = od_by.get(key, 0) + (1 if key in late else 0)
        out.append(row)
    columns = ["keeper", "institution_id", "department", *[m.code for m in MEASURES[ledger]], "latest", "overdue"]
    return pd.DataFrame(out, columns=columns)


def late_keepers(sums: pd.DataFrame, ledger: str, *, period: dt.date) -> pd.DataFrame:
    """Keepers of a monthly ledger that reported before `period`'s month but not for it: keeper, institution_id,
    department, latest."""
    rows = sums[(sums["ledger"] == ledger) & (sums["month"] <= period)]
    month = period.replace(day=1)
    out = []
    for (inst, dept), part in rows.groupby([rows["institution_id"].astype(object), rows["department"].astype(object)], dropna=False):
        latest = max(part["month"])
        if latest < month:
            inst = None if inst is None or pd.isna(inst) else int(inst)
            dept = None if dept is None or pd.isna(dept) else dept
            out.append({"keeper": keeper_key(inst, dept), "institution_id": inst, "department": dept, "latest": latest})
    return pd.DataFrame(out, columns=["keeper", "institution_id", "department", "latest"])


def overdue_total(sums: pd.DataFrame, overdue: pd.DataFrame, ledger: str, *, period: dt.date) -> int:
    """Entries overdue in the ledger, plus, for a monthly ledger, the keepers late with `period`'s month."""
    n = int(overdue.loc[overdue["ledger"] == ledger, "overdue"].sum()) if not overdue.empty else 0
    if ledger in MONTHLY_LEDGERS:
        n += len(late_keepers(sums, ledger, period=period))
    return n


def _fmt(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def sentence(ledger: str, sums: pd.DataFrame, overdue: pd.DataFrame, *, period: dt.date, lang: str) -> str | None:
    """The ledger's one sentence for the briefing and the big screen: this year to `period`'s month, with what is
    overdue; None when the ledger holds nothing the reader may see."""
    rows = sums[sums["ledger"] == ledger]
    if rows.empty:
        return None
    since = year_start(period)
    span = i18n.t("lg.span", lang, year=period.year, month=period.month) if period.month > 1 else \
        i18n.t("lg.span_one", lang, year=period.year, month=period.month)
    v = {m.code: total(sums, ledger, m.code, since=since, until=period) for m in MEASURES[ledger]}
    late = overdue_total(sums, overdue, ledger, period=period)
    values = dict(span=span, late=late, ledger=i18n.label("ledger", ledger, lang), year=period.year, month=period.month)
    key = f"lg.sentence.{ledger}"
    if ledger == "adviser":
        values.update(services=_fmt(v["services"]), financed=_fmt(v["financing_followed"] * 1e-4, 2))
    elif ledger == "fx":
        values.update(transactions=_fmt(v["fx_transactions"]), usd=_fmt(v["fx_usd"] * i18n.scale("usd_yi", lang), 2),
                      cross=_fmt(v["cross_border_usd"]))
    elif ledger == "exemption":
        lists = _rows(rows, ledger, measure(ledger, "list_items"))
        values.update(banks=lists["institution_id"].nunique(), items=_fmt(standing(sums, ledger, "list_items", until=period)),
                      cases=_fmt(v["cases"]), granted=_fmt(v["granted"]))
        key += "" if v["cases"] else "_none"
    elif ledger == "payment":
        values.update(accounts=_fmt(v["accounts"]), channel=_fmt(v["green_channel"]))
    elif ledger == "outreach":
        values.update(events=_fmt(v["events_held"]), published=_fmt(v["published"]), attendance=_fmt(v["attendance"]),
                      reach=_fmt(v["reach"] * i18n.scale("reach", lang), 1 if lang == "zh" else 0))
    elif ledger == "consultation":
        values.update(meetings=_fmt(v["meetings"]), closed=_fmt(v["closed"]), fiscal=_fmt(v["fiscal_amount"]))
    text = i18n.t(key, lang, **values)
    if late:
        text += i18n.t(f"lg.late.{ledger}", lang, **values)
    return text + ("。" if lang == "zh" else ".")


def sentences(sums: pd.DataFrame, overdue: pd.DataFrame, *, period: dt.date, lang: str) -> list[str]:
    """Every ledger's sentence the reader may see, in the action plan's order."""
    return [s for s in (sentence(ledger, sums, overdue, period=period, lang=lang) for ledger in LEDGERS) if s]
