"""自助分析 Explore (issue 21 §1, §2): a question put together from the whitelist (subject, catalogue measures, up to
two dimensions, filters, a period range), run in the database (data_access.explore_store), shown as a chart or a
table with the downloads every chart and table has. The whole question lives in the link (?ex=…), so a copied link
reopens it; a question can be saved under a name, shared and pinned to the overview. Who sees what is decided in
data_access, as on every page: a link or a shared question shows each viewer only their own scope."""

import pandas as pd
import streamlit as st

from dashboard import data, explore as ex, ui
from dashboard.shell import render_shell
from data_access import question_store
from data_access.explore_store import ROW_LIMIT, SUBJECTS, QuestionError
from data_access.scope import MIN_GROUP_SIZE, MIN_INSTITUTIONS

ctx = render_shell("explore")
t = ctx.t
st.title(t("ex.heading"))
st.caption(t("ex.intro"))
publicity, reporter = ctx.scope.publicity_safe, ctx.scope.own_institution is not None
state = st.session_state

parks = data.parks(ctx.url, ctx.version)
park_names = dict(zip(parks["id"], parks["name_zh" if ctx.lang == "zh" else "name_en"]))
park_ids_by_code = dict(zip(parks["code"], parks["id"]))
months = [p.to_timestamp().date() for p in pd.period_range("2021-01", f"{ctx.period:%Y-%m}", freq="M")]
by_month = {f"{m:%Y-%m}": m for m in months}
# publicity-safe mode: green credit only (policy tools and enterprises are single institutions' and firms' rows)
subjects = [s for s in ex.SUBJECT_MEASURES if not publicity or s in SUBJECTS and SUBJECTS[s].publicity]


def dim_options(subject: str) -> list[str]:
    return ex.dim_options(subject, publicity=publicity, reporter=reporter)


def filter_options(subject: str) -> list[str]:
    return ex.filter_options(subject, publicity=publicity, reporter=reporter)


def apply(q: ex.Question) -> None:
    """Put a question (a link's, a saved one's) into the widgets, keeping only what this user may ask."""
    subject = q.subject if q.subject in subjects else subjects[0]
    state["ex_subject"] = subject
    state["ex_measures"] = [m for m in q.measures if m in ex.measures_of(subject)][:2] or ex.measures_of(subject)[:1]
    state["ex_dims"] = [d for d in q.dims if d in dim_options(subject)][:1 if publicity else 2]
    for key in [k for k in state if str(k).startswith("ex_f_")]:
        del state[key]
    for dim, values in q.filters:
        if dim in filter_options(subject):
            wanted = [int(v) if dim == "institution" and v.isdigit() else v for v in values]
            state[f"ex_f_{dim}"] = [v for v in wanted if v in filter_choices(dim, subject)]
    state["ex_grain"] = q.grain
    start = by_month.get(q.start, months[max(0, len(months) - 36)])
    state["ex_from"], state["ex_to"] = start, max(by_month.get(q.end, months[-1]), start)
    state["ex_parks"] = [park_ids_by_code[c] for c in q.parks if c in park_ids_by_code] or [ctx.park_id]
    state["ex_chart"], state["ex_compare"] = q.chart, q.compare


def filter_choices(dim: str, subject: str) -> list:
    if dim == "institution":
        return institutions["id"].tolist()
    return ex.codes(dim, "credit" if subject == "enterprises" else subject)


def on_subject() -> None:
    """A new subject starts from its first measure, no dimensions and no filters."""
    apply(ex.Question(subject=state["ex_subject"], grain=state.get("ex_grain", "quarter"),
                      start=f"{state['ex_from']:%Y-%m}", end=f"{state['ex_to']:%Y-%m}",
                      parks=tuple(parks.set_index("id").loc[state["ex_parks"], "code"]) if state.get("ex_parks") else ()))
    sync_url()


