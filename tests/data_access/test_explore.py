"""自助分析 (issue 21 §1) in the database: the example question against SQL written by hand, the fixed pages' figure
again, every role's scope, the whitelist and the row limit, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import bindparam, text

from dashboard import explore as ex
from data_access import credit_queries, explore_store
from data_access.explore_store import QuestionError
from data_access.scope import MIN_GROUP_SIZE, MIN_INSTITUTIONS, Scope
from data_access.taxonomy import BANK_TYPES
from tests.conftest import LAST_MONTH

ANALYST = Scope("pboc_analyst")
START = dt.date(2023, 1, 1)


def ask(conn, scope=ANALYST, **question):
    question = {"subject": "credit", "dims": [], "filters": {}, "start": START, "end": LAST_MONTH, "park_ids": [1]} | question
    return explore_store.run(conn, scope=scope, **question)


def _medium_long(conn) -> list[int]:
    """Facilities running more than one year, decided here from their dates, not by the query's own CASE."""
    out = []
    for fid, start, maturity in conn.execute(text("SELECT id, start_date, maturity_date FROM credit_facility")):
        start, maturity = (pd.Timestamp(d).date() for d in (start, maturity))
        try:
            year_on = start.replace(year=start.year + 1)
        except ValueError:  # 29 February
            year_on = start.replace(year=start.year + 1, day=28)
        if maturity > year_on:
            out.append(fid)
    return out


def test_green_loans_to_data_centres_by_type_quarterly_medium_and_long_term_match_sql_by_hand(demo_db):
    """The issue's first example: "green loans to 数据中心 by institution type, quarterly since 2023, only medium
    and long term"."""
    with demo_db.engine.connect() as conn:
        rows = ask(conn, dims=["inst_type"], filters={"enterprise_class": ["data_center"], "term": ["medium_long"]})
        result = ex.compute(rows, measures=["green_loan_balance"], dims=["inst_type"], grain="quarter")
        long_ids = _medium_long(conn)
        months = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT period FROM credit_snapshot WHERE park_id = 1 AND period BETWEEN :a AND :b"),
            {"a": START, "b": LAST_MONTH})]
        months = sorted(pd.Timestamp(m).date() for m in months)
        ends = pd.Series(months).groupby(pd.PeriodIndex(months, freq="Q")).max()  # each quarter's last month with data
        banks = ", ".join(f"'{b}'" for b in BANK_TYPES)
        ids = ", ".join(map(str, long_ids))
        hand = conn.execute(text(
            f"SELECT s.period, s.inst_type, SUM(s.balance) FROM credit_snapshot s "
            f"JOIN credit_facility f ON f.id = s.facility_id JOIN enterprise e ON e.id = f.enterprise_id "
            f"WHERE s.park_id = 1 AND s.is_current = :yes AND f.is_green = :yes AND s.inst_type IN ({banks}) "
            f"AND e.enterprise_class = 'data_center' AND f.id IN ({ids}) AND s.period IN :ends "
            f"GROUP BY s.period, s.inst_type").bindparams(bindparam("ends", expanding=True)),
            {"yes": True, "ends": [e for e in ends]}).all()
    expected = {(str(pd.Period(pd.Timestamp(p), "Q")), t): float(v) / 1e4 for p, t, v in hand if float(v) > 0}
    got = {(r.period, r.inst_type): r.green_loan_balance for r in result.itertuples() if r.green_loan_balance > 0}
    assert len(expected) >= 20  # quarters x types: a real answer, not an empty one
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(expected[k], rel=1e-9) for k in expected)
    assert result["period"].min() == "2023Q1" and result["period"].max() == f"{LAST_MONTH.year}Q4"


def test_the_park_total_is_the_green_finance_pages_figure(demo_db):
    with demo_db.engine.connect() as conn:
        rows = ask(conn, start=LAST_MONTH)
        page = credit_queries.load_credit_monthly(conn, park_id=1, scope=ANALYST, start=LAST_MONTH, end=LAST_MONTH)
    result = ex.compute(rows, measures=["green_loan_balance", "green_share_of_lending"], dims=[], grain="month")
    assert result["green_loan_balance"].iloc[0] == pytest.approx(page["green_balance"].iloc[0] / 1e4)
    assert result["green_share_of_lending"].iloc[0] == pytest.approx(
        page["green_balance"].iloc[0] / page["total_balance"].iloc[0] * 100)


