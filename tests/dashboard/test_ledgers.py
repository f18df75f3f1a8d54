"""The work ledgers' figures (issue 23): the briefing's sentences against SQL written by hand, on SQLite and
PostgreSQL; who sees which rows; late reports, the overdue day and the monthly trend's gaps."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pandas as pd
from sqlalchemy import text

from dashboard import briefing, i18n, ledgers, publication
from data_access import ledger_store
from data_access.scope import FULL_ACCESS, Scope
from data_access.taxonomy import BANK_TYPES

PERIOD = dt.date(2026, 10, 1)
AS_OF = dt.date(2026, 10, 31)
YEAR = {"a": "2026-01-01", "b": "2026-10-31"}


def q(conn, what: str, where: str) -> float:
    """A sum over this year's entries to October, written by hand."""
    return float(conn.execute(text(f"SELECT {what} FROM ledger_entry WHERE park_id = 1 AND entry_date BETWEEN :a AND :b AND {where}"),
                              YEAR).scalar_one() or 0)


def test_each_sentence_is_the_database_in_words(demo_db):
    with demo_db.engine.connect() as conn:
        sums = ledger_store.monthly_sums(conn, park_id=1, scope=FULL_ACCESS, until=AS_OF)
        overdue = ledger_store.overdue_counts(conn, park_id=1, scope=FULL_ACCESS, today=AS_OF)
        services = q(conn, "COUNT(*)", "ledger = 'adviser'")
        financed = q(conn, "SUM(amount)", "ledger = 'adviser' AND status = 'financed'")
        late_follow = conn.execute(text("SELECT COUNT(*) FROM ledger_entry WHERE park_id = 1 AND ledger = 'adviser' "
                                        "AND status = 'following' AND due_date < '2026-10-31'")).scalar_one()
        usd, n_fx = q(conn, "SUM(amount_usd)", "ledger = 'fx'"), q(conn, "SUM(quantity)", "ledger = 'fx'")
        cross = q(conn, "SUM(amount_usd)", "ledger = 'fx' AND category = 'cross_border_financing'")
        items, banks = conn.execute(text("SELECT COUNT(*), COUNT(DISTINCT institution_id) FROM ledger_entry WHERE park_id = 1 "
                                         "AND ledger = 'exemption' AND category <> 'case' AND status = 'in_force' "
                                         "AND entry_date <= '2026-10-31'")).one()
        cases = q(conn, "COUNT(*)", "ledger = 'exemption' AND category = 'case'")
        granted = q(conn, "COUNT(*)", "ledger = 'exemption' AND category = 'case' AND status = 'granted'")
        accounts = q(conn, "SUM(quantity)", "ledger = 'payment' AND category = 'account_opening'")
        channel = q(conn, "SUM(quantity)", "ledger = 'payment' AND category = 'green_channel'")
        events = q(conn, "COUNT(*)", "ledger = 'outreach' AND status = 'held' AND category IN ('training', 'seminar', 'event')")
        published = q(conn, "COUNT(*)", "ledger = 'outreach' AND status = 'held' AND category IN ('column', 'broadcast')")
        people, reach = q(conn, "SUM(attendance)", "ledger = 'outreach' AND status = 'held'"), q(conn, "SUM(reach)", "ledger = 'outreach' AND status = 'held'")
        meetings, closed = q(conn, "COUNT(*)", "ledger = 'consultation'"), q(conn, "COUNT(*)", "ledger = 'consultation' AND status = 'closed'")
        fiscal = q(conn, "SUM(amount)", "ledger = 'consultation' AND category <> 'project_financing'")
        banks_before = {r[0] for r in conn.execute(text(
            "SELECT DISTINCT owner FROM ledger_entry WHERE park_id = 1 AND ledger = 'payment' AND entry_date < '2026-10-01'"))}
        banks_now = {r[0] for r in conn.execute(text(
            "SELECT DISTINCT owner FROM ledger_entry WHERE park_id = 1 AND ledger = 'payment' AND entry_date = '2026-10-01'"))}
    got = {s.split("：")[0]: s for s in ledgers.sentences(sums, overdue, period=PERIOD, lang="zh")}
    span = "2026年1—10月"
    assert got["金融顾问服务"].startswith(f"金融顾问服务：{span}服务园区企业{services:,.0f}次，促成融资{financed * 1e-4:,.2f}亿元")
    assert f"跟进超期{late_follow:.0f}项" in got["金融顾问服务"] and late_follow >= 1
    assert got["外汇与跨境融资便利化"].startswith(
        f"外汇与跨境融资便利化：{span}办理便利化业务{n_fx:,.0f}笔、{usd * 1e-4:,.2f}亿美元，其中跨境融资{cross:,.0f}万美元")
    assert got["尽职免责"].startswith(f"尽职免责：{banks}家机构已建立“三张清单”，在册条目{items:,.0f}条；"
                                    f"{span}受理免责认定申请{cases:,.0f}件，认定免责{granted:,.0f}件")
    late_banks = banks_before - banks_now
    assert len(late_banks) == 1  # the demo's one bank without October
    assert got["支付服务"] == (f"支付服务：{span}新开企业账户{accounts:,.0f}户，绿色通道办理{channel:,.0f}笔；"
                           f"{len(late_banks)}家机构未按时报送2026年10月台账。")
    assert got["人才培养与宣传"].startswith(f"人才培养与宣传：{span}举办培训、交流等活动{events:,.0f}场，刊播专栏、直播{published:,.0f}期；"
                                     f"线下参加{people:,.0f}人次，线上阅读观看{reach * 1e-4:,.1f}万人次")
    assert got["跨部门会商"].startswith(f"跨部门会商：{span}会商{meetings:,.0f}次、形成决定{meetings:,.0f}项，已落实{closed:,.0f}项；"
                                  f"贴息、担保、风险补偿和产业基金涉及资金{fiscal:,.0f}万元（含落实中）")