def current() -> ex.Question:
    """The question the widgets hold."""
    subject = state["ex_subject"]
    filters = tuple((d, tuple(map(str, state[f"ex_f_{d}"]))) for d in filter_options(subject) if state.get(f"ex_f_{d}"))
    return ex.Question(subject, tuple(state["ex_measures"]), tuple(state["ex_dims"]), filters, state["ex_grain"],
                       f"{state['ex_from']:%Y-%m}", f"{max(state['ex_to'], state['ex_from']):%Y-%m}",
                       tuple(parks.set_index("id").loc[state["ex_parks"], "code"]), state["ex_chart"], bool(state["ex_compare"]))


def sync_url() -> None:
    """Write the question into the link (a widget's callback, so the sidebar's 复制链接 already holds it)."""
    params = current().to_params()
    for key in ex.PARAMS:
        if key in st.query_params and key not in params:
            del st.query_params[key]
    st.query_params.update(params)
    state["_ex_link"] = tuple(sorted(params.items()))


institutions = data.institutions(ctx.url, ctx.version)
linked = ex.Question.from_params(st.query_params)
link_key = tuple(sorted((k, st.query_params.get(k)) for k in ex.PARAMS if k in st.query_params))
if linked is not None and state.get("_ex_link") != link_key:  # a link (or a saved question) opened: its question
    state["_ex_link"] = link_key
    apply(linked)
elif "ex_subject" not in state:
    apply(ex.Question(subject=subjects[0]))

c1, c2, c3 = st.columns([1, 2, 2])
subject = c1.radio(t("ex.subject"), subjects, key="ex_subject", on_change=on_subject, format_func=lambda s: t(f"ex.subject.{s}"))
measures = c2.multiselect(t("ex.measures"), ex.measures_of(subject), max_selections=2, key="ex_measures", on_change=sync_url,
                          placeholder=t("ex.choose"),
                          format_func=lambda m: ex.name(m, ctx.lang))
dims = c3.multiselect(t("ex.dims"), dim_options(subject), max_selections=1 if publicity else 2, key="ex_dims", on_change=sync_url,
                      placeholder=t("ex.no_dims"),
                      format_func=lambda d: t(f"ex.dim.{d}"))
c1, c2, c3, c4 = st.columns(4)
grain = c1.selectbox(t("ex.grain"), ex.GRAINS, key="ex_grain", on_change=sync_url, format_func=lambda g: t(f"ex.grain.{g}"))
start = c2.selectbox(t("ex.from"), months, key="ex_from", on_change=sync_url, format_func=lambda d: f"{d:%Y-%m}")
if state["ex_to"] < start:
    state["ex_to"] = start
end = c3.selectbox(t("ex.to"), [m for m in months if m >= start], key="ex_to", on_change=sync_url, format_func=lambda d: f"{d:%Y-%m}")
park_ids = c4.multiselect(t("ex.parks"), list(park_names), key="ex_parks", on_change=sync_url,
                          placeholder=t("ex.choose"),
                          format_func=park_names.get)

names = {"institution": dict(zip(institutions["id"], institutions["short_name"])), "park": park_names,
         "enterprise": {i: n for pid in park_ids if "enterprise" in dim_options(subject)
                        for i, n in data.enterprises(ctx.url, ctx.version, pid, ctx.scope)[["id", "name"]].itertuples(index=False)}}
filters = {}
active = {d: state[f"ex_f_{d}"] for d in filter_options(subject) if state.get(f"ex_f_{d}")}
with st.expander(t("ex.filters_on", what=ex.filters_text(active, names=names, lang=ctx.lang)) if active else t("ex.filters")):
    columns = st.columns(3)
    for i, d in enumerate(filter_options(subject)):
        label = names["institution"].get if d == "institution" else (lambda c, d=d: ex.code_label(d, c, ctx.lang))
        filters[d] = columns[i % 3].multiselect(t(f"ex.dim.{d}"), filter_choices(d, subject), key=f"ex_f_{d}", on_change=sync_url,
                                                placeholder=t("sb.all"), format_func=label)
    if subject == "enterprises":
        st.caption(t("ex.institution_borrowers"))
