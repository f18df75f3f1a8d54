"""Whitelist scoring (§十四), the financing guideline's matches (§四) and product matching (§十二). Pure functions.

The points come from `whitelist_criterion.params` (data); an enterprise is listed when its score reaches the
version's minimum and it is not on the guideline's negative list.
"""

from __future__ import annotations

import pandas as pd

from dashboard import i18n

DEFAULT_MIN_SCORE = 60.0


def _num(v, default=0.0) -> float:
    return default if v is None or pd.isna(v) else float(v)


def score_enterprise(row: dict, criteria: pd.DataFrame) -> dict[str, float]:
    """Points per criterion for one enterprise (a dict of the scoring inputs plus carbon_grade)."""
    parts = {}
    for c in criteria.itertuples():
        p = c.params
        if c.code == "credit_compliance":
            pts = 0.0 if (p.get("dishonest_zero") and bool(row.get("dishonest"))) else (
                p["start"] - p["per_problem_loan"] * _num(row.get("problem_loans")) - p["per_env_penalty"] * _num(row.get("env_penalties"))
                + p["tax_grade"].get(row.get("tax_credit_grade") or "B", 0))
        elif c.code == "operating_fit":
            g = row.get("output_growth_pct")
            growth = p["points_negative"] if g is None or pd.isna(g) or g < 0 else (
                p["points_high"] if g >= p["growth_high_pct"] else p["points_positive"])
            pts = growth + p["class_points"].get(row.get("enterprise_class"), 0)
        elif c.code == "innovation":
            pts = (min(_num(row.get("patents")), p["patents_full"]) / p["patents_full"] * p["patent_points"]
                   + (p["high_tech"] if row.get("high_tech") else 0) + (p["specialised"] if row.get("specialised") else 0))
        elif c.code == "green_performance":
            grade = row.get("carbon_grade")
            pts = p["no_grade"] if grade is None or pd.isna(grade) else p["grade_points"].get(str(int(grade)), 0)
        else:
            continue  # a criterion stored as data without a scoring rule yet is shown but gives no points
        parts[c.code] = round(max(0.0, min(float(c.max_points), pts)), 1)
    return parts


def score_all(inputs: pd.DataFrame, grades: pd.Series, criteria: pd.DataFrame, negative: set[int], min_score: float) -> pd.DataFrame:
    """enterprise_id, name, uscc, score_parts, score, negative, eligible (score >= min_score and not negative)."""
    rows = []
    for r in inputs.to_dict("records"):
        r["carbon_grade"] = grades.get(r["enterprise_id"])
        parts = score_enterprise(r, criteria)
        score = round(sum(parts.values()), 1)
        neg = r["enterprise_id"] in negative
        rows.append({"enterprise_id": r["enterprise_id"], "name": r["name"], "uscc": r["uscc"], "carbon_grade": r["carbon_grade"],
                     "score_parts": parts, "score": score, "negative": neg, "eligible": score >= min_score and not neg})
    return pd.DataFrame(rows)


