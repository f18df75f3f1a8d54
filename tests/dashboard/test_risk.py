"""Each risk rule on hand-made inputs: a case that must trigger and a case near the threshold that must not."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import risk

P = dt.date(2026, 10, 1)
FAC_COLS = ["facility_id", "institution_id", "enterprise_id", "project_id", "is_green", "carbon_linked",
            "carbon_target_intensity", "rate_discount_bp", "start_date", "balance", "status", "overdue_days"]


def fac(fid, inst, ent, balance=1000.0, **kw):
    row = dict(facility_id=fid, institution_id=inst, enterprise_id=ent, project_id=None, is_green=True, carbon_linked=False,
               carbon_target_intensity=None, rate_discount_bp=None, start_date=dt.date(2024, 3, 1), balance=balance,
               status="normal", overdue_days=0)
    row.update(kw)
    return row


def inputs(**kw) -> risk.RiskInputs:
    raw = {"facilities": pd.DataFrame(kw.pop("facilities", []), columns=FAC_COLS),
           "certificates": pd.DataFrame(kw.pop("certificates", []), columns=["enterprise_id", "reference", "times", "first", "last",
                                                                             "double_mwh", "claimed_first_as"]),
           "enterprises": pd.DataFrame(kw.pop("enterprises", []), columns=["enterprise_id", "name", "zero_carbon_label", "reported_green_share"]),
           "milestones": pd.DataFrame(kw.pop("milestones", []), columns=["project_id", "earliest_overdue", "n_overdue"]),
           "meter_coverage": pd.DataFrame(kw.pop("coverage", []), columns=["enterprise_id", "n_meters", "readings", "expected"]),
           "reporting": pd.DataFrame(kw.pop("reporting", []), columns=["institution_id", "period", "n"]),
           "revisions": pd.DataFrame(kw.pop("revisions", []), columns=["institution_id", "facility_id", "revision"]),
           "prev_period": dt.date(2026, 9, 1)}
    empty_credit = pd.DataFrame(columns=["period", "group", "green_balance", "green_npl_balance"])
    return risk.RiskInputs(1, P, 2025, 2030, raw, kw.pop("park_monthly", pd.DataFrame()), kw.pop("targets", pd.DataFrame()),
                           kw.pop("enterprise_monthly", pd.DataFrame()), kw.pop("annual", pd.DataFrame(columns=["enterprise_id", "year", "months", "total_emissions_t"])),
                           kw.pop("outputs", pd.DataFrame(columns=["enterprise_id", "year", "value_added"])),
                           kw.pop("by_institution", empty_credit), kw.pop("by_type", empty_credit))


def annual(ent, emissions_by_year):
    return [dict(enterprise_id=ent, year=y, months=12, total_emissions_t=e) for y, e in emissions_by_year.items()]


def outputs(ent, va_by_year):
    return [dict(enterprise_id=ent, year=y, value_added=v) for y, v in va_by_year.items()]


@pytest.mark.parametrize(("latest", "fires"), [(106.0, True), (104.0, False)])  # threshold: more than 5 % rise
def test_greenwashing_intensity_rose(latest, fires):
    x = inputs(facilities=[fac(1, 1, 7)], annual=pd.DataFrame(annual(7, {2023: 100.0, 2025: latest})),
               outputs=pd.DataFrame(outputs(7, {2023: 100.0, 2025: 100.0})))
    alerts = risk.rule_greenwashing_intensity_rose(x, {"min_rise_pct": 5.0})
    assert bool(alerts) is fires
    if fires:
        assert alerts[0]["evidence"]["rise_pct"] == pytest.approx(6.0) and alerts[0]["institution_id"] == 1


@pytest.mark.parametrize(("intensity", "fires"), [(0.81, True), (0.80, False)])
def test_carbon_linked_discount_kept_while_missing_the_target(intensity, fires):
    x = inputs(facilities=[fac(1, 2, 7, carbon_linked=True, carbon_target_intensity=0.8, rate_discount_bp=20)],
               annual=pd.DataFrame(annual(7, {2025: intensity * 1000})), outputs=pd.DataFrame(outputs(7, {2025: 1000.0})))
    assert bool(risk.rule_greenwashing_linked_discount(x, {"tolerance_pct": 0.0})) is fires


def _monthly(ent, own=0.0, total=100.0, n=12):
    months = [p.to_timestamp().date() for p in pd.period_range("2025-11", periods=n, freq="M")]
    return pd.DataFrame({"enterprise_id": ent, "period": months, "electricity_own_renewable_kwh": own,
                         "electricity_direct_green_kwh": 0.0, "green_power_kwh": own, "total_electricity_kwh": total})


@pytest.mark.parametrize(("reported", "fires"), [(0.41, True), (0.39, False)])  # metered 0.30, margin 10 pp
def test_reported_green_share_above_meters(reported, fires):
    x = inputs(enterprises=[dict(enterprise_id=7, name="甲", zero_carbon_label=False, reported_green_share=reported)],
               enterprise_monthly=_monthly(7, own=30.0))
    assert bool(risk.rule_fake_zero_reported_share(x, {"margin_pp": 10.0})) is fires


def test_certificates_counted_twice():
    x = inputs(certificates=[dict(enterprise_id=7, reference="GEC-1", times=2, first=dt.date(2026, 1, 1), last=dt.date(2026, 2, 1),
                                  double_mwh=120.0, claimed_first_as="GT-1")])
    alerts = risk.rule_fake_zero_certificate_twice(x, {})
    assert len(alerts) == 1 and alerts[0]["dedup_key"].endswith(":GEC-1")
    assert alerts[0]["evidence"]["claimed_first_as"] == "GT-1" and alerts[0]["evidence"]["double_mwh"] == 120.0
    assert risk.rule_fake_zero_certificate_twice(inputs(), {}) == []


@pytest.mark.parametrize(("own", "fires"), [(0.0, True), (1.0, False)])
def test_zero_carbon_label_without_metered_supply(own, fires):
    x = inputs(enterprises=[dict(enterprise_id=7, name="甲", zero_carbon_label=True, reported_green_share=0.95)],
               enterprise_monthly=_monthly(7, own=own))
    assert bool(risk.rule_fake_zero_label_no_supply(x, {"months": 12})) is fires


def _credit(shares):
    return pd.DataFrame([dict(period=P, group=g, green_balance=b, green_npl_balance=0.0) for g, b in shares.items()])


@pytest.mark.parametrize(("top", "fires"), [(31.0, True), (30.0, False)])  # share above 30 %
def test_one_institution_holds_too_much(top, fires):
    rest = (100 - top) / 3  # three others, each well under the line
    x = inputs(by_institution=_credit({1: top, 2: rest, 3: rest, 4: rest}))
    assert bool(risk.rule_concentration_institution(x, {"max_share": 0.30})) is fires


@pytest.mark.parametrize(("big", "fires"), [(4100.0, True), (4000.0, False)])  # of 10,000 万元: above 40 %
def test_one_borrower_holds_too_much_of_a_bank(big, fires):
    rest = (10000 - big) / 2  # two other borrowers, each under the line
    x = inputs(facilities=[fac(1, 1, 7, balance=big), fac(2, 1, 8, balance=rest), fac(3, 1, 9, balance=rest)])
    assert bool(risk.rule_concentration_borrower(x, {"max_share": 0.40, "min_balance": 10000.0})) is fires


@pytest.mark.parametrize(("shares", "fires"), [({1: 50, 2: 30, 3: 20}, True), ({1: 25, 2: 25, 3: 25, 4: 25}, False)])
def test_hhi(shares, fires):  # 0.38 fires; 0.25 does not at 0.30
    assert bool(risk.rule_concentration_hhi(inputs(by_institution=_credit(shares)), {"max_hhi": 0.30})) is fires


def test_overdue_and_npl_green_loans():
    x = inputs(facilities=[fac(1, 1, 7, status="npl"), fac(2, 1, 8, status="overdue"), fac(3, 2, 9)])
    alerts = risk.rule_credit_npl(x, {})
    assert [a["subject_id"] for a in alerts] == [1]
    assert alerts[0]["evidence"] == {"overdue_loans": 1, "npl_loans": 1, "balance_wan": 2000.0}


@pytest.mark.parametrize(("npl_now", "fires"), [(0.6, True), (0.4, False)])  # of 100: rise above 0.5 pp
def test_npl_ratio_rising_by_type(npl_now, fires):
    before = dt.date(2026, 4, 1)
    by_type = pd.DataFrame([dict(period=before, group="local_legal", green_balance=100.0, green_npl_balance=0.0),
                            dict(period=P, group="local_legal", green_balance=100.0, green_npl_balance=npl_now)])
    assert bool(risk.rule_credit_npl_rising(inputs(by_type=by_type), {"rise_pp": 0.5, "months": 6})) is fires


@pytest.mark.parametrize(("overdue_since", "fires"), [(dt.date(2026, 6, 1), True), (dt.date(2026, 7, 10), False)])
def test_loan_to_a_stalled_project(overdue_since, fires):
    x = inputs(facilities=[fac(1, 1, 7, project_id=5)], milestones=[dict(project_id=5, earliest_overdue=overdue_since, n_overdue=1)])
    assert bool(risk.rule_fund_use_stalled(x, {"overdue_days": 90})) is fires


def _park(col, values):
    idx = [p.to_timestamp().date() for p in pd.period_range("2025-12", "2026-10", freq="M")]
    return pd.DataFrame({col: values}, index=pd.Index(idx, name="period"))


@pytest.mark.parametrize(("now", "fires"), [(100.0 * 1.11, True), (100.0 * 1.09, False)])  # path stays at 100
def test_emissions_above_the_path(now, fires):
    monthly = _park("total_emissions_t12", [100.0] * 10 + [now])
    targets = pd.DataFrame([dict(indicator="total_emissions", year=2030, value=100.0, is_assumption=True, source="")])
    assert bool(risk.rule_trajectory_emissions(inputs(park_monthly=monthly, targets=targets), {"max_above_pct": 10.0})) is fires


@pytest.mark.parametrize(("now", "fires"), [(0.29, True), (0.31, False)])  # path at 10 of 60 months: 0.35; behind > 5 pp
def test_green_share_behind_the_path(now, fires):
    monthly = _park("green_power_share_t12", [0.29] + [0.3] * 9 + [now])
    targets = pd.DataFrame([dict(indicator="green_power_share", year=2030, value=0.65, is_assumption=True, source="")])
    assert bool(risk.rule_trajectory_green_share(inputs(park_monthly=monthly, targets=targets), {"max_behind_pp": 5.0})) is fires


def test_late_reporter():
    rep = [dict(institution_id=1, period=dt.date(2026, 9, 1), n=3), dict(institution_id=2, period=dt.date(2026, 9, 1), n=2),
           dict(institution_id=2, period=P, n=2)]
    assert [a["subject_id"] for a in risk.rule_data_late(inputs(reporting=rep), {})] == [1]


@pytest.mark.parametrize(("readings", "fires"), [(940, True), (950, False)])  # of 1000 expected: below 95 %
def test_meter_gaps(readings, fires):
    x = inputs(coverage=[dict(enterprise_id=7, n_meters=2, readings=readings, expected=1000)])
    assert bool(risk.rule_data_meter_gaps(x, {"min_coverage": 0.95})) is fires


def test_figures_changed_after_submission():
    x = inputs(revisions=[dict(institution_id=3, facility_id=9, revision=2)])
    assert [a["subject_id"] for a in risk.rule_data_revised(x, {})] == [3]


def test_every_shipped_rule_has_an_implementation(migrated_db):
    from data_access import risk_store

    with migrated_db.engine.connect() as conn:
        codes = set(risk_store.load_rules(conn)["code"])
    assert codes == set(risk.RULES)


def test_demo_data_triggers_every_rule_misses_the_near_cases_and_reruns_add_nothing(demo_sqlite, tmp_path):
    """The planted cases (data_access.demo.plant_risk_cases, _with_meter_gaps) each trigger their rule; the near
    misses (a lender at 27.8 % against 30 %, a meter at 96.8 % against 95 %) do not."""
    import shutil

    from data_access.db import make_engine

    copy = tmp_path / "demo.db"
    shutil.copy(demo_sqlite.url.removeprefix("sqlite:///"), copy)
    engine = make_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        from data_access import risk_store

        rules = risk_store.load_rules(conn)
        found = {park: risk.evaluate(rules, risk.gather(conn, park_id=park, period=P)) for park in (1, 2)}
        seeded_open = set(conn.execute(text("SELECT dedup_key FROM risk_alert WHERE park_id = 1 AND closed_at IS NULL")).scalars())
        first = risk.run_rules(conn, park_id=1, period=P)
        again = risk.run_rules(conn, park_id=1, period=P)
    fired = {a["rule_code"] for alerts in found.values() for a in alerts}
    assert fired == set(risk.RULES)
    by_rule = lambda park, rule: [a for a in found[park] if a["rule_code"] == rule]  # noqa: E731
    assert by_rule(1, "concentration_institution") == [] and by_rule(1, "concentration_hhi") == []
    [share] = by_rule(2, "concentration_institution")
    assert share["evidence"]["share"] == pytest.approx(0.45, abs=1e-3)
    assert by_rule(2, "concentration_hhi")[0]["evidence"]["hhi"] > 0.20
    gaps = {a["subject_id"]: a["evidence"]["coverage"] for a in by_rule(1, "data_meter_gaps")}
    assert gaps == {12: pytest.approx(25 / 31, abs=1e-4)}  # six of 31 days missing; enterprise 24 (30 of 31) is a near miss
    [rising] = by_rule(1, "credit_npl_rising")
    assert rising["evidence"]["inst_type"] == "joint_stock" and rising["evidence"]["rise_pp"] > 0.5
    assert len(by_rule(2, "data_late")) == 1 and by_rule(1, "data_late") == []
    assert by_rule(1, "data_revised")[0]["evidence"]["facilities"] == 3
    from dashboard import i18n

    assert {k for alerts in found.values() for a in alerts for k in a["evidence"]} <= set(i18n.LABELS["evidence"])
    # The seed runs no rules, but its own open alerts carry the rules' keys: a run finds those instead of adding twins.
    already = [a for a in found[1] if a["dedup_key"] in seeded_open]
    assert first == len(found[1]) - len(already) and again == 0


def test_evidence_is_shown_with_names_and_units():
    from dashboard import risk_views as rv

    evidence = {"share": 0.4512, "max_share": 0.3, "green_balance_wan": 12345.6, "emissions_12m_t": 1_625_000.0,
                "rise_pp": 1.04, "inst_type": "joint_stock", "hhi": 0.2323}
    table = rv.evidence_table(evidence, "zh")
    assert table.values.tolist() == [["占比", "45.1%"], ["阈值", "30.0%"], ["绿色贷款余额", "12,345.6 万元"],
                                     ["近12个月排放", "162.50 万吨CO2"], ["上升", "1.0个百分点"],
                                     ["机构类型", "股份制银行"], ["机构集中度指数（HHI）", "0.232"]]
    en = dict(rv.evidence_table(evidence, "en").values.tolist())  # English units for English readers, never 万 or 亿
    assert "12,345.6 CNY 10k" in en.values() and "1,625.00 kt CO2" in en.values()


def test_evidence_chart_sets_the_finding_against_its_threshold():
    from dashboard import risk_views as rv

    fig = rv.evidence_figure("concentration_institution", {"share": 0.45, "max_share": 0.30}, title="t", subtitle="s",
                             source="src", lang="en")
    assert list(fig.data[0].x) == ["Threshold", "Share"] and list(fig.data[0].y) == pytest.approx([30.0, 45.0])
    assert fig.layout.yaxis.title.text == "%"
    assert rv.evidence_figure("data_late", {"missing": "2026-10-01"}, title="t", subtitle="s", source="src", lang="en") is None
