"""Projects (§六, §十一, §十五): the pipeline as the committee sees it, and the committee's edits.

Reads aggregate in SQL (what each project has secured, by kind of finance; its next and overdue milestones).
Every edit is one transaction that also writes the audit log, which is the project's history. Values are
checked by `dashboard.projects.validate_*` before they come here, and again by the database's constraints.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, case, false, func, insert, or_, select, update

from data_access.models import (
    AuditLog,
    CreditFacility,
    DirectFinancing,
    Enterprise,
    Institution,
    Milestone,
    Park,
    Project,
    SyndicateMember,
)
from data_access.scope import Scope

# How direct financing counts towards what a project has secured (issue 5: loans, bonds, funds, leasing).
INSTRUMENT_KIND = {"green_bond": "bonds", "transition_bond": "bonds", "sci_tech_bond": "bonds", "green_fund": "funds",
                   "equity_plus_debt": "funds", "financial_leasing": "leasing"}


def _frame(conn: Connection, stmt) -> pd.DataFrame:
    r = conn.execute(stmt)
    return _dates_in_window(pd.DataFrame(r.fetchall(), columns=list(r.keys())))


DATE_COLUMNS = {  # (table, column, what to call it): every date of a project a page draws
    ("project", "start_date"): ("开工日期", "start date"), ("project", "planned_completion"): ("计划完工日期", "planned completion"),
    ("milestone", "planned_date"): ("计划日期", "planned date"), ("milestone", "actual_date"): ("实际完成日期", "actual date"),
}


def date_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The dates a page can draw: the import's window (2000 to ten years ahead). A date outside it (stored before
    imports checked it, or written by hand) is left out of the pages, which name its row (`load_date_problems`)."""
    from data_access.ingest.validate import EARLIEST_DATE, YEARS_AHEAD

    today = today or dt.date.today()
    return EARLIEST_DATE, dt.date(today.year + YEARS_AHEAD, 12, 31)


def _dates_in_window(df: pd.DataFrame) -> pd.DataFrame:
    lo, hi = date_window()
    for (_, col), _ in DATE_COLUMNS.items():
        if col in df and not df.empty:
            df[col] = df[col].map(lambda d: d if isinstance(d, dt.date) and lo <= d <= hi else None)
    return df


def load_date_problems(conn: Connection, *, park_id: int) -> pd.DataFrame:
    """Rows whose dates lie outside `date_window`, so a page can say what it left out: code, project, milestone
    (empty for the project's own dates), column (Chinese, English), value."""
    lo, hi = date_window()
    rows = []
    for (table, col), (zh, en) in DATE_COLUMNS.items():
        model = Project if table == "project" else Milestone
        column = getattr(model, col)
        stmt = select(Project.code, Project.name, (Milestone.name if table == "milestone" else Project.code).label("milestone"), column)
        if table == "milestone":
            stmt = stmt.select_from(Milestone).join(Project, Project.id == Milestone.project_id)
        for code, name, milestone, value in conn.execute(stmt.where(Project.park_id == park_id, or_(column < lo, column > hi))):
            rows.append({"code": code, "project": name, "milestone": milestone if table == "milestone" else "",
                         "column_zh": zh, "column_en": en, "value": str(value)})
    return pd.DataFrame(rows, columns=["code", "project", "milestone", "column_zh", "column_en", "value"])


def project_visibility(scope: Scope) -> list:
    """Which projects a scope may see one by one, with their financing need and gap, as WHERE conditions.

    An institution reporter: only the projects its bank is on, that is, lead bank, a member of the syndicate, or
    lender of a facility for the project (the model has no separate invitation; being asked to lead or join is
    recorded as one of these). Publicity-safe mode: none. Everyone else who may open the projects or library
    pages: all of the park's projects.
    """
    if scope.publicity_safe:
        return [false()]
    own = scope.own_institution
    if own is None:
        return []
    on_syndicate = select(SyndicateMember.project_id).where(SyndicateMember.institution_id == own)
    financed = select(CreditFacility.project_id).where(CreditFacility.institution_id == own,
                                                       CreditFacility.project_id.is_not(None))
    return [or_(Project.lead_bank_id == own, Project.id.in_(on_syndicate), Project.id.in_(financed))]


