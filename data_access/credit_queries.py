"""Credit, policy tools, direct financing, tasks and lead-bank projects, aggregated in SQL.

Every function takes the user's Scope (keyword-only, required): a reporter's scope sees its own
institution's rows only. Publicity-safe mode never returns a single institution (no breakdown or filter by
institution, no institution-level rows) and leaves out every group resting on fewer than MIN_INSTITUTIONS
institutions or MIN_GROUP_SIZE borrowers, plus as many further groups as it takes for the left-out ones
together to rest on that many (so a published total minus the published groups reveals no small group).
Money is 万元; periods are month starts.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, and_, case, extract, false, func, insert, literal, null, or_, select, update

from data_access.models import (
    AssessmentWeight,
    AuditLog,
    CreditFacility,
    CreditSnapshot,
    DirectFinancing,
    Enterprise,
    Institution,
    PolicyToolUse,
    Project,
    RiskAlert,
    SyndicateMember,
    Task,
)
from data_access import taxonomy as tx
from data_access.queries import _as_date, _frame
from data_access.scope import MIN_GROUP_SIZE, MIN_INSTITUTIONS, Scope

S, F = CreditSnapshot, CreditFacility

# The dimensions credit can be grouped by, and the column that holds each (inst_type is the type in force
# that month, so an institution that changed type is counted under the right one each month).
GROUPINGS = {
    "inst_type": S.inst_type,
    "product_line": F.product_line,
    "institution": F.institution_id,
    "enterprise_class": Enterprise.enterprise_class,
    "policy_tool": F.policy_tool,
    "carbon_product": F.carbon_product,
    "total": None,
}


# A bank's facility is a loan (by the institution's type in force that month); a leasing firm's is not.
LOAN = S.inst_type.in_(tx.BANK_TYPES)
GREEN_LOAN = and_(LOAN, F.is_green.is_(True))
_GREEN_NONBANK = and_(~LOAN, F.is_green.is_(True))


def _gsum(expr, cond):
    return func.coalesce(func.sum(case((cond, expr), else_=0)), 0)


def credit_sums() -> dict:
    """The sums every credit figure is made of, labelled, for a SELECT over credit_snapshot S joined to its facility F
    (`load_credit_by`, the Explore page): one definition of green loans, their balance, NPLs and rates."""
    return {c.name: c for c in (
        _gsum(S.balance, GREEN_LOAN).label("green_balance"),
        _gsum(S.balance, LOAN).label("total_balance"),
        _gsum(S.disbursed, GREEN_LOAN).label("green_disbursed"),
        _gsum(S.disbursed, LOAN).label("total_disbursed"),
        _gsum(S.balance, and_(GREEN_LOAN, S.status == "overdue")).label("green_overdue_balance"),
        _gsum(S.balance, and_(GREEN_LOAN, S.status == "npl")).label("green_npl_balance"),
        _gsum(S.balance, and_(LOAN, S.status == "overdue")).label("overdue_balance"),
        _gsum(S.balance, and_(LOAN, S.status == "npl")).label("npl_balance"),
        _gsum(S.balance * S.rate, GREEN_LOAN).label("green_rate_x_balance"),
        _gsum(S.balance * S.rate, and_(LOAN, ~F.is_green.is_(True))).label("other_rate_x_balance"),
        _gsum(S.balance, _GREEN_NONBANK).label("green_nonbank_balance"),
        func.count(func.distinct(case((and_(LOAN, S.balance > 0), F.enterprise_id)))).label("n_borrowers"),
        func.count(func.distinct(case((and_(LOAN, S.balance > 0), F.institution_id)))).label("n_institutions"),
        func.count(func.distinct(case((and_(_GREEN_NONBANK, S.balance > 0), F.enterprise_id)))).label("n_nonbank_borrowers"),
        func.count(func.distinct(case((and_(_GREEN_NONBANK, S.balance > 0), F.institution_id)))).label("n_nonbank_institutions"),
    )}


def _scope_conds(scope: Scope, institution_col):
    own = scope.own_institution
    return [institution_col == own] if own is not None else []


def load_credit_monthly(conn: Connection, *, park_id: int, scope: Scope, start: dt.date | None = None,
                        end: dt.date | None = None, institution_id: int | None = None) -> pd.DataFrame:
    """Park lending per month from the current revision of the loan snapshots, 万元.

    Columns: period, green_balance, total_balance, green_disbursed, total_disbursed, green_overdue_balance,
    green_npl_balance, overdue_balance, npl_balance, green_rate_weighted (green rate x balance; divide by
    green_balance), other_rate_x_balance, green_nonbank_balance, n_borrowers, n_institutions. The same
    aggregation as every grouped credit figure (`load_credit_by`), taken as one group; a
    reporter's scope sees its own institution only; in publicity-safe mode months resting on fewer than
    MIN_INSTITUTIONS banks or MIN_GROUP_SIZE borrowers are left out, and one institution is never returned.
    """
    df = load_credit_by(conn, park_id=park_id, scope=scope, by="total", start=start, end=end, institution_id=institution_id)
    if df.empty:
        return df
    return df.drop(columns="group").rename(columns={"green_rate_x_balance": "green_rate_weighted"})


def load_credit_by(conn: Connection, *, park_id: int, scope: Scope, by: str, start: dt.date | None = None,
                   end: dt.date | None = None, inst_type: str | None = None, institution_id: int | None = None,
                   green_only: bool = False) -> pd.DataFrame:
    """Month-end lending per month and group (current revisions), 万元.

    Loans are the facilities of banking institutions (`taxonomy.BANK_TYPES`, by the type in force that
    month); green leasing and other non-bank green financing is its own column, green_nonbank_balance,
    and is in none of the loan columns (PBOC green-loan statistics count loans only).

    by : one of GROUPINGS ('total' for the park as one group).
    inst_type, institution_id : narrow to one type or one institution (the drill-down).
    Columns: period, group, green_balance, total_balance, green_disbursed, total_disbursed,
    green_overdue_balance, green_npl_balance, overdue_balance, npl_balance, green_rate_x_balance,
    other_rate_x_balance, green_nonbank_balance, n_borrowers (bank borrowers), n_institutions (banks lending).
    Divide the *_rate_x_balance columns by the matching balance for the balance-weighted average rate.

    Publicity-safe mode (`_publishable`): nothing by or for one institution; groups under MIN_INSTITUTIONS banks or
    MIN_GROUP_SIZE borrowers left out, with complementary groups; green_nonbank_balance empty (NaN) unless the
    park-level figure rests on enough institutions and borrowers. `df.attrs["suppressed"]` lists the (period, group)
    left out and `df.attrs["suppressed_green_balance"]` their combined green balance per period (safe to publish,
    so shares stay shares of the whole).
    """
    if by not in GROUPINGS:
        raise ValueError(f"cannot group credit by {by!r}; choose one of {sorted(GROUPINGS)}")
    inst = scope.institution_filter(institution_id)
    if inst is False:
        return pd.DataFrame()
    if scope.publicity_safe and (by == "institution" or inst is not None):
        return _all_suppressed()  # a single institution is never published
    group = GROUPINGS[by]
    conds = [S.park_id == park_id, S.is_current.is_(True)]
    if start:
        conds.append(S.period >= start)
    if end:
        conds.append(S.period <= end)
    if inst is not None:
        conds.append(F.institution_id == inst)
    if inst_type:
        conds.append(S.inst_type == inst_type)
    if by == "inst_type":
        conds.append(LOAN)  # loans by type are banks' types; non-bank green financing is reported on its own line
    if green_only:
        conds.append(GREEN_LOAN)
    group_col = (group if group is not None else literal("total")).label("group")
    stmt = (
        select(S.period.label("period"), group_col, *credit_sums().values())
        .join(F, F.id == S.facility_id)
        .join(Enterprise, Enterprise.id == F.enterprise_id)
        .where(*conds)
        .group_by(S.period, *( [group] if group is not None else []))
        .order_by(S.period)
    )
    df = _frame(conn, stmt)
    counts = ["n_borrowers", "n_institutions", "n_nonbank_borrowers", "n_nonbank_institutions"]
    if not df.empty:
        df["period"] = _as_date(df["period"])
        money = [c for c in df.columns if c not in ("period", "group", *counts)]
        df[money] = df[money].astype(float)
    suppressed: list = []
    left_out = pd.Series(dtype=float)
    if scope.publicity_safe and not df.empty:
        df, suppressed, left_out = _publishable(df, by)
    df = df.drop(columns=["n_nonbank_borrowers", "n_nonbank_institutions"], errors="ignore")
    if not df.empty and (by == "inst_type" or inst_type):
        df = _with_like_for_like_prev(conn, df, by=by, park_id=park_id, institution=inst, inst_type=inst_type,
                                      green_only=green_only, publicity_safe=scope.publicity_safe)
    df = df.reset_index(drop=True)
    if scope.publicity_safe:
        df.attrs["suppressed"] = suppressed
        df.attrs["suppressed_green_balance"] = {p: float(v) for p, v in left_out.items()}
    return df


def _all_suppressed() -> pd.DataFrame:
    """What publicity-safe mode gets for a request that could only show one institution: nothing."""
    df = pd.DataFrame()
    df.attrs["suppressed"] = [(None, None)]
    df.attrs["suppressed_green_balance"] = {}
    return df


def _publishable(df: pd.DataFrame, by: str) -> tuple[pd.DataFrame, list, pd.Series]:
    """The rows of a `load_credit_by` frame that publicity-safe mode may show.

    Primary: a group under MIN_INSTITUTIONS banks or MIN_GROUP_SIZE borrowers is left out. Complementary: when
    the groups left out in a month do not, together, certainly rest on that many, the next smallest groups are
    left out too, until they do (or none is left), so that the parent total (published by its own call) minus
    the published groups reveals only an aggregate that could itself be published. Banks of different types are
    different banks (their counts add up), so are borrowers of different classes; otherwise the largest count
    is the safe bound. A group with no loans at all hides nothing and is not counted. Green non-bank financing
    is shown on the park-level line only, and only when it passes the rule itself.
    Returns (published rows, [(period, group) left out], combined green balance left out per period).
    """
    ok = (df["n_institutions"] >= MIN_INSTITUTIONS) & (df["n_borrowers"] >= MIN_GROUP_SIZE)
    no_loans = (df["total_balance"] == 0) & (df["total_disbursed"] == 0)
    if by != "total":
        inst_add, borrowers_add = by in ("inst_type", "institution"), by == "enterprise_class"
        for idx in df.groupby("period").groups.values():
            if ok.loc[idx].all():
                continue  # nothing left out this month
            rows = df.loc[idx][~no_loans.loc[idx]]
            while True:
                out, shown = rows[~ok.loc[rows.index]], rows[ok.loc[rows.index]]
                if out.empty or shown.empty:
                    break
                n_inst = out["n_institutions"].sum() if inst_add else out["n_institutions"].max()
                n_borr = out["n_borrowers"].sum() if borrowers_add else out["n_borrowers"].max()
                if n_inst >= MIN_INSTITUTIONS and n_borr >= MIN_GROUP_SIZE:
                    break
                ok.loc[shown.sort_values(["total_balance", "green_balance"]).index[0]] = False
    dropped = df[~ok]
    suppressed = list(zip(dropped["period"], dropped["group"]))
    out = df[ok].copy()
    left_out = dropped.groupby("period")["green_balance"].sum()
    left_out = left_out[left_out.index.isin(out["period"])]  # only beside published groups, where it is safe
    nonbank_ok = (out["n_nonbank_institutions"] >= MIN_INSTITUTIONS) & (out["n_nonbank_borrowers"] >= MIN_GROUP_SIZE)
    out["green_nonbank_balance"] = out["green_nonbank_balance"].where(nonbank_ok & (by == "total"))
    return out, suppressed, left_out


def _by_institution_month(conn: Connection, *, park_id: int, institution: int | None, by: str = "total",
                          green_only: bool = False) -> pd.DataFrame:
    """Per month, institution and `by` group: the institution's type in force that month, its green loan
    balance and all its loan balance (万元)."""
    loan = S.inst_type.in_(tx.BANK_TYPES)
    conds = [S.park_id == park_id, S.is_current.is_(True)]
    if institution is not None:
        conds.append(F.institution_id == institution)
    if green_only:
        conds.append(F.is_green.is_(True))
    group = GROUPINGS[by]
    group_col = (group if group is not None else literal("total")).label("group")
    type_col = func.max(S.inst_type).label("inst_type")
    stmt = (select(S.period.label("period"), F.institution_id.label("institution_id"), group_col, type_col,
                   func.coalesce(func.sum(case((and_(loan, F.is_green.is_(True)), S.balance), else_=0)), 0).label("green"),
                   func.coalesce(func.sum(case((loan, S.balance), else_=0)), 0).label("total"))
            .join(F, F.id == S.facility_id).join(Enterprise, Enterprise.id == F.enterprise_id).where(*conds)
            .group_by(S.period, F.institution_id, *([group] if group is not None and by != "institution" else [])))
    df = _frame(conn, stmt)
    if not df.empty:
        df["period"] = _as_date(df["period"])
        df[["green", "total"]] = df[["green", "total"]].astype(float)
    return df


def _with_like_for_like_prev(conn: Connection, df: pd.DataFrame, *, by: str, park_id: int, institution: int | None,
                             inst_type: str | None, green_only: bool, publicity_safe: bool = False) -> pd.DataFrame:
    """Add green_balance_prev and total_balance_prev: the balance a year earlier restated under each
    institution's type in force this month (like-for-like, as PBOC statistics restate a base period).

    A bank that changed type takes last year's balance with it, so growth by type (or within one type) is not
    made by the move: the type it joined does not jump and the type it left does not fall. In publicity-safe
    mode a base that rests on fewer than MIN_INSTITUTIONS banks lending a year earlier is left empty.
    """
    rows = _by_institution_month(conn, park_id=park_id, institution=institution, by=by, green_only=green_only)
    if rows.empty:
        return df.assign(green_balance_prev=float("nan"), total_balance_prev=float("nan"))
    now = rows[["period", "institution_id", "inst_type"]].drop_duplicates(["period", "institution_id"])
    if inst_type:
        now = now[now["inst_type"] == inst_type]  # members of the type this month
    earlier = rows[["period", "institution_id", "group", "green", "total"]].copy()
    earlier["period"] = [p.replace(year=p.year + 1) for p in earlier["period"]]  # a year earlier, seen from now
    joined = now.merge(earlier, on=["period", "institution_id"], how="inner")
    if by == "inst_type":
        joined["group"] = joined["inst_type"]  # restated under this month's type
    grouped = joined.groupby(["period", "group"])
    prev = (grouped[["green", "total"]].sum()
            .rename(columns={"green": "green_balance_prev", "total": "total_balance_prev"}).reset_index())
    if publicity_safe:
        lenders = joined[joined["total"] > 0].groupby(["period", "group"])["institution_id"].nunique()
        keys = pd.MultiIndex.from_frame(prev[["period", "group"]])
        thin = lenders.reindex(keys).fillna(0).to_numpy() < MIN_INSTITUTIONS
        prev.loc[thin, ["green_balance_prev", "total_balance_prev"]] = float("nan")
    if by == "institution":
        prev["group"] = prev["group"].astype(df["group"].dtype)
    out = df.merge(prev, on=["period", "group"], how="left")
    has_year_ago = {p.replace(year=p.year + 1) for p in rows["period"]}
    known = out["period"].isin(has_year_ago)  # nothing lent a year ago restates to 0, not to unknown
    if publicity_safe:
        known &= False  # an empty base stays unknown: 0 would say "fewer than three lent"
    for col in ("green_balance_prev", "total_balance_prev"):
        out[col] = out[col].where(out[col].notna() | ~known, 0.0)
    return out


def load_reclassifications(conn: Connection, *, park_id: int, scope: Scope) -> pd.DataFrame:
    """Institutions whose type changed, with the month the new type took effect: institution_id, short_name,
    from_type, to_type, period. Listed under every chart of growth by type. Publicity-safe mode: none (each
    row names one institution)."""
    inst = scope.institution_filter(None)
    if inst is False or scope.publicity_safe:
        return pd.DataFrame(columns=["institution_id", "short_name", "from_type", "to_type", "period"])
    df = _by_institution_month(conn, park_id=park_id, institution=inst)
    rows = []
    for inst_id, g in df.sort_values("period").groupby("institution_id"):
        types = g["inst_type"].tolist()
        for k in range(1, len(types)):
            if types[k] != types[k - 1]:
                rows.append({"institution_id": inst_id, "from_type": types[k - 1], "to_type": types[k],
                             "period": g["period"].iloc[k]})
    out = pd.DataFrame(rows, columns=["institution_id", "from_type", "to_type", "period"])
    names = dict(conn.execute(select(Institution.id, Institution.short_name)).all())
    out.insert(1, "short_name", out["institution_id"].map(names))
    return out


def load_facilities(conn: Connection, *, park_id: int, scope: Scope, period: dt.date, institution_id: int | None = None,
                    inst_type: str | None = None) -> pd.DataFrame:
    """Loan level at one month end (the last step of the drill-down). Not available in publicity-safe mode.

    Columns: facility_id, contract_no, institution, inst_type, enterprise, uscc, enterprise_class,
    product_line, is_green, start_date, maturity_date, amount, balance, rate, status, overdue_days,
    policy_tool, carbon_product, carbon_linked, project.
    """
    if scope.publicity_safe:
        return pd.DataFrame()
    inst = scope.institution_filter(institution_id)
    if inst is False:
        return pd.DataFrame()
    conds = [S.park_id == park_id, S.is_current.is_(True), S.period == period]
    if inst is not None:
        conds.append(F.institution_id == inst)
    if inst_type:
        conds.append(S.inst_type == inst_type)
    stmt = (
        select(F.id.label("facility_id"), F.contract_no, Institution.short_name.label("institution"), S.inst_type,
               Enterprise.name.label("enterprise"), Enterprise.uscc, Enterprise.enterprise_class, F.product_line, F.is_green,
               F.start_date, F.maturity_date, F.amount, S.balance, S.rate, S.status, S.overdue_days, F.policy_tool,
               F.carbon_product, F.carbon_linked, Project.name.label("project"))
        .join(S, S.facility_id == F.id)
        .join(Institution, Institution.id == F.institution_id)
        .join(Enterprise, Enterprise.id == F.enterprise_id)
        .join(Project, Project.id == F.project_id, isouter=True)
        .where(*conds)
        .order_by(S.balance.desc())
    )
    df = _frame(conn, stmt)
    if not df.empty:
        df[["amount", "balance", "rate"]] = df[["amount", "balance", "rate"]].astype(float)
    return df


def load_policy_tools_by_institution(conn: Connection, *, park_id: int, scope: Scope, start: dt.date | None = None,
                                     end: dt.date | None = None) -> pd.DataFrame:
    """Policy-tool use per month, institution and tool, 万元 / tCO2e / %.

    Columns: period, institution_id, tool, eligible_amount, loan_amount, funding_amount, tool_rate,
    carbon_reduction_t, fiscal_cost. In publicity-safe mode: empty (single-institution rows).
    """
    if scope.publicity_safe:
        return pd.DataFrame()
    p = PolicyToolUse
    conds = [p.park_id == park_id, p.is_current.is_(True), *_scope_conds(scope, p.institution_id)]
    if start:
        conds.append(p.period >= start)
    if end:
        conds.append(p.period <= end)
    stmt = select(p.period, p.institution_id, p.tool, p.eligible_amount, p.loan_amount, p.funding_amount, p.tool_rate,
                  func.coalesce(p.carbon_reduction_t, 0).label("carbon_reduction_t"), p.fiscal_cost
                  ).where(*conds).order_by(p.period, p.institution_id, p.tool)
    df = _frame(conn, stmt)
    if not df.empty:
        df["period"] = _as_date(df["period"])
        num = ["eligible_amount", "loan_amount", "funding_amount", "carbon_reduction_t", "fiscal_cost"]
        df[num] = df[num].astype(float)
        df["tool_rate"] = df["tool_rate"].astype(float)
    return df


def load_direct_financing(conn: Connection, *, park_id: int, scope: Scope) -> pd.DataFrame:
    """Direct financing by instrument and year, 万元: instrument, year, amount, n_deals, n_institutions, n_issuers.

    Publicity-safe mode leaves out rows resting on fewer than MIN_INSTITUTIONS institutions or MIN_GROUP_SIZE
    issuing enterprises; `df.attrs["suppressed"]` lists the (year, instrument) left out."""
    d = DirectFinancing
    year = extract("year", d.issue_date)
    conds = [d.park_id == park_id, *_scope_conds(scope, d.institution_id)]
    stmt = (select(d.instrument, year.label("year"), func.sum(d.amount).label("amount"), func.count().label("n_deals"),
                   func.count(func.distinct(d.institution_id)).label("n_institutions"),
                   func.count(func.distinct(d.enterprise_id)).label("n_issuers"))
            .where(*conds).group_by(d.instrument, year).order_by(year, d.instrument))
    df = _frame(conn, stmt)
    if not df.empty:
        df["year"] = df["year"].astype(int)
        df["amount"] = df["amount"].astype(float)
    if scope.publicity_safe:
        ok = (df["n_institutions"] >= MIN_INSTITUTIONS) & (df["n_issuers"] >= MIN_GROUP_SIZE) if not df.empty else []
        suppressed = list(zip(df.loc[~ok, "year"], df.loc[~ok, "instrument"])) if not df.empty else []
        df = df[ok].reset_index(drop=True) if not df.empty else df
        df.attrs["suppressed"] = suppressed
    return df


def load_tasks(conn: Connection, *, park_id: int, scope: Scope, year: int | None = None) -> pd.DataFrame:
    """The annual task list: task_id, year, code, title, seed_section, institution_id, institution, inst_type,
    due_date, status, completed_on, evidence.

    Publicity-safe mode: no institution (task_id, institution_id, institution and evidence empty), and only the
    tasks of institution types with at least MIN_INSTITUTIONS institutions on that year's list, so a completion
    rate by type, or of the park, never rests on fewer; `df.attrs["suppressed"]` lists the (year, inst_type)
    left out."""
    t = Task
    conds = [t.park_id == park_id, *_scope_conds(scope, t.institution_id)]
    if year is not None:
        conds.append(t.year == year)
    if scope.publicity_safe:
        groups = _frame(conn, select(t.year.label("year"), Institution.inst_type.label("inst_type"),
                                     func.count(func.distinct(t.institution_id)).label("n_institutions"))
                        .join(Institution, Institution.id == t.institution_id).where(*conds)
                        .group_by(t.year, Institution.inst_type))
        small = groups[groups["n_institutions"] < MIN_INSTITUTIONS]
        wide = (select(t.year.label("year"), Institution.inst_type.label("inst_type"))
                .join(Institution, Institution.id == t.institution_id).where(*conds)
                .group_by(t.year, Institution.inst_type)
                .having(func.count(func.distinct(t.institution_id)) >= MIN_INSTITUTIONS).subquery())
        stmt = (select(null().label("task_id"), t.year, t.code, t.title, t.seed_section, null().label("institution_id"),
                       null().label("institution"), Institution.inst_type, t.due_date, t.status, t.completed_on,
                       null().label("evidence"))
                .join(Institution, Institution.id == t.institution_id)
                .join(wide, and_(wide.c.year == t.year, wide.c.inst_type == Institution.inst_type))
                .where(*conds).order_by(t.due_date, Institution.inst_type, t.code, t.status))
        df = _frame(conn, stmt)
        df.attrs["suppressed"] = list(zip(small["year"], small["inst_type"]))
    else:
        stmt = (select(t.id.label("task_id"), t.year, t.code, t.title, t.seed_section, t.institution_id,
                       Institution.short_name.label("institution"), Institution.inst_type, t.due_date, t.status,
                       t.completed_on, t.evidence)
                .join(Institution, Institution.id == t.institution_id).where(*conds).order_by(t.due_date, t.institution_id))
        df = _frame(conn, stmt)
    if not df.empty:
        df["due_date"] = _as_date(df["due_date"])
    return df


def load_institution_projects(conn: Connection, *, park_id: int, scope: Scope, institution_id: int) -> pd.DataFrame:
    """Projects where the institution is lead bank or a syndicate member: project, category, stage,
    investment, financing_need, lead (bool), share, amount. Publicity-safe mode: none."""
    inst = scope.institution_filter(institution_id)
    if inst is False or inst is None or scope.publicity_safe:
        return pd.DataFrame()
    p, m = Project, SyndicateMember
    stmt = (select(p.name.label("project"), p.category, p.stage, p.investment, p.financing_need,
                   (p.lead_bank_id == inst).label("lead"), m.share, m.amount)
            .join(m, and_(m.project_id == p.id, m.institution_id == inst), isouter=True)
            .where(p.park_id == park_id, or_(p.lead_bank_id == inst, m.institution_id == inst))
            .order_by(p.investment.desc()))
    df = _frame(conn, stmt)
    if not df.empty:
        df[["investment", "financing_need"]] = df[["investment", "financing_need"]].astype(float)
        df["amount"] = df["amount"].astype(float)
    return df


def load_alerts_about(conn: Connection, *, park_id: int, scope: Scope, institution_id: int) -> pd.DataFrame:
    """Alerts whose subject is the institution: rule_code, severity, state, created_at, closed_at.
    Publicity-safe mode: none."""
    inst = scope.institution_filter(institution_id)
    if inst is False or inst is None or scope.publicity_safe:
        return pd.DataFrame()
    a = RiskAlert
    stmt = (select(a.rule_code, a.severity, a.state, a.created_at, a.closed_at)
            .where(a.park_id == park_id, a.institution_id == inst).order_by(a.created_at.desc()))
    return _frame(conn, stmt)


def load_institutions_in_park(conn: Connection, *, park_id: int, scope: Scope) -> pd.DataFrame:
    """Institutions with lending in the park that the scope may see: id, code, name, short_name, inst_type."""
    conds = [F.park_id == park_id, *_scope_conds(scope, F.institution_id)]
    if scope.publicity_safe:
        conds.append(false())
    stmt = (select(Institution.id, Institution.code, Institution.name, Institution.short_name, Institution.inst_type)
            .where(Institution.id.in_(select(F.institution_id).where(*conds))).order_by(Institution.id))
    return _frame(conn, stmt)


def load_assessment_weights(conn: Connection) -> pd.DataFrame:
    """Assessment weights: code, part, weight, updated_by, updated_at."""
    w = AssessmentWeight
    return _frame(conn, select(w.code, w.part, w.weight, w.updated_by, w.updated_at).order_by(w.part.desc(), w.code))


class WeightError(ValueError):
    """Weights that cannot be saved; the message says why, `code` and `params` let the UI say it in its language."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code, self.params = code, params


