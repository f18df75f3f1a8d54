"""综合金融资源库 Resource library (§十二): one search box over policies, products, cases, enterprises and
projects; the product shelf; and online matching of products to a project's or enterprise's financing need."""

import pandas as pd
import streamlit as st

from dashboard import data, i18n, ui, whitelist as wl
from dashboard.shell import render_shell
from data_access import taxonomy as tx

ctx = render_shell("library")
st.title(ctx.t("lib.heading"))
ui.render_data_end(ctx)
products = data.products(ctx.url, ctx.version)


def product_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        ctx.t("lib.col.product"): df["name"], ctx.t("lib.col.institution"): df["institution"],
        ctx.t("lib.col.rate"): [f"{a:.2f}–{b:.2f}" for a, b in zip(df["rate_min"], df["rate_max"])],
        ctx.t("lib.col.term"): df["term_months_max"],
        ctx.t("lib.col.amount"): [f"{a:,.0f}–{b:,.0f}" for a, b in zip(df["min_amount"], df["max_amount"])],
        ctx.t("lib.col.collateral"): ["、".join(i18n.label("collateral", c, ctx.lang) for c in cs) for cs in df["collateral"]],
        ctx.t("lib.col.classes"): ["、".join(i18n.label("enterprise_class", c, ctx.lang) for c in cs) for cs in df["eligible_classes"]],
    })


query = st.text_input(ctx.t("lib.search"), key="lib_q", bind="query-params", placeholder=ctx.t("lib.search_hint"))
if query.strip():
    found = data.library_search(ctx.url, ctx.version, ctx.park_id, ctx.scope, query.strip())  # within the user's scope
    st.subheader(ctx.t("lib.results", n=len(found)))
    if found.empty:
        st.info(ctx.t("lib.nothing", q=query.strip()))
    else:
        ui.table_with_downloads(pd.DataFrame({ctx.t("lib.col.kind"): [i18n.label("library_kind", k, ctx.lang) for k in found["kind"]],
                                   ctx.t("lib.col.title"): found["title"], ctx.t("lib.col.detail"): found["detail"].fillna("")}),
                     hide_index=True, key="lib_results")

st.subheader(ctx.t("lib.match"))
# a reporter matches for its own borrowers and the projects its bank is on, never every project's gap
projects = data.library_projects(ctx.url, ctx.version, ctx.park_id, ctx.scope, ui.end_of_month(ctx.period).date())
ents = data.enterprises(ctx.url, ctx.version, ctx.park_id, ctx.scope).set_index("id")
listed = data.whitelisted(ctx.url, ctx.version, ctx.park_id)  # not the whole scoring of the whitelist page
options = [("project", int(p)) for p in projects.sort_values("gap", ascending=False)["id"]] + [("enterprise", int(e)) for e in ents.index]
by_project = projects.set_index("id")


def describe(o) -> str:
    if o[0] == "project":
        r = by_project.loc[o[1]]
        return f"{i18n.label('library_kind', 'project', ctx.lang)} · {r['name']}（{ctx.t('pj.col.gap')} {i18n.amount(r['gap'], 'wan', ctx.lang, 0)}）"
    return f"{i18n.label('library_kind', 'enterprise', ctx.lang)} · {ents.loc[o[1], 'name']}"


subject = st.selectbox(ctx.t("lib.match.for"), options, format_func=describe, key="lib_subject", bind="query-params")
if subject is None:  # nothing this user may match for (e.g. a reporter whose bank is on no project and lends to none)
    st.info(ctx.t("lib.match.no_subject"))
else:
    if subject[0] == "project":
        r = by_project.loc[subject[1]]
        ent_id, category, default_amount, negative = r["enterprise_id"], r["category"], float(r["gap"] or r["financing_need"]), bool(r["on_negative_list"])
    else:
        ent_id, category, default_amount, negative = subject[1], None, 1_000.0, False
    negative = negative or bool(ents.loc[ent_id, "on_negative_list"]) if ent_id in ents.index else negative
    c = st.columns(3)
    amount = c[0].number_input(ctx.t("lib.match.amount"), min_value=0.0, value=round(default_amount, 0), step=100.0, key="lib_amount")
    term = c[1].number_input(ctx.t("lib.match.term"), min_value=1, max_value=360, value=60 if category else 12, key="lib_term")
    collateral = c[2].multiselect(ctx.t("lib.match.collateral"), tx.COLLATERAL_TYPES, default=["guarantee"], key="lib_collateral",
                                  format_func=lambda x: i18n.label("collateral", x, ctx.lang))
    if negative:
        st.warning(ctx.t("lib.match.negative"))
    else:
        need = {"amount": amount, "term_months": term, "category": category, "collateral": collateral, "negative": negative,
                "enterprise_class": ents.loc[ent_id, "enterprise_class"] if ent_id in ents.index else None, "whitelisted": ent_id in listed}
        matches = wl.match_products(need, products, ctx.lang)
        if matches.empty:
            st.info(ctx.t("lib.match.none"))
        else:
            shown = product_table(matches)
            shown.insert(0, ctx.t("lib.col.rank"), range(1, len(matches) + 1))
            shown.insert(3, ctx.t("lib.col.score"), matches["score"])
            shown.insert(4, ctx.t("lib.col.reasons"), ["；".join(r) for r in matches["reasons"]])
            ui.table_with_downloads(shown, hide_index=True, key="lib_matches")

st.subheader(ctx.t("lib.products", n=len(products)))
ui.table_with_downloads(product_table(products), hide_index=True, key="lib_products")
