"""The project pipeline (§六, §十一, §十五): what each project has secured, its gap, the pipeline by stage and
category, the milestone timeline, and the checks an edit must pass. Pure functions, no Streamlit."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n
from data_access import taxonomy as tx

SECURED_KINDS = ("loans", "bonds", "funds", "leasing")
SHORT_GAP_SHARE = 0.25  # a project short of money: a quarter or more of its financing need not yet secured


def compute_funding(projects: pd.DataFrame) -> pd.DataFrame:
    """Adds secured (万元, loans + bonds + funds + leasing committed), gap (need not secured, never below 0),
    gap_share, short (gap at least 25 % of the need, before operation) and late (an overdue milestone)."""
    df = projects.copy()
    df["secured"] = df[list(SECURED_KINDS)].sum(axis=1)
    df["gap"] = (df["financing_need"] - df["secured"]).clip(lower=0)
    df["gap_share"] = (df["gap"] / df["financing_need"]).where(df["financing_need"] > 0, 0.0)
    df["short"] = (df["gap_share"] >= SHORT_GAP_SHARE) & (df["stage"] != "operation")
    df["late"] = df["overdue_milestones"] > 0
    return df


def filter_projects(projects: pd.DataFrame, *, stages=(), categories=(), lead_banks=()) -> pd.DataFrame:
    """Projects in any of the chosen stages, categories and lead banks (an empty choice means all)."""
    keep = pd.Series(True, index=projects.index)
    for col, chosen in (("stage", stages), ("category", categories), ("lead_bank", lead_banks)):
        if chosen:
            keep &= projects[col].isin(list(chosen))
    return projects[keep]


def compute_pipeline(projects: pd.DataFrame, by: str) -> pd.DataFrame:
    """Projects per stage or category (`by`): n, investment, financing_need, secured, gap (万元), short, late;
    every stage or category listed, in the taxonomy's order, even with no project."""
    order = tx.PROJECT_STAGES if by == "stage" else tx.PROJECT_CATEGORIES
    out = projects.groupby(by).agg(n=("id", "count"), investment=("investment", "sum"), financing_need=("financing_need", "sum"),
                                   secured=("secured", "sum"), gap=("gap", "sum"), short=("short", "sum"), late=("late", "sum"))
    return out.reindex(list(order), fill_value=0).rename_axis("group").reset_index()