def load_projects_for(conn: Connection, *, park_id: int, scope: Scope, today: dt.date) -> pd.DataFrame:
    """`load_projects` narrowed in the query to the projects `scope` may see (`project_visibility`)."""
    return _load_projects(conn, park_id=park_id, today=today, only=project_visibility(scope))


def load_projects(conn: Connection, *, park_id: int, today: dt.date) -> pd.DataFrame:
    """One row per project: id, code, name, category, stage, investment, financing_need, lead_bank_id, lead_bank,
    owner, enterprise_id, expected_reduction_t, start_date, planned_completion, on_negative_list, loans, bonds, funds,
    leasing (万元 committed), next_milestone, next_date, overdue_milestones. Every project of the park: for the roles
    that may open the projects page; the library reads `load_projects_for`."""
    return _load_projects(conn, park_id=park_id, today=today, only=[])


def _load_projects(conn: Connection, *, park_id: int, today: dt.date, only: list) -> pd.DataFrame:
    P, F, D, M = Project, CreditFacility, DirectFinancing, Milestone
    loans = (select(F.project_id, func.sum(F.amount).label("loans")).where(F.park_id == park_id, F.project_id.is_not(None))
             .group_by(F.project_id).subquery())
    kind = case(*[(D.instrument == k, v) for k, v in INSTRUMENT_KIND.items()], else_="funds")
    direct = _frame(conn, select(D.project_id, kind.label("kind"), func.sum(D.amount).label("amount"))
                    .where(D.park_id == park_id, D.project_id.is_not(None)).group_by(D.project_id, kind))
    projects = _frame(conn, select(
        P.id, P.code, P.name, P.category, P.stage, P.investment, P.financing_need, P.lead_bank_id,
        Institution.short_name.label("lead_bank"), Enterprise.name.label("owner"), P.enterprise_id, P.expected_reduction_t,
        P.start_date, P.planned_completion, P.on_negative_list, func.coalesce(loans.c.loans, 0).label("loans"))
        .outerjoin(Institution, Institution.id == P.lead_bank_id).outerjoin(Enterprise, Enterprise.id == P.enterprise_id)
        .outerjoin(loans, loans.c.project_id == P.id).where(P.park_id == park_id, *only).order_by(P.code))
    pending = _frame(conn, select(M.project_id, M.name, M.planned_date).join(P, P.id == M.project_id)
                     .where(P.park_id == park_id, M.status != "done").order_by(M.project_id, M.planned_date))
    for col in ("investment", "financing_need", "loans"):
        projects[col] = projects[col].astype(float)
    wide = (direct.assign(amount=direct["amount"].astype(float)).pivot_table(index="project_id", columns="kind", values="amount",
                                                                             aggfunc="sum") if not direct.empty else pd.DataFrame())
    for k in ("bonds", "funds", "leasing"):
        projects[k] = projects["id"].map(wide[k] if k in wide else pd.Series(dtype=float)).fillna(0.0)
    if not pending.empty:
        pending["planned_date"] = pd.to_datetime(pending["planned_date"]).dt.date
        first = pending.groupby("project_id").first()
        late = pending[pending["planned_date"] < today].groupby("project_id").size()
        projects["next_milestone"] = projects["id"].map(first["name"])
        projects["next_date"] = projects["id"].map(first["planned_date"])
        projects["overdue_milestones"] = projects["id"].map(late).fillna(0).astype(int)
    else:
        projects["next_milestone"], projects["next_date"], projects["overdue_milestones"] = None, None, 0
    return projects


def load_syndicates(conn: Connection, *, park_id: int) -> pd.DataFrame:
    """project_id, institution_id, institution, share, amount (万元)."""
    S = SyndicateMember
    df = _frame(conn, select(S.project_id, S.institution_id, Institution.short_name.label("institution"), S.share, S.amount)
                .join(Institution, Institution.id == S.institution_id).join(Project, Project.id == S.project_id)
                .where(Project.park_id == park_id).order_by(S.project_id, S.share.desc()))
    df["amount"] = df["amount"].astype(float)
    return df