def test_policy_tool_use_rate_is_the_ratio_of_the_years_sums(demo_db):
    with demo_db.engine.connect() as conn:
        rows = ask(conn, subject="policy_tools", dims=["policy_tool"], start=dt.date(2025, 1, 1))
        hand = conn.execute(text(
            "SELECT tool, SUM(loan_amount), SUM(eligible_amount) FROM policy_tool_use WHERE park_id = 1 AND is_current = :yes "
            "AND period BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY tool"), {"yes": True}).all()
    result = ex.compute(rows, measures=["policy_tool_loans", "policy_tool_use_rate"], dims=["policy_tool"], grain="year")
    year = result[result["period"] == "2025"].set_index("policy_tool")
    assert len(hand) >= 2
    for tool, loans, eligible in hand:
        assert year.loc[tool, "policy_tool_loans"] == pytest.approx(float(loans) / 1e4)
        assert year.loc[tool, "policy_tool_use_rate"] == pytest.approx(float(loans) / float(eligible) * 100)


def test_a_reporter_explores_its_own_institution_only(demo_db):
    with demo_db.engine.connect() as conn:
        own = conn.execute(text("SELECT id FROM institution WHERE inst_type = 'state_owned' ORDER BY id")).scalars().first()
        other = conn.execute(text("SELECT id FROM institution WHERE id <> :i AND inst_type = 'state_owned' ORDER BY id"),
                             {"i": own}).scalars().first()
        reporter = Scope("institution_reporter", own)
        mine = ask(conn, reporter, dims=["institution"], start=LAST_MONTH)
        assert set(mine["institution"]) == {own}
        assert ask(conn, reporter, dims=["institution"], filters={"institution": [other]}, start=LAST_MONTH).empty
        tools = ask(conn, reporter, subject="policy_tools", dims=["institution"], start=dt.date(2025, 1, 1))
        assert set(tools["institution"]) <= {own}
        everyone = ask(conn, dims=["institution"], start=LAST_MONTH)
    assert len(set(everyone["institution"])) > 5


def test_publicity_sees_only_aggregates_that_pass_the_thresholds(demo_db):
    publicity = Scope("publicity")
    with demo_db.engine.connect() as conn:
        for dims, filters in ((["institution"], {}), (["enterprise"], {}), ([], {"institution": [1]}), (["sector", "term"], {})):
            with pytest.raises(QuestionError) as refused:
                ask(conn, publicity, dims=dims, filters=filters)
            assert refused.value.code == "publicity_dimension"
        with pytest.raises(QuestionError) as no_tools:
            ask(conn, publicity, subject="policy_tools")
        assert no_tools.value.code == "publicity_subject"
        short = {"term": ["short"]}
        rows = ask(conn, publicity, dims=["sector"], filters=short, start=LAST_MONTH)
        full = ask(conn, dims=["sector"], filters=short, start=LAST_MONTH)
    with demo_db.engine.connect() as conn:  # the counts the rule rests on, by hand: banks and borrowers with a balance
        banks = ", ".join(f"'{b}'" for b in BANK_TYPES)
        counts = {r[0]: (r[1], r[2]) for r in conn.execute(text(
            f"SELECT e.sector, COUNT(DISTINCT f.institution_id), COUNT(DISTINCT f.enterprise_id) FROM credit_snapshot s "
            f"JOIN credit_facility f ON f.id = s.facility_id JOIN enterprise e ON e.id = f.enterprise_id "
            f"WHERE s.park_id = 1 AND s.is_current = :yes AND s.period = :p AND s.inst_type IN ({banks}) AND s.balance > 0 "
            f"AND f.id NOT IN ({', '.join(map(str, _medium_long(conn)))}) GROUP BY e.sector"), {"yes": True, "p": LAST_MONTH})}
    assert all(counts[s][0] >= MIN_INSTITUTIONS and counts[s][1] >= MIN_GROUP_SIZE for s in rows["sector"])
    small = {s for s, (n_inst, n_firms) in counts.items() if n_inst < MIN_INSTITUTIONS or n_firms < MIN_GROUP_SIZE}
    assert small and small <= {g[0] for _, g in rows.attrs["suppressed"]}  # every small cell left out, perhaps more
    published = rows.set_index("sector")["green_balance"]
    assert published.to_dict() == pytest.approx(full.set_index("sector")["green_balance"][published.index].to_dict())
    cells = ex.suppressed_cells(rows.attrs["suppressed"], rows, dims=["sector"], grain="month")
    assert len(cells) == len(rows.attrs["suppressed"])


def test_only_whitelisted_questions_run_and_the_row_limit_is_said(demo_db):
    with demo_db.engine.connect() as conn:
        for question, code in (({"subject": "app_user"}, "subject"), ({"dims": ["password_hash"]}, "dimension"),
                               ({"filters": {"1=1; DROP TABLE park": ["x"]}}, "dimension"),
                               ({"dims": ["sector", "term", "inst_type"]}, "dims")):
            with pytest.raises(QuestionError) as refused:
                ask(conn, **question)
            assert refused.value.code == code
        with pytest.raises(QuestionError) as big:
            explore_store.run(conn, subject="credit", dims=["enterprise"], filters={}, start=START, end=LAST_MONTH,
                              scope=ANALYST, park_ids=[1], limit=100)
        assert big.value.code == "too_many_rows"