def pipeline_figure(pipeline: pd.DataFrame, kind: str, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Secured and gap per stage or category, 亿元, stacked; the count of projects above each bar."""
    labels = [i18n.label(kind, g, lang) for g in pipeline["group"]]
    fig = go.Figure()
    fig.add_bar(x=labels, y=pipeline["secured"] / 1e4, name=i18n.t("pj.secured", lang), marker_color="#0072B2")
    fig.add_bar(x=labels, y=pipeline["gap"] / 1e4, name=i18n.t("pj.gap", lang), marker_color="#E69F00",
                marker_pattern_shape="/", text=[f"{n} 个" if lang == "zh" else f"{n}" for n in pipeline["n"]],
                textposition="outside", cliponaxis=False)
    fig.update_layout(barmode="stack", legend=charts.LEGEND)
    fig.update_yaxes(title=i18n.unit("yi", lang), gridcolor="#EEEEEE")
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=360)


def gantt_figure(projects: pd.DataFrame, milestones: pd.DataFrame, today: dt.date, *, title: str, subtitle: str, source: str,
                 lang: str) -> go.Figure:
    """One line per project from start to planned completion; milestones as marks: done (grey), planned (blue
    ring), overdue (red cross, named in the hover). Projects short of money or late are labelled in bold."""
    fig = go.Figure()
    rows = projects.sort_values("start_date", ascending=False)
    names = {r.id: (f"<b>{charts.plain(r.name)}</b>" if (r.short or r.late) else charts.plain(r.name)) for r in rows.itertuples()}
    for r in rows.itertuples():
        fig.add_trace(go.Scatter(x=[r.start_date, r.planned_completion], y=[names[r.id]] * 2, mode="lines",
                                 line=dict(color="#BBBBBB" if r.stage == "operation" else "#56B4E9", width=10),
                                 hoverinfo="skip", showlegend=False))
    ms = milestones.merge(rows[["id"]], left_on="project_id", right_on="id") if not milestones.empty else milestones
    if not ms.empty:
        planned = pd.to_datetime(ms["planned_date"]).dt.date
        state = ms["status"].where(ms["status"] == "done", planned.lt(today).map({True: "overdue", False: "planned"}))
        style = {"done": ("circle", "#666666"), "planned": ("circle-open", "#0072B2"), "overdue": ("x", "#D55E00")}
        for s, (symbol, color) in style.items():
            part = ms[state == s]
            if part.empty:
                continue
            fig.add_trace(go.Scatter(
                x=part["planned_date"], y=[names[p] for p in part["project_id"]], mode="markers", name=i18n.t(f"pj.ms.{s}", lang),
                marker=dict(symbol=symbol, size=11, color=color, line=dict(width=2, color=color)),
                text=[charts.plain(n) for n in part["name"]], hovertemplate="%{y}<br>%{text} · %{x|%Y-%m-%d}<extra></extra>"))
    fig.add_vline(x=pd.Timestamp(today).timestamp() * 1000, line_dash="dot", line_color="#333333")
    fig.update_layout(legend=dict(charts.LEGEND, x=0.99, xanchor="right", y=1.0))
    fig.update_xaxes(type="date", tickformat="%Y-%m", gridcolor="#EEEEEE")
    return charts.base_layout(fig, title=title, subtitle=subtitle, source=source, height=180 + 30 * len(rows))


def projects_table(projects: pd.DataFrame, syndicates: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The pipeline table as shown and exported: amounts in 万元, syndicate members with shares, flags."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    members = (syndicates.assign(m=syndicates["institution"] + " " + (syndicates["share"] * 100).round().astype(int).astype(str) + "%")
               .groupby("project_id")["m"].agg("、".join) if not syndicates.empty else pd.Series(dtype=str))
    flags = []
    for r in projects.itertuples():
        f = ([t("pj.flag.short")] if r.short else []) + ([t("pj.flag.late")] if r.late else [])
        f += [t("pj.flag.negative")] if r.on_negative_list else []  # marked by the guideline (dashboard.whitelist)
        flags.append("、".join(f))
    return pd.DataFrame({
        t("pj.col.code"): projects["code"], t("pj.col.name"): projects["name"],
        t("pj.col.category"): [i18n.label("project_category", c, lang) for c in projects["category"]],
        t("pj.col.stage"): [i18n.label("project_stage", s, lang) for s in projects["stage"]],
        t("pj.col.investment"): projects["investment"].round(0), t("pj.col.need"): projects["financing_need"].round(0),
        t("pj.col.loans"): projects["loans"].round(0), t("pj.col.bonds"): projects["bonds"].round(0),
        t("pj.col.funds"): projects["funds"].round(0), t("pj.col.leasing"): projects["leasing"].round(0),
        t("pj.col.gap"): projects["gap"].round(0), t("pj.col.lead"): projects["lead_bank"].fillna("—"),
        t("pj.col.syndicate"): projects["id"].map(members).fillna("—"),
        t("pj.col.reduction"): projects["expected_reduction_t"],
        t("pj.col.next"): [f"{n} {d:%Y-%m-%d}" if isinstance(n, str) else "—" for n, d in zip(projects["next_milestone"], projects["next_date"])],
        t("pj.col.flags"): flags,
    })


def history_table(history: pd.DataFrame, banks: dict, lang: str) -> pd.DataFrame:
    """A project's audit trail in words: when, who, what changed (stages and banks by name, never codes or ids)."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    stage = lambda s: i18n.label("project_stage", s, lang) if s else "—"  # noqa: E731
    bank = lambda b: banks.get(b, "—") if b is not None else "—"  # noqa: E731

    def detail(action: str, d: dict) -> str:
        d = d or {}
        if action == "stage_changed":
            text = t("pj.history.from_to", old=stage(d.get("from")), new=stage(d.get("to")))
            return text + ("；" if lang == "zh" else "; ") + t("pj.history.note", note=d["note"]) if d.get("note") else text
        if action == "lead_bank_assigned":
            return t("pj.history.from_to", old=bank(d.get("from")), new=bank(d.get("to")))
        if action.startswith("milestone_"):
            text = t("pj.history.milestone", name=d.get("milestone", ""), planned=d.get("planned", ""))
            return text + (t("pj.history.actual", actual=d["actual"]) if d.get("actual") else "")
        if action == "project_added":
            return " ".join(str(d[k]) for k in ("code", "name") if d.get(k))
        return ""

    return pd.DataFrame({
        t("rk.when"): [f"{a:%Y-%m-%d %H:%M}" for a in history["at"]],
        t("rk.by"): history["actor"],
        t("pj.history.col.action"): [t(f"pj.history.{a}") if f"pj.history.{a}" in i18n.STRINGS else a for a in history["action"]],
        t("pj.history.col.detail"): [detail(a, d) for a, d in zip(history["action"], history["detail"])],
    })


def validate_project(values: dict, bank_ids: set[int], lang: str) -> list[str]:
    """Why a new or changed project cannot be saved (empty when it can): name, codes, amounts not negative and the
    need within the investment, start before completion, a lead bank that exists."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    errors = []
    if not str(values.get("name") or "").strip():
        errors.append(t("pj.err.name"))
    if values.get("category") not in tx.PROJECT_CATEGORIES:
        errors.append(t("pj.err.category"))
    if values.get("stage") not in tx.PROJECT_STAGES:
        errors.append(t("pj.err.stage"))
    for key in ("investment", "financing_need"):
        v = values.get(key)
        if v is None or v < 0:
            errors.append(t("pj.err.negative", field=t(f"pj.field.{key}"), value=v))
    if (values.get("investment") or 0) >= 0 and (values.get("financing_need") or 0) > (values.get("investment") or 0):
        errors.append(t("pj.err.need_above"))
    start, end = values.get("start_date"), values.get("planned_completion")
    if start and end and end < start:
        errors.append(t("pj.err.dates", start=start, end=end))
    if values.get("lead_bank_id") is not None and values["lead_bank_id"] not in bank_ids:
        errors.append(t("pj.err.bank", bank=values["lead_bank_id"]))
    if (values.get("expected_reduction_t") or 0) < 0:
        errors.append(t("pj.err.negative", field=t("pj.field.expected_reduction_t"), value=values["expected_reduction_t"]))
    return errors


def validate_milestone(name: str, planned: dt.date | None, actual: dt.date | None, today: dt.date, lang: str) -> list[str]:
    errors = []
    if not (name or "").strip():
        errors.append(i18n.t("pj.err.ms_name", lang))
    if planned is None:
        errors.append(i18n.t("pj.err.ms_planned", lang))
    if actual and actual > today:
        errors.append(i18n.t("pj.err.ms_future", lang, actual=actual))
    return errors