def save_assessment_weights(conn: Connection, *, actor: str, weights: dict[str, float]) -> None:
    """Replace the weights in one transaction; they must cover every item, lie in 0-1 and sum to 1."""
    w = AssessmentWeight
    known = set(conn.execute(select(w.code)).scalars())
    if set(weights) != known:
        raise WeightError("items", f"weights must cover exactly {sorted(known)}")
    bad = [c for c, v in weights.items() if not (0 <= v <= 1)]
    if bad:
        raise WeightError("range", f"weights must lie between 0 and 1: {', '.join(sorted(bad))}")
    total = sum(weights.values())
    if abs(total - 1) > 1e-6:
        raise WeightError("sum", f"weights must sum to 1 (100%), they sum to {total:.4f}", total=f"{total:.2f}")
    now = dt.datetime.now()
    for code, value in weights.items():
        conn.execute(update(w).where(w.code == code).values(weight=float(value), updated_by=actor, updated_at=now))
    conn.execute(insert(AuditLog).values(actor=actor, action="assessment_weights", entity="assessment_weight",
                                         detail={k: float(v) for k, v in weights.items()}, at=now))


def load_loan_book(conn: Connection, *, park_id: int, periods: list[dt.date]) -> pd.DataFrame:
    """Month-end balances by borrower for the financed-emissions view, at the given months only (year ends and the
    chosen month: a trend by year, never every month's loans): period, institution_id, inst_type (in force that
    month), enterprise_id, is_green, balance (万元). Every institution's: financed emissions are computed over the
    whole book and then narrowed to what a user may see."""
    if not periods:
        return pd.DataFrame(columns=["period", "institution_id", "inst_type", "enterprise_id", "is_green", "balance"])
    stmt = (select(S.period.label("period"), F.institution_id.label("institution_id"), func.max(S.inst_type).label("inst_type"),
                   F.enterprise_id.label("enterprise_id"), F.is_green.label("is_green"), func.sum(S.balance).label("balance"))
            .join(F, F.id == S.facility_id)
            .where(S.park_id == park_id, S.is_current.is_(True), S.period.in_(sorted(set(periods))), S.balance > 0)
            .group_by(S.period, F.institution_id, F.enterprise_id, F.is_green)
            .order_by(S.period, F.institution_id, F.enterprise_id))
    df = _frame(conn, stmt)
    if not df.empty:
        df["period"] = _as_date(df["period"])
        df["balance"] = df["balance"].astype(float)
        df["is_green"] = df["is_green"].astype(bool)
    return df


def load_green_loan_reductions(conn: Connection, *, park_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Carbon reduction that institutions reported under the policy tools in [start, end] (tCO2): institution_id,
    reduction_t. The green-loan carbon reduction of the environmental disclosure (JR/T 0227-2021)."""
    stmt = (select(PolicyToolUse.institution_id.label("institution_id"),
                   func.coalesce(func.sum(PolicyToolUse.carbon_reduction_t), 0).label("reduction_t"))
            .where(PolicyToolUse.park_id == park_id, PolicyToolUse.is_current.is_(True), PolicyToolUse.period >= start,
                   PolicyToolUse.period <= end)
            .group_by(PolicyToolUse.institution_id))
    df = _frame(conn, stmt)
    if not df.empty:
        df["reduction_t"] = df["reduction_t"].astype(float)
    return df