def test_borrowers_of_one_bank_whose_emissions_rose_while_their_green_loans_grew(demo_db):
    """The issue's second example: "which borrowers of 城商行乙 raised emissions while their green loans grew"
    (the demo's 省法人行乙, a provincial bank), 2024 against 2025: loans by SQL written by hand, emissions from the
    carbon engine (tested on its own against hand calculations)."""
    from dashboard.energy import compute_enterprise_emissions
    from data_access import queries

    with demo_db.engine.connect() as conn:
        bank = conn.execute(text("SELECT id FROM institution WHERE short_name = '省法人行乙'")).scalar_one()
        start, end = dt.date(2024, 1, 1), dt.date(2025, 12, 1)
        credit = ask(conn, dims=["enterprise"], filters={"institution": [bank]}, start=start, end=end)
        energy = queries.load_enterprise_energy_monthly(conn, park_id=1, scope=ANALYST)
        monthly = compute_enterprise_emissions(energy, queries.load_emission_factors(conn))
        firms = queries.load_enterprises(conn, park_id=1, scope=ANALYST).assign(park_id=1)
        hand = conn.execute(text(
            "SELECT f.enterprise_id, s.period, SUM(s.balance) FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.institution_id = :bank AND s.park_id = 1 AND s.is_current = :yes AND f.is_green = :yes "
            "AND s.period IN ('2024-12-01', '2025-12-01') GROUP BY f.enterprise_id, s.period"), {"bank": bank, "yes": True}).all()
        borrowers = set(conn.execute(text(
            "SELECT DISTINCT f.enterprise_id FROM credit_snapshot s JOIN credit_facility f ON f.id = s.facility_id "
            "WHERE f.institution_id = :bank AND s.park_id = 1 AND s.is_current = :yes AND s.balance > 0 "
            "AND s.period BETWEEN '2024-01-01' AND '2025-12-01'"), {"bank": bank, "yes": True}).scalars())
    rows = ex.enterprise_rows(monthly, firms, credit, start=start, end=end, filters={"institution": [bank]}, dims=["enterprise"])
    result = ex.compute(rows, measures=["green_loan_balance", "total_emissions"], dims=["enterprise"], grain="year")
    changed = ex.change(result, measures=["green_loan_balance", "total_emissions"], dims=["enterprise"])
    answer = set(ex.both_rose(changed, ["green_loan_balance", "total_emissions"])["enterprise"])

    loans = {}
    for ent, period, balance in hand:
        loans.setdefault(ent, {})[pd.Timestamp(period).year] = float(balance)
    year = monthly.assign(year=pd.to_datetime(monthly["period"]).dt.year).groupby(["enterprise_id", "year"])["total_emissions_t"].sum()
    expected = {e for e in borrowers
                if loans.get(e, {}).get(2025, 0) > loans.get(e, {}).get(2024, 0)
                and year.get((e, 2025), 0) > year.get((e, 2024), 0)}
    assert set(changed["enterprise"]) == borrowers  # every borrower of the bank in the range, and only those
    assert answer == expected and 0 < len(answer) < len(borrowers)


@pytest.mark.parametrize("role", ["leader", "pboc_analyst", "park_committee", "institution_reporter", "publicity", "admin"])
def test_every_role_explores_within_its_own_scope(demo_db, role):
    """The same question for each role: the full-access roles see every institution, a reporter its own, publicity
    no single institution at all (the question is refused) and only cells that pass the thresholds."""
    with demo_db.engine.connect() as conn:
        own = conn.execute(text("SELECT id FROM institution WHERE inst_type = 'state_owned' ORDER BY id")).scalars().first()
        scope = Scope(role, own if role == "institution_reporter" else None)
        everyone = set(ask(conn, dims=["institution"], start=LAST_MONTH)["institution"])
        if role == "publicity":
            with pytest.raises(QuestionError):
                ask(conn, scope, dims=["institution"], start=LAST_MONTH)
            rows = ask(conn, scope, dims=["inst_type"], start=LAST_MONTH)
            assert (rows["n_institutions"] >= MIN_INSTITUTIONS).all() and (rows["n_borrowers"] >= MIN_GROUP_SIZE).all()
            return
        seen = set(ask(conn, scope, dims=["institution"], start=LAST_MONTH)["institution"])
    assert seen == ({own} if role == "institution_reporter" else everyone)
