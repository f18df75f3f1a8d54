"""自助分析 (Explore, issue 21 §1): a question built from a whitelist of subjects, dimensions and filters, run in the
database as one GROUP BY at month grain. No free SQL reaches here: every name is looked up in SUBJECTS and anything
else is refused. Scoping is the same as the fixed pages': a reporter's rows are its own institution's; publicity-safe
mode never groups or filters by institution or enterprise and leaves out cells resting on fewer than MIN_INSTITUTIONS
institutions or MIN_GROUP_SIZE borrowers (with the complementary cells credit_queries leaves out), listed in
attrs["suppressed"].

The sums are those of the fixed pages (credit_queries.credit_sums, the policy-tool columns), so a number here equals
the same number there. dashboard.explore turns the monthly rows into quarters or years and the measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, func, select

from data_access.credit_queries import F, S, _publishable, credit_sums
from data_access.models import Enterprise, Institution, PolicyToolUse
from data_access.queries import _as_date, _frame
from data_access.sqlfuncs import one_year_after
from data_access.scope import Scope

ROW_LIMIT = 20_000  # grouped rows at month grain; more is refused with a message, not cut silently

# PBOC's term split: short-term loans run up to one year, medium- and long-term ones longer (contract dates). Grouped
# as the true/false of that comparison and named afterwards (TERMS): PostgreSQL knows a boolean has two values and
# hashes the groups, where a CASE's text made it expect thousands and sort on disk (a question 7x slower at M).
_MEDIUM_LONG = F.maturity_date > one_year_after(F.start_date)
TERMS = {True: "medium_long", False: "short"}
_P = PolicyToolUse


@dataclass(frozen=True)
class Subject:
    dimensions: dict  # dimension code -> column
    components: tuple[str, ...]  # the summed columns the measures are made of
    single_rows: tuple[str, ...] = ("institution", "enterprise")  # dimensions publicity-safe mode never shows
    publicity: bool = True  # False: publicity-safe mode sees nothing of it (as the policy-tool page)


SUBJECTS: dict[str, Subject] = {
    "credit": Subject(
        dimensions={"inst_type": S.inst_type, "institution": F.institution_id, "enterprise_class": Enterprise.enterprise_class,
                    "sector": Enterprise.sector, "enterprise": F.enterprise_id, "product_line": F.product_line,
                    "term": _MEDIUM_LONG, "carbon_product": func.coalesce(F.carbon_product, "none"),
                    "policy_tool": func.coalesce(F.policy_tool, "none"), "park": S.park_id},
        components=("green_balance", "total_balance", "green_npl_balance", "green_disbursed")),
    "policy_tools": Subject(
        dimensions={"inst_type": Institution.inst_type, "institution": _P.institution_id, "policy_tool": _P.tool,
                    "park": _P.park_id},
        components=("loan_amount", "eligible_amount"), publicity=False),
}
DIMENSIONS = tuple(dict.fromkeys(d for s in SUBJECTS.values() for d in s.dimensions))


class QuestionError(ValueError):
    """A question outside the whitelist or the user's scope; `code` names what (the page words it)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


