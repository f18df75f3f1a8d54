"""Whitelist (§十四), financing guideline (§四) and resource library (§十二): what they read and write.

Scores are computed in `dashboard.whitelist` from what is loaded here; a new whitelist version, with its
entries, is written in one transaction and logged. No Streamlit.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, and_, case, func, insert, null, or_, select, update

from data_access.models import (
    AuditLog,
    CreditFacility,
    CreditSnapshot,
    Enterprise,
    EnterpriseOutput,
    EnterpriseProfile,
    FinancialProduct,
    GuidelineItem,
    Institution,
    LibraryItem,
    Project,
    WhitelistCriterion,
    WhitelistEntry,
    WhitelistVersion,
)
from data_access.scope import Scope


class WhitelistError(ValueError):
    """A whitelist version that may not be saved; the message says why."""


def _frame(conn: Connection, stmt) -> pd.DataFrame:
    r = conn.execute(stmt)
    return pd.DataFrame(r.fetchall(), columns=list(r.keys()))


def load_criteria(conn: Connection) -> pd.DataFrame:
    C = WhitelistCriterion
    return _frame(conn, select(C.code, C.name_zh, C.name_en, C.max_points, C.params, C.description, C.description_en).order_by(C.sort))


def load_guideline(conn: Connection) -> pd.DataFrame:
    G = GuidelineItem
    return _frame(conn, select(G.code, G.kind, G.text_zh, G.text_en, G.match).order_by(G.sort))


def load_scoring_inputs(conn: Connection, *, park_id: int, period: dt.date) -> pd.DataFrame:
    """Per enterprise of the park: enterprise_id, name, uscc, sector, enterprise_class, the profile's fields,
    problem_loans (overdue or non-performing facilities at `period`), output_growth_pct (latest two reported years)."""
    E, P, F, S = Enterprise, EnterpriseProfile, CreditFacility, CreditSnapshot
    problems = (select(F.enterprise_id, func.count().label("problem_loans"))
                .join(S, (S.facility_id == F.id) & (S.period == period) & S.is_current.is_(True))
                .where(S.park_id == park_id, S.status.in_(["overdue", "npl"])).group_by(F.enterprise_id).subquery())
    df = _frame(conn, select(E.id.label("enterprise_id"), E.name, E.uscc, E.sector, E.enterprise_class, P.patents, P.high_tech,
                             P.specialised, P.tax_credit_grade, P.env_penalties, P.dishonest, P.restricted_capacity,
                             P.has_transition_plan, func.coalesce(problems.c.problem_loans, 0).label("problem_loans"))
                .outerjoin(P, P.enterprise_id == E.id).outerjoin(problems, problems.c.enterprise_id == E.id)
                .where(E.park_id == park_id).order_by(E.id))
    out = _frame(conn, select(EnterpriseOutput.enterprise_id, EnterpriseOutput.year, EnterpriseOutput.output_value)
                 .join(E, E.id == EnterpriseOutput.enterprise_id).where(E.park_id == park_id, EnterpriseOutput.year < period.year + 1))
    if out.empty:
        df["output_growth_pct"] = None
        return df
    out["output_value"] = out["output_value"].astype(float)
    out = out.sort_values(["enterprise_id", "year"])
    last2 = out.groupby("enterprise_id").tail(2)
    growth = last2.groupby("enterprise_id")["output_value"].agg(
        lambda v: (v.iloc[-1] / v.iloc[0] - 1) * 100 if len(v) == 2 and v.iloc[0] > 0 else None)
    df["output_growth_pct"] = df["enterprise_id"].map(growth)
    return df


def load_versions(conn: Connection, *, park_id: int) -> pd.DataFrame:
    V = WhitelistVersion
    n = select(WhitelistEntry.version_id, func.count().label("listed")).where(WhitelistEntry.listed.is_(True)) \
        .group_by(WhitelistEntry.version_id).subquery()
    return _frame(conn, select(V.id, V.version, V.effective_date, V.document_no, V.created_by, V.min_score,
                               func.coalesce(n.c.listed, 0).label("listed"))
                  .outerjoin(n, n.c.version_id == V.id).where(V.park_id == park_id).order_by(V.version))


def load_entries(conn: Connection, *, version_id: int) -> pd.DataFrame:
    W = WhitelistEntry
    return _frame(conn, select(W.enterprise_id, Enterprise.name, Enterprise.uscc, W.listed, W.action, W.score, W.score_parts, W.reason)
                  .join(Enterprise, Enterprise.id == W.enterprise_id).where(W.version_id == version_id).order_by(W.score.desc()))


def save_version(conn: Connection, *, park_id: int, entries: pd.DataFrame, effective_date: dt.date, document_no: str,
                 min_score: float, actor: str) -> int:
    """Write a new version with its entries (enterprise_id, listed, action, score, score_parts, reason) in the
    caller's transaction. A removal without a reason is refused and nothing is written."""
    removed = entries[entries["action"] == "removed"]
    missing = removed[removed["reason"].fillna("").str.strip() == ""]
    if len(missing):
        raise WhitelistError(f"removal needs a reason: enterprises {', '.join(str(int(e)) for e in missing['enterprise_id'])}")
    V = WhitelistVersion
    last = conn.execute(select(func.max(V.version)).where(V.park_id == park_id)).scalar_one() or 0
    vid = conn.execute(insert(V).values(park_id=park_id, version=last + 1, effective_date=effective_date, document_no=document_no,
                                        created_by=actor, min_score=min_score).returning(V.id)).scalar_one()
    conn.execute(insert(WhitelistEntry), [
        {"version_id": vid, "enterprise_id": int(r.enterprise_id), "listed": bool(r.listed), "action": r.action,
         "score": float(r.score), "score_parts": {k: float(v) for k, v in r.score_parts.items()},
         "reason": (r.reason or None) if isinstance(r.reason, str) else None} for r in entries.itertuples()])
    conn.execute(insert(AuditLog).values(actor=actor, action="whitelist_version", entity="whitelist_version", entity_id=str(vid),
                                         detail={"park_id": park_id, "version": last + 1, "listed": int(entries["listed"].sum()),
                                                 "added": int((entries["action"] == "added").sum()), "removed": len(removed)}))
    return vid