def load_milestones(conn: Connection, *, park_id: int) -> pd.DataFrame:
    """project_id, id, name, planned_date, actual_date, status."""
    M = Milestone
    return _frame(conn, select(M.project_id, M.id, M.name, M.planned_date, M.actual_date, M.status)
                  .join(Project, Project.id == M.project_id).where(Project.park_id == park_id).order_by(M.project_id, M.planned_date))


def load_history(conn: Connection, *, project_id: int) -> pd.DataFrame:
    """The project's audit trail: at, actor, action, detail."""
    A = AuditLog
    return _frame(conn, select(A.at, A.actor, A.action, A.detail)
                  .where(A.entity == "project", A.entity_id == str(project_id)).order_by(A.at.desc(), A.id.desc()))


def _audit(conn: Connection, actor: str, action: str, project_id: int, detail: dict) -> None:
    conn.execute(insert(AuditLog).values(actor=actor, action=action, entity="project", entity_id=str(project_id), detail=detail))


def _project(conn: Connection, project_id: int):
    row = conn.execute(select(Project.id, Project.stage, Project.lead_bank_id).where(Project.id == project_id)).first()
    if row is None:
        raise LookupError(f"project {project_id} does not exist")
    return row


def add_project(conn: Connection, *, park_id: int, values: dict, actor: str) -> int:
    """Insert a project (values already validated) and log it. Returns the new id."""
    n = conn.execute(select(func.count()).select_from(Project).where(Project.park_id == park_id)).scalar_one()
    prefix = conn.execute(select(Park.code).where(Park.id == park_id)).scalar_one()
    code = f"{prefix}-P{n + 1:02d}"
    while conn.execute(select(Project.id).where(Project.code == code)).first():
        n += 1
        code = f"{prefix}-P{n + 1:02d}"
    pid = conn.execute(insert(Project).values(park_id=park_id, code=code, on_negative_list=False, **values)
                       .returning(Project.id)).scalar_one()
    _audit(conn, actor, "project_added", pid, {"code": code, **{k: str(v) for k, v in values.items()}})
    return pid


def set_stage(conn: Connection, *, project_id: int, stage: str, actor: str, note: str = "") -> None:
    before = _project(conn, project_id).stage
    if before == stage:
        return
    conn.execute(update(Project).where(Project.id == project_id).values(stage=stage))
    _audit(conn, actor, "stage_changed", project_id, {"from": before, "to": stage, "note": note})


def assign_lead_bank(conn: Connection, *, project_id: int, institution_id: int, actor: str) -> None:
    before = _project(conn, project_id).lead_bank_id
    conn.execute(update(Project).where(Project.id == project_id).values(lead_bank_id=institution_id))
    _audit(conn, actor, "lead_bank_assigned", project_id, {"from": before, "to": institution_id})


def record_milestone(conn: Connection, *, project_id: int, name: str, planned_date: dt.date, actual_date: dt.date | None,
                     actor: str) -> None:
    """Add a milestone, or complete the pending one of the same name (with its actual date)."""
    _project(conn, project_id)
    M = Milestone
    existing = conn.execute(select(M.id, M.planned_date).where(M.project_id == project_id, M.name == name, M.status != "done")).first()
    status = "done" if actual_date else ("overdue" if planned_date < dt.date.today() else "planned")
    if existing:
        conn.execute(update(M).where(M.id == existing.id).values(actual_date=actual_date, status=status, planned_date=planned_date))
        action = "milestone_done" if actual_date else "milestone_rescheduled"
    else:
        conn.execute(insert(M).values(project_id=project_id, name=name, planned_date=planned_date, actual_date=actual_date,
                                      status=status))
        action = "milestone_added"
    _audit(conn, actor, action, project_id, {"milestone": name, "planned": str(planned_date),
                                             "actual": str(actual_date) if actual_date else None})


def bank_ids(conn: Connection) -> dict[int, str]:
    return dict(conn.execute(select(Institution.id, Institution.short_name).order_by(Institution.id)).all())
