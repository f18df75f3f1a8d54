"""Work ledgers (工作台账, issue 23): the six ledgers' monthly sums, what is overdue, and the entries, each read
in the database and narrowed to what the scope may see.

Who sees what is decided here, not on the page:
- an institution reporter: its own institution's entries of the four institution ledgers, nothing of the
  departments' ledgers;
- publicity: the held columns, broadcasts and events of the outreach ledger, nothing else;
- a leader: the sums and the counts of what is overdue, not single entries;
- the PBOC analyst, the park committee and the administrator: everything.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, and_, case, func, or_, select, true

from data_access.models import CreditFacility, Enterprise, Institution, LedgerEntry, Project
from data_access.scope import Scope
from data_access.sqlfuncs import month_of
from data_access.taxonomy import INSTITUTION_LEDGERS, LEDGERS, PUBLICITY_OUTREACH

# Days an exemption case may wait for its decision before it counts as overdue: an assumption (the action plan asks
# for "提高尽职免责效率" and names no time limit); the page says so.
EXEMPTION_DECISION_DAYS = 60
ENTRY_LIMIT = 2000  # entries listed at once; the page says when a ledger holds more

SUM_COLUMNS = ["entries", "quantity", "amount", "amount_usd", "attendance", "reach"]


def _visible(scope: Scope):
    """The WHERE clause of the rows this scope may read."""
    L = LedgerEntry
    if scope.publicity_safe:
        return and_(L.ledger == "outreach", L.category.in_(PUBLICITY_OUTREACH), L.status == "held")
    own = scope.own_institution
    if own is not None:
        return and_(L.ledger.in_(INSTITUTION_LEDGERS), L.institution_id == own)
    return true()


def may_list_entries(scope: Scope) -> bool:
    """Single entries are for the analysts, the park committee, reporters (their own) and publicity (held events);
    a leader sees the sums."""
    return scope.role != "leader"


def monthly_sums(conn: Connection, *, park_id: int, scope: Scope, until: dt.date) -> pd.DataFrame:
    """Per ledger, month, category, status and keeper (institution or department): entries, and the sums of
    quantity, amount (万元), amount_usd (万美元), attendance and reach, for entries dated up to `until`."""
    L = LedgerEntry
    month = month_of(L.entry_date).label("month")
    stmt = (select(L.ledger, month, L.category, L.status, L.institution_id, L.department,
                   func.count().label("entries"), func.sum(L.quantity).label("quantity"), func.sum(L.amount).label("amount"),
                   func.sum(L.amount_usd).label("amount_usd"), func.sum(L.attendance).label("attendance"),
                   func.sum(L.reach).label("reach"))
            .where(L.park_id == park_id, L.entry_date <= until, _visible(scope))
            .group_by(L.ledger, month, L.category, L.status, L.institution_id, L.department)
            .order_by(L.ledger, month))
    rows = conn.execute(stmt).all()
    frame = pd.DataFrame(rows, columns=["ledger", "month", "category", "status", "institution_id", "department", *SUM_COLUMNS])
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["institution_id"] = frame["institution_id"].astype("Int64")
    for c in SUM_COLUMNS:
        frame[c] = pd.to_numeric(frame[c]).astype(float).fillna(0.0)
    return frame


def _overdue(today: dt.date):
    """The overdue rule of each ledger with dates of its own (the monthly ledgers' late reports are read from the
    sums): a follow-up or a consultation decision past its due day, an exemption case undecided after
    EXEMPTION_DECISION_DAYS, a planned event whose day has passed."""
    L = LedgerEntry
    return or_(
        and_(L.ledger == "adviser", L.status == "following", L.due_date < today),
        and_(L.ledger == "consultation", L.status == "open", L.due_date < today),
        and_(L.ledger == "exemption", L.category == "case", L.status == "applied",
             L.entry_date < today - dt.timedelta(days=EXEMPTION_DECISION_DAYS)),
        and_(L.ledger == "outreach", L.status == "planned", L.entry_date < today),
    )


def overdue_counts(conn: Connection, *, park_id: int, scope: Scope, today: dt.date) -> pd.DataFrame:
    """How many entries are overdue at `today`, per ledger and keeper: ledger, institution_id, department, overdue."""
    L = LedgerEntry
    rows = conn.execute(select(L.ledger, L.institution_id, L.department, func.count().label("overdue"))
                        .where(L.park_id == park_id, _overdue(today), _visible(scope))
                        .group_by(L.ledger, L.institution_id, L.department)).all()
    frame = pd.DataFrame(rows, columns=["ledger", "institution_id", "department", "overdue"])
    frame["institution_id"] = frame["institution_id"].astype("Int64")
    return frame


ENTRY_COLUMNS = ["id", "ledger", "owner", "ref", "institution_id", "institution", "department", "entry_date", "category", "status",
                 "title", "participants", "enterprise", "project_code", "project", "contract_no", "policy_tool", "quantity", "amount",
                 "amount_usd", "attendance", "reach", "due_date", "closed_on", "overdue"]


def load_entries(conn: Connection, *, park_id: int, ledger: str, scope: Scope, until: dt.date, today: dt.date,
                 overdue_only: bool = False, limit: int = ENTRY_LIMIT) -> tuple[pd.DataFrame, bool]:
    """A ledger's entries dated up to `until`, newest first, with the names of what they link to (institution,
    enterprise, project, loan contract) and whether each is overdue at `today`; and whether `limit` cut the list.
    Empty for a leader (sums only) and for a ledger the scope may not read."""
    if ledger not in LEDGERS or not may_list_entries(scope):
        return pd.DataFrame(columns=ENTRY_COLUMNS), False
    L, I, E, P, F = LedgerEntry, Institution, Enterprise, Project, CreditFacility
    late = _overdue(today)
    stmt = (select(L.id, L.ledger, L.owner, L.ref, L.institution_id, I.short_name.label("institution"), L.department, L.entry_date,
                   L.category, L.status, L.title, L.participants, E.name.label("enterprise"), P.code.label("project_code"),
                   P.name.label("project"), F.contract_no, L.policy_tool, L.quantity, L.amount, L.amount_usd, L.attendance, L.reach,
                   L.due_date, L.closed_on, late.label("overdue"))
            .outerjoin(I, I.id == L.institution_id).outerjoin(E, E.id == L.enterprise_id).outerjoin(P, P.id == L.project_id)
            .outerjoin(F, F.id == L.facility_id)
            .where(L.park_id == park_id, L.ledger == ledger, L.entry_date <= until, _visible(scope),
                   late if overdue_only else true())
            .order_by(L.entry_date.desc(), L.id.desc()).limit(limit + 1))
    rows = conn.execute(stmt).all()
    frame = pd.DataFrame(rows[:limit], columns=ENTRY_COLUMNS)
    frame["overdue"] = frame["overdue"].fillna(False).astype(bool)
    for c in ("amount", "amount_usd"):
        frame[c] = pd.to_numeric(frame[c]).astype(float)
    return frame, len(rows) > limit


def participation(conn: Connection, *, park_id: int, scope: Scope, since: dt.date, until: dt.date) -> pd.DataFrame:
    """How many consultations from `since` to `until` each department attended (led or present): department,
    meetings. Counted in the database, one CASE per department over the comma-joined codes."""
    from data_access.taxonomy import DEPARTMENTS

    L = LedgerEntry
    padded = "," + L.participants + ","  # ",ndrc,pboc," so that a code matches whole
    counts = [func.sum(case((or_(padded.like(f"%,{code},%"), L.department == code), 1), else_=0)).label(code) for code in DEPARTMENTS]
    row = conn.execute(select(*counts).where(L.park_id == park_id, L.ledger == "consultation", L.entry_date >= since,
                                             L.entry_date <= until, _visible(scope))).one()
    frame = pd.DataFrame({"department": list(DEPARTMENTS), "meetings": [int(v or 0) for v in row]})
    return frame[frame["meetings"] > 0].sort_values("meetings", ascending=False, kind="stable").reset_index(drop=True)
