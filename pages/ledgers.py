"""工作台账 Work ledgers (§六 §八 §九 §十六): one tab per ledger with its sentence, its measures this year, its
monthly trend, its totals by institution or department, what is overdue, and its entries with the loans, projects
and policy tools they link to. Who sees which ledgers and entries is decided in data_access.ledger_store."""

import datetime as dt

import streamlit as st

from dashboard import data, i18n, ledger_views as lv, ledgers, ui
from dashboard.finance_views import subtitle
from dashboard.navigation import may_open
from dashboard.shell import render_shell
from data_access.ledger_store import EXEMPTION_DECISION_DAYS, ENTRY_LIMIT, may_list_entries

ctx = render_shell("ledgers")
st.title(ctx.t("lg.heading", park=ctx.park_name, period=f"{ctx.period:%Y-%m}"))
ui.render_data_end(ctx)
st.caption(ctx.t("lg.intro"))
if may_open(ctx.user.role, "upload"):
    st.caption(ctx.t("lg.how_to_send"))

month_end = ledgers.month_end(ctx.period)
as_of = ledgers.as_of(ctx.period, dt.date.today())
sums = data.ledger_sums(ctx.url, ctx.version, ctx.park_id, ctx.scope, month_end)
overdue = data.ledger_overdue(ctx.url, ctx.version, ctx.park_id, ctx.scope, as_of)
if sums.empty:
    st.info(ctx.t("lg.none"))
    st.stop()
names = data.institutions(ctx.url, ctx.version).set_index("id")["short_name"]
shown = ledgers.visible_ledgers(ctx.user.role)
lists_entries = may_list_entries(ctx.scope)
st.caption(ctx.t("lg.as_of", day=f"{as_of:%Y-%m-%d}", days=EXEMPTION_DECISION_DAYS) if len(shown) > 1
           else ctx.t("lg.as_of_outreach", day=f"{as_of:%Y-%m-%d}"))


def link(page: str, label_key: str) -> None:
    ui.page_link(st, page, label=ctx.t(label_key), icon=":material/arrow_forward:")


for tab, ledger in zip(st.tabs([i18n.label("ledger", code, ctx.lang) for code in shown], key="lg_tab", bind="query-params"), shown):
    with tab:
        sentence = ledgers.sentence(ledger, sums, overdue, period=ctx.period, lang=ctx.lang)
        if sentence is None:
            st.info(ctx.t("lg.empty_ledger"))
            continue
        st.markdown(f"**{sentence}**")
        for column, (label, value) in zip(st.columns(len(ledgers.MEASURES[ledger]) + 1),
                                          lv.kpis(sums, overdue, ledger, period=ctx.period, lang=ctx.lang)):
            column.metric(label, value)
        ui.definition_link(st, f"ledger_{ledger}", ctx)
        if ledger == "fx":
            st.caption(ctx.t("lg.fx_note"))
        if lv.has_trend(sums, ledger, period=ctx.period):
            ui.chart(st, lv.trend_figure(sums, ledger, period=ctx.period, lang=ctx.lang,
                                         subtitle=subtitle(ctx.lang, ctx.park_name, ctx.period, month_end),
                                         source=ctx.t("lg.source")),
                     ctx=ctx, key=f"lg_trend_{ledger}", metric=f"ledger_{ledger}")

        if ledger == "consultation":  # attendees by department: every department at the table, lead or present
            attended = data.ledger_participation(ctx.url, ctx.version, ctx.park_id, ctx.scope, ledgers.year_start(ctx.period), month_end)
            if not attended.empty:
                st.subheader(ctx.t("lg.participation"))
                ui.table_with_downloads(lv.participation_table(attended, ctx.lang), hide_index=True, key="lg_participation")
        st.subheader(ctx.t("lg.by_keeper"))
        keepers = lv.keeper_table(sums, overdue, ledger, names, period=ctx.period, lang=ctx.lang)
        ui.table_with_downloads(keepers, hide_index=True, key=f"lg_keepers_{ledger}",  # 47,087.5 with its separators
                                column_config={c: st.column_config.NumberColumn(format="localized")
                                               for c in keepers.columns[1:] if keepers[c].dtype.kind in "if"})
        if not lists_entries:
            st.caption(ctx.t("lg.aggregates_only"))
            continue

        late, _ = data.ledger_entries(ctx.url, ctx.version, ctx.park_id, ledger, ctx.scope, month_end, as_of, True)
        st.subheader(ctx.t("lg.overdue", n=ledgers.overdue_total(sums, overdue, ledger, period=ctx.period)))
        if ledger in ledgers.MONTHLY_LEDGERS:
            missing = ledgers.late_keepers(sums, ledger, period=ctx.period)
            if not missing.empty:
                st.warning(ctx.t("lg.late_keepers", month=f"{ctx.period:%Y-%m}",
                                 who="、".join(lv.keeper_name(i, d, names, ctx.lang) for i, d in zip(missing["institution_id"], missing["department"]))))
        if not late.empty:
            ui.table_with_downloads(lv.entries_table(late, ledger, lang=ctx.lang), hide_index=True, key=f"lg_late_{ledger}")
        elif ledger not in ledgers.MONTHLY_LEDGERS:
            st.caption(ctx.t("lg.nothing_overdue"))

        entries, cut = data.ledger_entries(ctx.url, ctx.version, ctx.park_id, ledger, ctx.scope, month_end, as_of)
        st.subheader(ctx.t("lg.entries", n=len(entries)))
        if cut:
            st.caption(ctx.t("lg.cut", n=ENTRY_LIMIT))
        table = lv.entries_table(entries, ledger, lang=ctx.lang)
        ui.table_with_downloads(table, hide_index=True, key=f"lg_entries_{ledger}", height=320)
        if ledger == "adviser":
            link("pages/green_finance.py", "lg.link.loans")
        elif ledger == "consultation":
            link("pages/projects.py", "lg.link.projects")
            link("pages/policy_tools.py", "lg.link.policy_tools")
        ui.excel_download({ctx.t("lg.sheet.keepers"): keepers, ctx.t("lg.sheet.entries"): table},
                          label=ctx.t("lg.download", ledger=i18n.label("ledger", ledger, ctx.lang)),
                          file_name=f"{ctx.park['code']}_ledger_{ledger}_{ctx.period:%Y-%m}.xlsx", key=f"lg_xlsx_{ledger}")