def propose_version(scored: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Entries of a new version against the listed enterprises of the previous one: added, removed (reason still
    to be written, prefilled with what the score says), rescored; enterprises never listed and not eligible are left out."""
    before = set(previous.loc[previous["listed"].astype(bool), "enterprise_id"]) if not previous.empty else set()
    out = []
    for r in scored.itertuples():
        if r.eligible:
            action, reason = ("rescored" if r.enterprise_id in before else "added"), None
        elif r.enterprise_id in before:
            action, reason = "removed", ""
        else:
            continue
        out.append({"enterprise_id": r.enterprise_id, "name": r.name, "uscc": r.uscc, "listed": bool(r.eligible), "action": action,
                    "score": r.score, "score_parts": r.score_parts, "reason": reason, "negative": r.negative})
    return pd.DataFrame(out, columns=["enterprise_id", "name", "uscc", "listed", "action", "score", "score_parts", "reason", "negative"])


def entries_table(entries: pd.DataFrame, criteria: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The whitelist as shown and pushed to the banks: enterprise, USCC, score, each part, action, reason."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    name_col = "name_zh" if lang == "zh" else "name_en"
    table = pd.DataFrame({t("wl.col.name"): entries["name"], t("wl.col.uscc"): entries["uscc"], t("wl.col.score"): entries["score"]})
    for c in criteria.itertuples():
        table[f"{getattr(c, name_col)}（{c.max_points:g}）"] = [parts.get(c.code) for parts in entries["score_parts"]]
    table[t("wl.col.action")] = [i18n.t(f"wl.action.{a}", lang) for a in entries["action"]]
    table[t("wl.col.reason")] = entries["reason"].fillna("")
    return table


# --- financing guideline ------------------------------------------------------------------------------

def _holds(value, op: str, target) -> bool:
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return False
    if op == "eq":
        return bool(value == target)
    if op == "in":
        return value in target
    if op == "gte":
        return float(value) >= float(target)
    if op == "lte":
        return float(value) <= float(target)
    raise ValueError(f"unknown guideline operator {op!r}")


def guideline_hits(items: pd.DataFrame, enterprises: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Which guideline items with a `match` cover which enterprise or project: code, kind, entity, id.

    An enterprise row carries its profile fields and carbon_grade; a project on the negative list is one whose
    owner is, or which matches a project item itself."""
    rows = []
    for item in items.itertuples():
        m = item.match
        if not m:
            continue
        frame = enterprises if m["entity"] == "enterprise" else projects
        id_col = "enterprise_id" if m["entity"] == "enterprise" else "id"
        for r in frame.to_dict("records"):
            if all(_holds(r.get(c["field"]), c["op"], c["value"]) for c in m["all"]):
                rows.append({"code": item.code, "kind": item.kind, "entity": m["entity"], "id": int(r[id_col])})
    hits = pd.DataFrame(rows, columns=["code", "kind", "entity", "id"])
    neg_ent = set(hits[(hits["kind"] == "negative") & (hits["entity"] == "enterprise")]["id"])
    if not projects.empty:
        owned = projects[projects["enterprise_id"].isin(neg_ent)]
        extra = pd.DataFrame({"code": "owner_negative", "kind": "negative", "entity": "project", "id": owned["id"].astype(int)})
        hits = pd.concat([hits, extra], ignore_index=True) if not extra.empty else hits
    return hits


def guideline_covers(hits: pd.DataFrame, names: dict, lang: str) -> pd.Series:
    """Per guideline item, whom it covers as shown: the names for the negative list (they must be seen), a count
    for admission conditions and priorities."""
    out = {}
    for code, g in hits.groupby("code"):
        if g["kind"].iloc[0] == "negative":
            out[code] = "、".join(names.get(i if e == "enterprise" else (e, i), str(i)) for e, i in zip(g["entity"], g["id"]))
        else:
            n_e, n_p = int((g["entity"] == "enterprise").sum()), int((g["entity"] == "project").sum())
            out[code] = i18n.t("wl.guideline.count", lang, ents=n_e, projects=n_p)
    return pd.Series(out, dtype=object)


def negative_ids(hits: pd.DataFrame, entity: str) -> set[int]:
    return set(int(i) for i in hits[(hits["kind"] == "negative") & (hits["entity"] == entity)]["id"])


# --- product matching (§十二) --------------------------------------------------------------------------

def match_products(need: dict, products: pd.DataFrame, lang: str, top: int = 5) -> pd.DataFrame:
    """Rank products for a financing need: need = {amount (万元), term_months, category (or None for working
    capital), enterprise_class, collateral (list), whitelisted, negative}. Products that cannot serve the need
    (wrong enterprise class, amount outside range, whitelist-only for an unlisted enterprise) are left out; the
    rest get points for category fit, collateral the borrower has, term, a policy tool and a low rate.
    Returns product rows with score and reasons (a list of sentences)."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    if need.get("negative"):
        return products.iloc[0:0].assign(score=[], reasons=[])
    rows = []
    for p in products.to_dict("records"):
        if need["enterprise_class"] not in p["eligible_classes"]:
            continue
        if not (p["min_amount"] <= need["amount"] <= p["max_amount"]):
            continue
        if p["whitelist_only"] and not need.get("whitelisted"):
            continue
        score, reasons = 0.0, [t("lib.why.class_amount", lo=f"{p['min_amount']:,.0f}", hi=f"{p['max_amount']:,.0f}")]
        if need.get("category") and need["category"] in p["categories"]:
            score += 40
            reasons.append(t("lib.why.category", category=i18n.label("project_category", need["category"], lang)))
        elif not need.get("category") and not p["categories"]:
            score += 30
            reasons.append(t("lib.why.working"))
        have = set(need.get("collateral") or []) & set(p["collateral"])
        if have or "none" in p["collateral"]:
            score += 25
            reasons.append(t("lib.why.collateral", what="、".join(i18n.label("collateral", c, lang) for c in sorted(have or {"none"}))))
        if need.get("term_months") and need["term_months"] <= p["term_months_max"]:
            score += 15
            reasons.append(t("lib.why.term", months=p["term_months_max"]))
        if p["policy_tool"]:
            score += 10
            reasons.append(t("lib.why.tool", tool=i18n.label("policy_tool", p["policy_tool"], lang)))
        if p["whitelist_only"]:
            score += 5
            reasons.append(t("lib.why.whitelist"))
        score += max(0.0, 5.0 - p["rate_min"])  # cheaper money ranks higher among equals
        rows.append({**p, "score": round(score, 1), "reasons": reasons})
    if not rows:
        return products.iloc[0:0].assign(score=[], reasons=[])
    return pd.DataFrame(rows).sort_values(["score", "rate_min"], ascending=[False, True]).head(top).reset_index(drop=True)


# --- from the database (used by the CLI after a load and by the pages) ------------------------------------

def carbon_grades(conn, *, park_id: int, period, enterprise_monthly: pd.DataFrame) -> pd.Series:
    """Carbon-account grade (1 best .. 5) per enterprise for the latest full year up to `period`, from the
    enterprises' monthly emissions (`dashboard.risk.enterprise_emissions`)."""
    from dashboard import energy
    from data_access import queries
    from data_access.scope import FULL_ACCESS

    annual = energy.compute_annual(enterprise_monthly)
    years = annual.loc[annual["months"] == 12, "year"]
    if not len(years):
        return pd.Series(dtype=float)
    eff = energy.compute_carbon_efficiency(annual, queries.load_enterprise_outputs(conn, park_id=park_id, scope=FULL_ACCESS),
                                           queries.load_enterprises(conn, park_id=park_id, scope=FULL_ACCESS), int(years.max()))
    return eff.set_index("enterprise_id")["grade"]


def apply_guideline(conn, *, park_id: int, period, enterprise_monthly: pd.DataFrame) -> pd.DataFrame:
    """Evaluate the guideline for a park and store the negative-list marks. Returns the hits."""
    from data_access import project_store, whitelist_store

    inputs = whitelist_store.load_scoring_inputs(conn, park_id=park_id, period=period)
    inputs["carbon_grade"] = inputs["enterprise_id"].map(carbon_grades(conn, park_id=park_id, period=period,
                                                                       enterprise_monthly=enterprise_monthly))
    projects = project_store.load_projects(conn, park_id=park_id, today=period)
    hits = guideline_hits(whitelist_store.load_guideline(conn), inputs, projects)
    whitelist_store.save_negative_marks(conn, park_id=park_id, enterprise_ids=negative_ids(hits, "enterprise"),
                                        project_ids=negative_ids(hits, "project"))
    return hits