def run(conn: Connection, *, subject: str, dims: list[str], filters: dict[str, list], start: dt.date, end: dt.date,
        scope: Scope, park_ids: list[int], limit: int = ROW_LIMIT) -> pd.DataFrame:
    """Monthly sums of `subject` grouped by `dims` (at most two) between `start` and `end` (month starts), within
    `filters` ({dimension: [values]}) and the parks `park_ids`. Columns: period, the dims, the subject's components
    (and, in publicity-safe mode, the counts the disclosure rule rests on). Raises QuestionError for anything not
    whitelisted or not allowed."""
    spec = SUBJECTS.get(subject)
    if spec is None:
        raise QuestionError("subject", subject)
    if len(dims) > 2 or len(set(dims)) != len(dims):
        raise QuestionError("dims", ", ".join(dims))
    for name in [*dims, *filters]:
        if name not in spec.dimensions:
            raise QuestionError("dimension", name)
    if scope.publicity_safe:
        if not spec.publicity:
            raise QuestionError("publicity_subject", subject)
        # one dimension at most: the disclosure rule's complementary cells protect a group against subtraction from the
        # period's total, not from the subtotals of a second dimension
        if len(dims) > 1 or any(d in spec.single_rows for d in [*dims, *(k for k, v in filters.items() if v)]):
            raise QuestionError("publicity_dimension")
    if any(v not in TERMS.values() for v in filters.get("term") or ()):
        raise QuestionError("filter", "term")
    if not park_ids:
        return pd.DataFrame()
    cols = {d: spec.dimensions[d].label(d) for d in dims}
    if subject == "credit":
        needs_firm = any(d in ("sector", "enterprise_class") for d in [*dims, *(k for k, v in filters.items() if v)])
        stmt = _credit(scope, park_ids, start, end, join_enterprise=needs_firm)
    else:
        stmt = _policy_tools(scope, park_ids, start, end)
    for name, values in filters.items():
        if name == "term" and values and set(values) != set(TERMS.values()):
            stmt = stmt.where(_MEDIUM_LONG if "medium_long" in values else ~_MEDIUM_LONG)
        elif values and name != "term":
            stmt = stmt.where(spec.dimensions[name].in_(list(values)))
    period = (S.period if subject == "credit" else _P.period).label("period")
    stmt = stmt.add_columns(period, *cols.values()).group_by(period, *cols.values()).order_by(period, *cols.values())
    stmt = stmt.limit(limit + 1)
    df = _frame(conn, stmt)
    if len(df) > limit:
        raise QuestionError("too_many_rows", str(limit))
    if df.empty:
        return df
    df["period"] = _as_date(df["period"])
    if "term" in df:
        df["term"] = df["term"].map(lambda v: TERMS[bool(v)])
    for c in spec.components:
        df[c] = df[c].astype(float)
    if scope.publicity_safe:
        df = _suppress(df, dims)
    return df.reset_index(drop=True)


def _credit(scope: Scope, park_ids: list[int], start: dt.date, end: dt.date, *, join_enterprise: bool):
    """The credit sums; the distinct counts the disclosure rule needs only in publicity-safe mode (four COUNT DISTINCTs
    were most of a question's time at M), the enterprise table only when a dimension or filter is the firm's."""
    sums = credit_sums()
    conds = [S.park_id.in_(park_ids), S.is_current.is_(True), S.period >= start, S.period <= end]
    if scope.own_institution is not None:
        conds.append(F.institution_id == scope.own_institution)
    columns = [sums[c] for c in SUBJECTS["credit"].components]
    if scope.publicity_safe:
        columns += [sums[c] for c in ("n_institutions", "n_borrowers", "total_disbursed", "green_nonbank_balance",
                                      "n_nonbank_borrowers", "n_nonbank_institutions")]
    stmt = select(*columns).join(F, F.id == S.facility_id)
    if join_enterprise:
        stmt = stmt.join(Enterprise, Enterprise.id == F.enterprise_id)
    return stmt.where(*conds)


def _policy_tools(scope: Scope, park_ids: list[int], start: dt.date, end: dt.date):
    conds = [_P.park_id.in_(park_ids), _P.is_current.is_(True), _P.period >= start, _P.period <= end]
    if scope.own_institution is not None:
        conds.append(_P.institution_id == scope.own_institution)
    return (select(func.coalesce(func.sum(_P.loan_amount), 0).label("loan_amount"),
                   func.coalesce(func.sum(_P.eligible_amount), 0).label("eligible_amount"))
            .join(Institution, Institution.id == _P.institution_id).where(*conds))


def _suppress(df: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Publicity-safe cells: credit_queries' rule (primary and complementary), the dims taken together as the group."""
    df = df.copy()
    df["group"] = list(zip(*(df[d] for d in dims))) if dims else "total"
    out, suppressed, _ = _publishable(df, "explore" if dims else "total")
    out = out.drop(columns="group")
    out.attrs["suppressed"] = [(p, g) for p, g in suppressed]
    return out