def test_each_role_reads_only_its_rows(demo_db):
    with demo_db.engine.connect() as conn:
        own = conn.execute(text("SELECT id FROM institution WHERE code = 'SO-1'")).scalar_one()
        reporter = Scope("institution_reporter", own)
        mine = ledger_store.monthly_sums(conn, park_id=1, scope=reporter, until=AS_OF)
        assert set(mine["institution_id"].dropna()) == {own} and mine["department"].isna().all()
        assert set(mine["ledger"]) <= {"adviser", "fx", "exemption", "payment"}
        public = ledger_store.monthly_sums(conn, park_id=1, scope=Scope("publicity"), until=AS_OF)
        assert set(public["ledger"]) == {"outreach"} and set(public["status"]) == {"held"}
        assert set(public["category"]) <= {"column", "broadcast", "event"}
        leader, cut = ledger_store.load_entries(conn, park_id=1, ledger="adviser", scope=Scope("leader"), until=AS_OF, today=AS_OF)
        assert leader.empty and not cut
        entries, _ = ledger_store.load_entries(conn, park_id=1, ledger="adviser", scope=reporter, until=AS_OF, today=AS_OF)
        assert set(entries["institution_id"]) == {own}
        theirs, _ = ledger_store.load_entries(conn, park_id=1, ledger="consultation", scope=reporter, until=AS_OF, today=AS_OF)
        assert theirs.empty
        everything = ledger_store.monthly_sums(conn, park_id=1, scope=FULL_ACCESS, until=AS_OF)
        total = conn.execute(text("SELECT COUNT(*) FROM ledger_entry WHERE park_id = 1 AND entry_date <= '2026-10-31'")).scalar_one()
    assert everything["entries"].sum() == total
    assert ledgers.visible_ledgers("publicity") == ("outreach",)
    assert ledgers.visible_ledgers("institution_reporter") == ("adviser", "fx", "exemption", "payment")


def test_links_reach_the_loan_the_project_and_the_policy_tool(demo_db):
    with demo_db.engine.connect() as conn:
        adviser, _ = ledger_store.load_entries(conn, park_id=1, ledger="adviser", scope=FULL_ACCESS, until=AS_OF, today=AS_OF)
        consult, _ = ledger_store.load_entries(conn, park_id=1, ledger="consultation", scope=FULL_ACCESS, until=AS_OF, today=AS_OF)
        types = dict(conn.execute(text("SELECT short_name, inst_type FROM institution")).all())
    financed = adviser[adviser["status"] == "financed"]
    assert len(financed) > 0 and financed["contract_no"].notna().all()  # each financing names its loan
    assert {types[i] for i in adviser["institution"]} <= set(BANK_TYPES)
    assert consult.loc[consult["category"] == "project_financing", "project_code"].notna().all()
    fiscal = consult[consult["category"].isin(["interest_subsidy", "financing_guarantee", "risk_compensation"])]
    assert len(fiscal) > 0 and fiscal["policy_tool"].notna().all()


