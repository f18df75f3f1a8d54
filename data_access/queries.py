"""Query functions: a connection in, a DataFrame out. Aggregation happens here, in SQL.

Each function's output columns are its contract (labelled in the SELECT). Money is 万元, electricity kWh,
green-power transactions MWh, heat GJ, gas m3, coal t. Periods are month starts (datetime.date).
No function here reads `meter_reading`: pages see rollups only.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, and_, case, false, func, select

from data_access import taxonomy as tx
from data_access.scope import MIN_GROUP_SIZE, MIN_INSTITUTIONS, Scope
from data_access.models import (
    CreditFacility,
    CreditSnapshot,
    EmissionFactor,
    EnergyDaily,
    EnergyHourlyPark,
    EnergyMonthly,
    Enterprise,
    EnterpriseFinancials,
    EnterpriseOutput,
    GreenPowerTransaction,
    Institution,
    Park,
    PolicyToolUse,
    Target,
)


def _frame(conn: Connection, stmt) -> pd.DataFrame:
    result = conn.execute(stmt)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _as_date(series: pd.Series) -> pd.Series:
    """SQLite returns computed dates as text; normalise to datetime.date."""
    return pd.to_datetime(series).dt.date


def load_parks(conn: Connection) -> pd.DataFrame:
    """All parks: id, code, name_zh, name_en, level, centre_lat, centre_lon, location_approximate,
    boundary_geojson, base_year, target_year, grid_region, is_demo, electricity_method."""
    stmt = select(
        Park.id, Park.code, Park.name_zh, Park.name_en, Park.level, Park.centre_lat, Park.centre_lon,
        Park.location_approximate, Park.boundary_geojson, Park.base_year, Park.target_year, Park.grid_region,
        Park.is_demo, Park.electricity_method,
    ).order_by(Park.id)
    return _frame(conn, stmt)


def load_energy_monthly(conn: Connection, *, park_id: int, scope: Scope, start: dt.date | None = None,
                        end: dt.date | None = None) -> pd.DataFrame:
    """Park energy per month from the monthly rollup, one row per month.

    Columns: period, electricity_grid_kwh, electricity_own_renewable_kwh, electricity_direct_green_kwh,
    heat_purchased_gj, natural_gas_m3, coal_t, n_enterprises, metered (True when any row came from meters),
    green_trade_mwh, certificate_mwh, own_sold_mwh (each MWh counted once across every kind of claim, by GEC
    serial number where known, else once per reference, in its first month; `count_green_claims`).
    In publicity-safe mode months resting on fewer than MIN_GROUP_SIZE enterprises are left out.
    """
    conds = [EnergyMonthly.park_id == park_id]
    if start:
        conds.append(EnergyMonthly.period >= start)
    if end:
        conds.append(EnergyMonthly.period <= end)
    cols = [
        func.sum(case((EnergyMonthly.carrier == c, EnergyMonthly.value), else_=0.0)).label(f"{c}_{_unit_suffix(c)}")
        for c in tx.CARRIERS
    ]
    stmt = (
        select(
            EnergyMonthly.period.label("period"),
            *cols,
            func.count(func.distinct(EnergyMonthly.enterprise_id)).label("n_enterprises"),
            func.max(case((EnergyMonthly.source == "meter", 1), else_=0)).label("metered"),
        )
        .where(*conds)
        .group_by(EnergyMonthly.period)
        .order_by(EnergyMonthly.period)
    )
    energy = _frame(conn, stmt)
    green = load_green_transactions_monthly(conn, park_id=park_id, start=start, end=end)
    empty = {c: pd.Series(dtype=float) for c in GREEN_COLUMNS}
    if energy.empty:
        return energy.assign(**empty)
    if scope.publicity_safe:  # park aggregates are visible to every role; small groups are not published
        energy = energy[energy["n_enterprises"] >= MIN_GROUP_SIZE].reset_index(drop=True)
        if energy.empty:
            return energy.assign(**empty)
    energy["period"] = _as_date(energy["period"])
    energy["metered"] = energy["metered"].astype(bool)
    out = energy.merge(green, on="period", how="left")
    out[GREEN_COLUMNS] = out[GREEN_COLUMNS].fillna(0.0)
    return out


GREEN_COLUMNS = ["green_trade_mwh", "certificate_mwh", "own_sold_mwh"]


def _unit_suffix(carrier: str) -> str:
    return {"kWh": "kwh", "GJ": "gj", "m3": "m3", "t": "t"}[tx.CARRIER_UNITS[carrier]]


def count_green_claims(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count each MWh of claimed green power once, across every kind of claim.

    rows : id, enterprise_id, period, kind, mwh, reference, serial_start, serial_end (serials may be empty).
    A claim with GEC serial numbers counts only the serials no earlier claim covered (earlier = earlier period,
    then earlier row), whatever kind that was: a trade's bundled certificates reported again as certificates,
    or one batch reported twice, count once. A claim without serials counts once per kind and reference.
    Returns (rows with counted_mwh, double claims: enterprise_id, kind, reference, period, mwh_claimed_before,
    first_kind, first_reference, first_period).
    """
    import bisect

    out = rows.sort_values(["period", "id"]).reset_index(drop=True)
    counted, doubles = [], []
    starts: list[int] = []  # non-overlapping claimed pieces, sorted by start: starts[i] -> (end, row index)
    pieces: list[tuple[int, int, int]] = []
    seen_refs: dict[tuple[str, str], int] = {}
    for i, r in enumerate(out.itertuples(index=False)):
        mwh = float(r.mwh)
        if pd.isna(r.serial_start) or pd.isna(r.serial_end):
            first = seen_refs.setdefault((r.kind, r.reference), i)
            counted.append(mwh if first == i else 0.0)
            if first != i:
                doubles.append((r, mwh, out.iloc[first]))
            continue
        lo, hi = int(r.serial_start), int(r.serial_end)
        k = max(bisect.bisect_right(starts, lo) - 1, 0)
        covered, cursor, new = 0, lo, []
        while k < len(pieces) and pieces[k][0] <= hi:
            p_lo, p_hi, owner = pieces[k]
            if p_hi >= cursor:
                if p_lo > cursor:
                    new.append((cursor, p_lo - 1))
                overlap = min(p_hi, hi) - max(p_lo, cursor) + 1
                if overlap > 0:
                    covered += overlap
                    doubles.append((r, float(overlap), out.iloc[owner]))
                cursor = max(cursor, p_hi + 1)
            k += 1
        if cursor <= hi:
            new.append((cursor, hi))
        for a, b in new:
            at = bisect.bisect_left(starts, a)
            starts.insert(at, a)
            pieces.insert(at, (a, b, i))
        counted.append(max(min(mwh, float(hi - lo + 1) - covered), 0.0))
    out["counted_mwh"] = counted
    dbl = pd.DataFrame([{"enterprise_id": r.enterprise_id, "kind": r.kind, "reference": r.reference, "period": r.period,
                         "mwh_claimed_before": m, "first_kind": f["kind"], "first_reference": f["reference"],
                         "first_period": f["period"]} for r, m, f in doubles],
                       columns=["enterprise_id", "kind", "reference", "period", "mwh_claimed_before", "first_kind",
                                "first_reference", "first_period"])
    return out, dbl