filters = {k: v for k, v in filters.items() if v}
c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
chart_kind = c1.radio(t("ex.chart"), ex.CHARTS, horizontal=True, key="ex_chart", on_change=sync_url, format_func=lambda c: t(f"ex.chart.{c}"))
compare = c2.toggle(t("ex.compare"), key="ex_compare", on_change=sync_url, help=t("ex.compare_help"))

question = current()
sync_url()  # a link just opened, or the first view: the link holds the question on screen



def show_results() -> None:
    """The question's answer: a chart with its table, a table or pivot, or the compare view."""
    if not measures:
        st.info(t("ex.pick_measure"))
        return
    try:
        rows = data.explore_rows(ctx.url, ctx.version, subject=subject, dims=dims, filters=filters, start=start, end=end,
                                 scope=ctx.scope, park_ids=park_ids)
    except QuestionError as exc:
        key = f"ex.err.{exc.code}" if exc.code in ("too_many_rows", "publicity_dimension") else "ex.err.other"
        st.warning(t(key, n=f"{ROW_LIMIT:,}"))
        return
    if rows.empty:
        st.info(t("ex.empty"))
        return
    result = ex.compute(rows, measures=measures, dims=dims, grain=grain, lang=ctx.lang)
    labelled = ex.label_dims(result, dims, lang=ctx.lang, names=names)
    shown = labelled if compare else ex.partial_label(labelled, grain=grain, lang=ctx.lang)
    two_decimals = {ex.header(m, ctx.lang): st.column_config.NumberColumn(format="%.2f") for m in measures}
    first = measures[0]
    data_end = max(rows["period"])
    note = (t("ex.stock_note", last=f"{data_end:%Y-%m}") if ex.MEASURES[first].stock
            else t("ex.flow_note", n=ex.months_in_last(rows, grain)))
    joiner = "、" if ctx.lang == "zh" else ", "
    subtitle = t("ex.subtitle", parks=joiner.join(park_names[p] for p in park_ids), start=f"{start:%Y-%m}", end=f"{end:%Y-%m}",
                 grain=t(f"ex.grain.{grain}"), dims="".join(t("ex.by", dim=t(f"ex.dim.{d}")) for d in dims))
    if filters:
        subtitle += " · " + ex.filters_text(filters, names=names, lang=ctx.lang)
    if reporter:  # a reporter's figures are its own institution's: the chart says so
        subtitle = t("ex.own_institution", name=names["institution"].get(ctx.scope.own_institution, "")) + " · " + subtitle
    suppressed = ex.suppressed_cells(rows.attrs.get("suppressed", []), rows, dims=dims, grain=grain)
    if len(suppressed):
        st.caption(t("ex.suppressed_note", n=len(suppressed), inst=MIN_INSTITUTIONS, ent=MIN_GROUP_SIZE))
    chart_end = ui.end_of_month(data_end).date()
    ends = t("ex.ends", end=f"{chart_end:%Y-%m-%d}", note=note)

    if compare:
        changed = ex.change(shown, measures=measures, dims=dims)
        if len(measures) > 1:
            rose = ex.both_rose(changed, measures)
            st.markdown(t("ex.both_rose_count", first=ex.period_words(changed.attrs["first"], ctx.lang),
                          last=ex.period_words(changed.attrs["last"], ctx.lang), n=len(rose),
                          a=ex.name(measures[0], ctx.lang), b=ex.name(measures[-1], ctx.lang)))
            changed = pd.concat([rose, changed.drop(rose.index)])
            changed.attrs = {"first": shown["period"].min(), "last": shown["period"].max()}
            if chart_kind not in ("table", "pivot"):
                fig = ex.change_figure(changed, measures=measures, dims=dims, lang=ctx.lang,
                                       title=t("ex.change_title", a=ex.name(measures[0], ctx.lang), b=ex.name(measures[-1], ctx.lang)),
                                       subtitle=f"{subtitle} · {ends}", source=t("ex.source"))
                ui.chart(st, fig, ctx=ctx, key="ex_change_fig", metric=first, data_end=chart_end)
        st.caption(ends)
        ui.table_with_downloads(ex.change_table(changed, measures=measures, dims=dims, lang=ctx.lang), hide_index=True,
                                key="ex_change_table")
        return

    if chart_kind in ("table", "pivot"):
        frame = (ex.pivot(shown, measure=first, dims=dims, lang=ctx.lang) if chart_kind == "pivot"
                 else ex.table(ex.with_suppressed(shown, ex.label_dims(suppressed, dims, lang=ctx.lang, names=names), dims=dims,
                                                  lang=ctx.lang), measures=measures, dims=dims, lang=ctx.lang, note=bool(len(suppressed))))
        st.caption(ends)
        ui.table_with_downloads(frame, hide_index=True, key="ex_table",
                                **({} if len(suppressed) or chart_kind == "pivot" else {"column_config": two_decimals}))
        return
    if chart_kind == "scatter" and len(measures) < 2:
        st.info(t("ex.scatter_needs_two"))
        return
    if chart_kind != "scatter" and ex.too_many_series(shown, dims):
        st.caption(t("ex.too_many_series", n=ex.MAX_SERIES))
    title = " · ".join(t("ex.title", measure=ex.name(m, ctx.lang), unit=ex.unit(m, ctx.lang))
                       for m in (measures if chart_kind == "scatter" else [first]))
    fig = ex.figure(shown, chart=chart_kind, measures=measures, dims=dims, lang=ctx.lang, title=title,
                    subtitle=f"{subtitle} · {ends}", source=t("ex.source"))
    ui.chart(st, fig, ctx=ctx, key="ex_chart_fig", metric=first, data_end=chart_end)
    ui.table_with_downloads(ex.table(shown, measures=measures, dims=dims, lang=ctx.lang), hide_index=True, key="ex_result",
                            column_config=two_decimals)