def save_negative_marks(conn: Connection, *, park_id: int, enterprise_ids: set[int], project_ids: set[int]) -> None:
    """Store which enterprises and projects the guideline's negative list covers, so every page can mark them."""
    conn.execute(update(Enterprise).where(Enterprise.park_id == park_id)
                 .values(on_negative_list=Enterprise.id.in_(sorted(enterprise_ids)) if enterprise_ids else False))
    conn.execute(update(Project).where(Project.park_id == park_id)
                 .values(on_negative_list=Project.id.in_(sorted(project_ids)) if project_ids else False))


def load_products(conn: Connection) -> pd.DataFrame:
    FP = FinancialProduct
    df = _frame(conn, select(FP.id, FP.institution_id, Institution.short_name.label("institution"), FP.name, FP.product_line,
                             FP.carbon_product, FP.rate_min, FP.rate_max, FP.term_months_max, FP.min_amount, FP.max_amount,
                             FP.collateral, FP.eligible_classes, FP.categories, FP.policy_tool, FP.whitelist_only, FP.description)
                .join(Institution, Institution.id == FP.institution_id).order_by(FP.id))
    for c in ("min_amount", "max_amount"):
        df[c] = df[c].astype(float)
    return df


def search_library(conn: Connection, *, park_id: int, scope: Scope, query: str, limit: int = 50) -> pd.DataFrame:
    """One box over policies, cases, products, enterprises and projects of the park: kind, id, title, detail.
    Each word must appear (case-insensitive) in the item's searchable text.

    Policies, cases and products are public. Enterprises and projects follow the scope, in the query:
    an institution reporter finds the park's public enterprise profiles (`Enterprise.is_public`) and its own
    borrowers, with the credit code (USCC) of its own borrowers only (and matched on it only for them), and the
    projects its bank is on (`project_store.project_visibility`); publicity-safe mode finds public enterprises
    by name, without credit codes, and no project; every other role finds everything.
    """
    from data_access.project_store import project_visibility

    words = [w for w in query.split() if w][:5]

    def has(col, w):
        return func.lower(col).contains(w.lower(), autoescape=True)

    def like(*cols):
        return [or_(*[has(c, w) for c in cols]) for w in words]
    L, FP, E, P = LibraryItem, FinancialProduct, Enterprise, Project
    if scope.publicity_safe:
        ent_where, uscc = [E.is_public.is_(True), *like(E.name)], null()
    elif scope.own_institution is not None:
        mine = E.id.in_(select(CreditFacility.enterprise_id).where(CreditFacility.institution_id == scope.own_institution))
        ent_where = [or_(mine, E.is_public.is_(True)), *[or_(has(E.name, w), and_(mine, has(E.uscc, w))) for w in words]]
        uscc = case((mine, E.uscc), else_=null())
    else:
        ent_where, uscc = like(E.name, E.uscc), E.uscc
    parts = [
        _frame(conn, select(L.kind, L.id, L.title, L.body.label("detail")).where(*like(L.title, L.body, L.tags)).limit(limit)),
        _frame(conn, select(FP.id, FP.name.label("title"), (Institution.short_name + " · " + FP.description).label("detail"))
               .join(Institution, Institution.id == FP.institution_id).where(*like(FP.name, Institution.short_name, FP.description))
               .limit(limit)).assign(kind="product"),
        _frame(conn, select(E.id, E.name.label("title"), uscc.label("detail")).where(E.park_id == park_id, *ent_where)
               .order_by(E.id).limit(limit)).assign(kind="enterprise"),
        _frame(conn, select(P.id, P.name.label("title"), P.code.label("detail"))
               .where(P.park_id == park_id, *project_visibility(scope), *like(P.name, P.code))
               .order_by(P.id).limit(limit)).assign(kind="project"),
    ]
    parts = [p for p in parts if not p.empty]
    return (pd.concat(parts, ignore_index=True)[["kind", "id", "title", "detail"]] if parts
            else pd.DataFrame(columns=["kind", "id", "title", "detail"]))