def load_green_claims(conn: Connection, *, park_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The park's green-power claims with each MWh counted once (`count_green_claims`), over every enterprise of
    the park (scope them afterwards): per enterprise and month, green_trade_mwh, certificate_mwh and
    own_sold_mwh; and the double claims found."""
    g = GreenPowerTransaction
    rows = _frame(conn, select(g.id, g.enterprise_id, g.period, g.kind, g.mwh, g.reference, g.serial_start, g.serial_end)
                  .where(g.park_id == park_id))
    cols = ["enterprise_id", "period", "green_trade_mwh", "certificate_mwh", "own_sold_mwh"]
    if rows.empty:
        return pd.DataFrame(columns=cols), count_green_claims(rows.assign(mwh=[]))[1]
    rows["period"] = _as_date(rows["period"])
    rows["mwh"] = rows["mwh"].astype(float)
    counted, doubles = count_green_claims(rows)
    wide = (counted.pivot_table(index=["enterprise_id", "period"], columns="kind", values="counted_mwh", aggfunc="sum")
            .reindex(columns=list(tx.GREEN_TRANSACTION_KINDS)).fillna(0.0)
            .rename(columns={"trade": "green_trade_mwh", "certificate": "certificate_mwh", "own_sold": "own_sold_mwh"})
            .reset_index())
    return wide[cols], doubles


def load_green_transactions_monthly(conn: Connection, *, park_id: int, start: dt.date | None = None,
                                    end: dt.date | None = None) -> pd.DataFrame:
    """Green-power trades, retired certificates and certificates sold from own generation per month, MWh:
    period, green_trade_mwh, certificate_mwh, own_sold_mwh; each MWh counted once (`count_green_claims`)."""
    claims, _ = load_green_claims(conn, park_id=park_id)
    df = claims.groupby("period")[["green_trade_mwh", "certificate_mwh", "own_sold_mwh"]].sum().reset_index()
    if start:
        df = df[df["period"] >= start]
    if end:
        df = df[df["period"] <= end]
    return df.reset_index(drop=True)


def load_emission_factors(conn: Connection) -> pd.DataFrame:
    """The factor table: factor, region, year (None = any), value, unit, status, source, note."""
    stmt = select(
        EmissionFactor.factor, EmissionFactor.region, EmissionFactor.year, EmissionFactor.value,
        EmissionFactor.unit, EmissionFactor.status, EmissionFactor.source, EmissionFactor.note,
    ).order_by(EmissionFactor.factor, EmissionFactor.region, EmissionFactor.year)
    return _frame(conn, stmt)


def load_policy_tool_monthly(conn: Connection, *, park_id: int, scope: Scope, start: dt.date | None = None,
                             end: dt.date | None = None) -> pd.DataFrame:
    """Policy-tool use per month and tool (current revisions), 万元 and tCO2e.

    Columns: period, tool, eligible_amount, loan_amount, funding_amount, carbon_reduction_t, fiscal_cost,
    n_institutions. A reporter's scope sees its own institution only; in publicity-safe mode rows
    resting on fewer than MIN_INSTITUTIONS institutions are left out (listed in `df.attrs["suppressed"]`).
    Tools are not published in total anywhere but as the sum of these rows, so no complement is needed.
    """
    p = PolicyToolUse
    conds = [p.park_id == park_id, p.is_current.is_(True)]
    if scope.own_institution is not None:
        conds.append(p.institution_id == scope.own_institution)
    if start:
        conds.append(p.period >= start)
    if end:
        conds.append(p.period <= end)
    stmt = (
        select(
            p.period.label("period"),
            p.tool.label("tool"),
            func.sum(p.eligible_amount).label("eligible_amount"),
            func.sum(p.loan_amount).label("loan_amount"),
            func.sum(p.funding_amount).label("funding_amount"),
            func.coalesce(func.sum(p.carbon_reduction_t), 0).label("carbon_reduction_t"),
            func.sum(p.fiscal_cost).label("fiscal_cost"),
            func.count(func.distinct(p.institution_id)).label("n_institutions"),
        )
        .where(*conds)
        .group_by(p.period, p.tool)
        .order_by(p.period, p.tool)
    )
    df = _frame(conn, stmt)
    suppressed = []
    if scope.publicity_safe and not df.empty:
        small = df["n_institutions"] < MIN_INSTITUTIONS
        suppressed = list(zip(_as_date(df.loc[small, "period"]), df.loc[small, "tool"]))
        df = df[~small].reset_index(drop=True)
    if scope.publicity_safe:
        df.attrs["suppressed"] = suppressed  # (period, tool) left out
    if df.empty:
        return df
    df["period"] = _as_date(df["period"])
    num = ["eligible_amount", "loan_amount", "funding_amount", "carbon_reduction_t", "fiscal_cost"]
    df[num] = df[num].astype(float)
    return df


def load_targets(conn: Connection, *, park_id: int) -> pd.DataFrame:
    """Targets of a park: indicator, year, value, is_assumption, source."""
    stmt = (
        select(Target.indicator, Target.year, Target.value, Target.is_assumption, Target.source)
        .where(Target.park_id == park_id)
        .order_by(Target.indicator, Target.year)
    )
    return _frame(conn, stmt)


def load_data_end(conn: Connection, *, park_id: int) -> dict[str, dt.date | None]:
    """The last date each kind of data reaches for a park: 'energy' (last metered day, else the last day
    of the last reported month), 'credit' (last day of the last snapshot month)."""
    last_day = conn.execute(select(func.max(EnergyDaily.day)).where(EnergyDaily.park_id == park_id)).scalar()
    last_month = conn.execute(select(func.max(EnergyMonthly.period)).where(EnergyMonthly.park_id == park_id)).scalar()
    credit_month = conn.execute(
        select(func.max(CreditSnapshot.period)).where(CreditSnapshot.park_id == park_id)
    ).scalar()
    energy = _to_date(last_day) or _month_end(_to_date(last_month))
    return {"energy": energy, "credit": _month_end(_to_date(credit_month))}


def complete_month(ends: dict[str, dt.date | None]) -> dt.date:
    """The latest month all data has reached (of `load_data_end`): the month every page opens on."""
    known = [d for d in ends.values() if d]
    return (min(known) if known else dt.date.today()).replace(day=1)


def _to_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _month_end(d: dt.date | None) -> dt.date | None:
    if d is None:
        return None
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def load_institutions(conn: Connection) -> pd.DataFrame:
    """All institutions: id, code, name, short_name, inst_type, is_public."""
    stmt = select(Institution.id, Institution.code, Institution.name, Institution.short_name, Institution.inst_type,
                  Institution.is_public).order_by(Institution.id)
    return _frame(conn, stmt)


# --- enterprise level (energy and carbon accounts) ---------------------------------------------------


def _enterprise_conds(scope: Scope, enterprise_col):
    """Which enterprises a scope may see one by one: a reporter its own borrowers, publicity mode none."""
    if scope.publicity_safe:
        return [false()]
    if scope.own_institution is not None:
        borrowers = select(CreditFacility.enterprise_id).where(CreditFacility.institution_id == scope.own_institution)
        return [enterprise_col.in_(borrowers)]
    return []


def load_enterprises(conn: Connection, *, park_id: int, scope: Scope) -> pd.DataFrame:
    """Enterprises of a park the scope may see: id, uscc, name, sector, enterprise_class, lat, lon,
    zero_carbon_label, reported_green_share, is_public, on_negative_list."""
    e = Enterprise
    stmt = (select(e.id, e.uscc, e.name, e.sector, e.enterprise_class, e.lat, e.lon, e.zero_carbon_label,
                   e.reported_green_share, e.is_public, e.on_negative_list)
            .where(e.park_id == park_id, *_enterprise_conds(scope, e.id)).order_by(e.id))
    return _frame(conn, stmt)


def load_enterprise_energy_monthly(conn: Connection, *, park_id: int, scope: Scope, enterprise_id: int | None = None,
                                   start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Energy per enterprise and month from the monthly rollup (the same columns as `load_energy_monthly`,
    plus enterprise_id); green-power claims counted once over the whole park (`load_green_claims`)."""
    em = EnergyMonthly
    conds = [em.park_id == park_id, *_enterprise_conds(scope, em.enterprise_id)]
    if enterprise_id is not None:
        conds.append(em.enterprise_id == enterprise_id)
    if start:
        conds.append(em.period >= start)
    if end:
        conds.append(em.period <= end)
    cols = [func.sum(case((em.carrier == c, em.value), else_=0.0)).label(f"{c}_{_unit_suffix(c)}") for c in tx.CARRIERS]
    stmt = (select(em.enterprise_id.label("enterprise_id"), em.period.label("period"), *cols)
            .where(*conds).group_by(em.enterprise_id, em.period).order_by(em.enterprise_id, em.period))
    energy = _frame(conn, stmt)
    claims, _ = load_green_claims(conn, park_id=park_id)  # counted over the whole park, then narrowed
    if energy.empty:
        return energy
    energy["period"] = _as_date(energy["period"])
    energy = energy.merge(claims, on=["enterprise_id", "period"], how="left")
    energy[GREEN_COLUMNS] = energy[GREEN_COLUMNS].fillna(0.0)
    return energy


def load_enterprise_outputs(conn: Connection, *, park_id: int, scope: Scope, enterprise_id: int | None = None) -> pd.DataFrame:
    """Yearly output and value added, 万元: enterprise_id, year, output_value, value_added."""
    o = EnterpriseOutput
    conds = [Enterprise.park_id == park_id, *_enterprise_conds(scope, o.enterprise_id)]
    if enterprise_id is not None:
        conds.append(o.enterprise_id == enterprise_id)
    stmt = (select(o.enterprise_id, o.year, o.output_value, o.value_added).join(Enterprise, Enterprise.id == o.enterprise_id)
            .where(*conds).order_by(o.enterprise_id, o.year))
    df = _frame(conn, stmt)
    if not df.empty:
        df[["output_value", "value_added"]] = df[["output_value", "value_added"]].astype(float)
    return df


def load_enterprise_loans(conn: Connection, *, enterprise_id: int, scope: Scope) -> pd.DataFrame:
    """An enterprise's loans with their latest current snapshot, 万元: facility_id, contract_no, institution,
    inst_type, product_line, is_green, start_date, maturity_date, amount, rate, policy_tool, carbon_product,
    carbon_linked, carbon_target_intensity, rate_discount_bp, last_period, balance, status.
    A reporter sees only its own institution's loans."""
    f, s = CreditFacility, CreditSnapshot
    conds = [f.enterprise_id == enterprise_id, *_enterprise_conds(scope, f.enterprise_id)]
    if scope.own_institution is not None:
        conds.append(f.institution_id == scope.own_institution)
    last = (select(s.facility_id, func.max(s.period).label("last_period"))  # of this enterprise's loans only: at L a
            .join(f, f.id == s.facility_id)                                 # park-wide max scanned 900,000 snapshots
            .where(s.is_current.is_(True), f.enterprise_id == enterprise_id)
            .group_by(s.facility_id).subquery())
    stmt = (
        select(f.id.label("facility_id"), f.contract_no, Institution.short_name.label("institution"), Institution.inst_type,
               f.product_line, f.is_green, f.start_date, f.maturity_date, f.amount, f.rate, f.policy_tool, f.carbon_product,
               f.carbon_linked, f.carbon_target_intensity, f.rate_discount_bp, last.c.last_period, s.balance, s.status)
        .join(Institution, Institution.id == f.institution_id)
        .join(last, last.c.facility_id == f.id, isouter=True)
        .join(s, and_(s.facility_id == f.id, s.period == last.c.last_period, s.is_current.is_(True)), isouter=True)
        .where(*conds).order_by(f.start_date)
    )
    df = _frame(conn, stmt)
    if not df.empty:
        df[["amount", "rate", "balance"]] = df[["amount", "rate", "balance"]].astype(float)
        for col in ("start_date", "maturity_date", "last_period"):
            df[col] = _as_date(df[col])
    return df


def load_park_hourly(conn: Connection, *, park_id: int, day: dt.date) -> pd.DataFrame:
    """One day of park energy per hour from the hourly rollup: ts and one column per carrier (stored units)."""
    h = EnergyHourlyPark
    start = dt.datetime.combine(day, dt.time())
    cols = [func.sum(case((h.carrier == c, h.value), else_=0.0)).label(f"{c}_{_unit_suffix(c)}") for c in tx.CARRIERS]
    stmt = (select(h.ts.label("ts"), *cols).where(h.park_id == park_id, h.ts >= start, h.ts < start + dt.timedelta(days=1))
            .group_by(h.ts).order_by(h.ts))
    df = _frame(conn, stmt)
    if not df.empty:
        df["ts"] = pd.to_datetime(df["ts"])
    return df


def load_last_hourly_day(conn: Connection, *, park_id: int) -> dt.date | None:
    """The latest day with hourly data for the park (the live panel shows it)."""
    return _to_date(conn.execute(select(func.max(EnergyHourlyPark.ts)).where(EnergyHourlyPark.park_id == park_id)).scalar())


def set_park_electricity_method(conn: Connection, *, park_code: str, method: str, actor: str) -> str:
    """Change a park's electricity conversion method (a park setting; see migration 0007). Returns the old one.

    Written with an audit-log row, inside the caller's transaction (`db.writing`, which bumps the data version). Raises ValueError
    for an unknown park or method.
    """
    from data_access.models import AuditLog

    if method not in tx.ELECTRICITY_METHODS:
        raise ValueError(f"method must be one of {', '.join(tx.ELECTRICITY_METHODS)}, got {method!r}")
    old = conn.execute(select(Park.electricity_method).where(Park.code == park_code)).scalar()
    if old is None:
        raise ValueError(f"no park with code {park_code!r}")
    conn.execute(Park.__table__.update().where(Park.code == park_code).values(electricity_method=method))
    conn.execute(AuditLog.__table__.insert().values(actor=actor, action="park_setting", entity="park", entity_id=park_code,
                                                    detail={"electricity_method": {"old": old, "new": method}},
                                                    at=dt.datetime.now()))
    return old


def load_enterprise_financials(conn: Connection, *, park_id: int) -> pd.DataFrame:
    """Borrowers' yearly accounts, 万元: enterprise_id, year, total_equity, total_debt, revenue, ebit,
    interest_expense. Every enterprise of the park (financed emissions and the stress test are computed on all)."""
    f = EnterpriseFinancials
    stmt = (select(f.enterprise_id, f.year, f.total_equity, f.total_debt, f.revenue, f.ebit, f.interest_expense)
            .join(Enterprise, Enterprise.id == f.enterprise_id).where(Enterprise.park_id == park_id)
            .order_by(f.enterprise_id, f.year))
    df = _frame(conn, stmt)
    money = ["total_equity", "total_debt", "revenue", "ebit", "interest_expense"]
    if df.empty:
        return pd.DataFrame(columns=["enterprise_id", "year", *money])
    df[money] = df[money].astype(float)
    return df