show_results()
mine = data.read(ctx.url, question_store.visible, user_id=ctx.user.id)
with st.expander(t("ex.saved", n=len(mine))):
    if not mine.empty:
        pick = st.selectbox(t("ex.saved_pick"), mine["id"].tolist(), key="ex_saved_pick",
                            format_func=lambda i: ex.saved_label(mine.set_index("id").loc[i], ctx.lang))
        row = mine.set_index("id").loc[pick]
        b1, b2, b3 = st.columns(3)
        if b1.button(t("ex.saved_open"), key="ex_saved_open"):
            st.query_params.clear()
            st.query_params.update(row["params"])
            st.rerun()
        if row["mine"]:
            if b2.button(t("ex.unpin" if row["pinned"] else "ex.pin"), key="ex_saved_pin"):
                data.write(ctx.url, question_store.pin, int(pick), owner_id=ctx.user.id, pinned=not row["pinned"])
                st.rerun()
            if b3.button(t("ex.saved_delete"), key="ex_saved_delete"):
                data.write(ctx.url, question_store.remove, int(pick), owner_id=ctx.user.id)
                st.rerun()
    people = data.read(ctx.url, question_store.colleagues, user_id=ctx.user.id)
    with st.form("ex_save", clear_on_submit=True, border=False):
        s1, s2 = st.columns(2)
        name = s1.text_input(t("ex.save_name"), key="ex_save_name", max_chars=100)
        shared = s2.multiselect(t("ex.save_share"), people["id"].tolist(), key="ex_save_share", placeholder=t("ex.nobody"),
                                format_func=dict(zip(people["id"], people["display_name"])).get)
        if st.form_submit_button(t("ex.save")):
            try:
                data.write(ctx.url, question_store.save, owner_id=ctx.user.id, name=name, params=question.to_params(),
                           shared_with=shared)
            except question_store.QuestionNameError:
                st.error(t("ex.save_no_name"))
            else:
                st.success(t("ex.saved_done", name=name.strip()))