def test_the_overdue_day_and_the_trend_gaps():
    assert ledgers.as_of(dt.date(2026, 10, 1), dt.date(2026, 12, 6)) == dt.date(2026, 10, 31)  # a past month: its last day
    assert ledgers.as_of(dt.date(2026, 12, 1), dt.date(2026, 12, 6)) == dt.date(2026, 12, 6)  # the current month: today
    sums = pd.DataFrame([{"ledger": "adviser", "month": dt.date(2026, 8, 1), "category": "financing_plan", "status": "financed",
                          "institution_id": 1, "department": None, "entries": 2.0, "quantity": 0.0, "amount": 500.0,
                          "amount_usd": 0.0, "attendance": 0.0, "reach": 0.0}])
    trend = ledgers.monthly_trend(sums, "adviser", until=dt.date(2026, 10, 1), months=3)
    assert list(trend.index) == [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    assert list(trend["financing_plan"]) == [2.0, 0.0, 0.0]
    longer = ledgers.monthly_trend(sums, "adviser", until=dt.date(2026, 10, 1), months=24)
    assert longer.index[0] == dt.date(2026, 8, 1)  # months before the ledger was kept are not zeros
    assert ledgers.sentence("fx", sums, pd.DataFrame(columns=["ledger", "overdue"]), period=dt.date(2026, 10, 1), lang="zh") is None
    en = ledgers.sentence("adviser", sums, pd.DataFrame(columns=["ledger", "overdue"]), period=dt.date(2026, 10, 1), lang="en")
    assert en == "Financial-adviser services: 2 adviser visits to park firms in 2026 to month 10, followed by financing of CNY 0.05 100m."


def test_the_word_briefing_carries_the_sentences(demo_db):
    with demo_db.engine.connect() as conn:
        bundle = publication.gather(conn, park_id=1, period=PERIOD, scope=FULL_ACCESS)
        lines = ledgers.sentences(ledger_store.monthly_sums(conn, park_id=1, scope=FULL_ACCESS, until=AS_OF),
                                  ledger_store.overdue_counts(conn, park_id=1, scope=FULL_ACCESS, today=AS_OF), period=PERIOD, lang="zh")
    content = briefing.compose(bundle, "zh", ledger_sentences=lines)
    document = docx.Document(io.BytesIO(briefing.to_docx(content)))
    paragraphs = [p.text for p in document.paragraphs]
    work = paragraphs.index(i18n.t("br.free.work", "zh"))
    assert paragraphs[work + 1: work + 7] == lines


def test_the_catalogue_defines_every_ledger_measure():
    from dashboard import catalogue

    entries = catalogue.entries()
    for ledger, measures in ledgers.MEASURES.items():
        entry = entries[f"ledger_{ledger}"]
        assert entry.tables == ("ledger_entry",)
        for m in measures:  # each tile's name is defined in its ledger's entry
            assert i18n.t(f"lg.m.{m.code}", "zh") in entry.formula[0], (ledger, m.code)


def test_departments_attending_the_consultations_are_counted_in_the_database(demo_db):
    with demo_db.engine.connect() as conn:
        got = ledger_store.participation(conn, park_id=1, scope=FULL_ACCESS, since=dt.date(2026, 1, 1), until=AS_OF)
        rows = conn.execute(text("SELECT department, participants FROM ledger_entry WHERE park_id = 1 AND ledger = 'consultation' "
                                 "AND entry_date BETWEEN '2026-01-01' AND '2026-10-31'")).all()
        none = ledger_store.participation(conn, park_id=1, scope=Scope("publicity"), since=dt.date(2026, 1, 1), until=AS_OF)
    expected = {}
    for lead, present in rows:
        for code in {lead, *(present or "").split(",")} - {""}:
            expected[code] = expected.get(code, 0) + 1
    assert dict(zip(got["department"], got["meetings"])) == expected
    assert expected["pboc"] == len(rows)  # the PBOC branch sits in every demo consultation
    assert none.empty  # publicity sees no consultation
