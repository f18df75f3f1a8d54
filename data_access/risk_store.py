"""Risk rules and alerts in the database, and the 识别—研判—提示—反馈 loop (§十三). No Streamlit here.

An alert moves identified -> assessed -> alerted -> feedback -> closed; it may be dismissed (with a reason)
while identified or assessed. Every step is an event row (who, when, what); nothing is deleted.
Re-running the rules never adds a second open alert for the same dedup key.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from data_access.models import (
    AppUser,
    CreditFacility,
    CreditSnapshot,
    EnergyDaily,
    Enterprise,
    Institution,
    Meter,
    Milestone,
    Park,
    Project,
    RiskAlert,
    RiskAlertEvent,
    RiskRule,
)
from data_access.taxonomy import OPEN_ALERT_STATES

# to_state -> (allowed from states, roles allowed, note required)
TRANSITIONS = {
    "assessed": (("identified",), ("pboc_analyst", "admin"), True),
    "alerted": (("assessed",), ("pboc_analyst", "admin"), False),
    "feedback": (("alerted",), ("institution_reporter", "pboc_analyst", "admin"), True),
    "closed": (("feedback",), ("pboc_analyst", "admin"), False),
    "dismissed": (("identified", "assessed"), ("pboc_analyst", "admin"), True),
}


class LoopError(ValueError):
    """A loop step that is not allowed. `code` names the reason (the page words it in the user's language from
    `dashboard.i18n` "rk.refused.<code>" with `params`); the message is the English for logs."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code, self.params = code, params


def load_rules(conn: Connection, *, active_only: bool = True) -> pd.DataFrame:
    """code, family, name_zh, name_en, description, params (dict), severity, owner_role, active."""
    r = RiskRule
    stmt = select(r.code, r.family, r.name_zh, r.name_en, r.description, r.params, r.severity, r.owner_role, r.active)
    if active_only:
        stmt = stmt.where(r.active.is_(True))
    result = conn.execute(stmt.order_by(r.family, r.code))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def record_alerts(conn: Connection, park_id: int, alerts: list[dict], *, actor: str = "rules") -> int:
    """Write new alerts; one whose dedup_key matches an open alert of the park is skipped. Returns how many
    were added. Each alert dict: rule_code, severity, subject_kind, subject_id, institution_id, period,
    evidence, suggested_action, dedup_key."""
    open_keys = set(conn.execute(select(RiskAlert.dedup_key).where(
        RiskAlert.park_id == park_id, RiskAlert.state.in_(OPEN_ALERT_STATES))).scalars())
    added = 0
    now = dt.datetime.now()
    for a in alerts:
        if a["dedup_key"] in open_keys:
            continue
        try:
            # A savepoint each: on PostgreSQL two rule runs (two imports at once) can raise the same alert together;
            # the unique index uq_risk_alert_open_key lets one in, and the other skips it instead of failing its load.
            with conn.begin_nested():
                alert_id = conn.execute(insert(RiskAlert).values(park_id=park_id, state="identified", created_at=now, **a)
                                        .returning(RiskAlert.id)).scalar_one()
                conn.execute(insert(RiskAlertEvent).values(alert_id=alert_id, from_state=None, to_state="identified",
                                                           actor=actor, note=None, at=now))
        except IntegrityError:
            open_keys.add(a["dedup_key"])
            continue
        open_keys.add(a["dedup_key"])
        added += 1
    return added


def transition(conn: Connection, alert_id: int, to_state: str, *, actor: str, role: str, note: str | None = None,
               institution_id: int | None = None) -> None:
    """Move an alert one step along the loop, or refuse with a LoopError that names the reason.

    A reporter (institution_id set) may only give feedback on alerts about its own institution.
    """
    if to_state not in TRANSITIONS:
        raise LoopError("unknown_step", f"unknown step {to_state!r}", to=to_state)
    allowed_from, roles, needs_note = TRANSITIONS[to_state]
    row = conn.execute(select(RiskAlert.state, RiskAlert.institution_id).where(RiskAlert.id == alert_id)).one_or_none()
    if row is None:
        raise LoopError("no_alert", f"no alert {alert_id}", id=alert_id)
    if row.state not in allowed_from:
        raise LoopError("wrong_state", f"an alert that is {row.state} cannot become {to_state} (allowed from: {', '.join(allowed_from)})",
                        state=row.state, to=to_state)
    if role not in roles:
        raise LoopError("role", f"the role {role} may not move an alert to {to_state}", role=role, to=to_state)
    if role == "institution_reporter" and row.institution_id != institution_id:
        raise LoopError("not_own", "a reporter may only answer alerts about its own institution")
    if needs_note and not (note and note.strip()):
        raise LoopError("needs_note", f"moving to {to_state} needs a note (assessment, reply or reason)", to=to_state)
    now = dt.datetime.now()
    values = {"state": to_state}
    if to_state in ("closed", "dismissed"):
        values["closed_at"] = now
    conn.execute(update(RiskAlert).where(RiskAlert.id == alert_id).values(**values))
    conn.execute(insert(RiskAlertEvent).values(alert_id=alert_id, from_state=row.state, to_state=to_state, actor=actor,
                                               note=note, at=now))


def load_alert_history(conn: Connection, alert_id: int) -> pd.DataFrame:
    """The loop steps of one alert: from_state, to_state, actor, actor_name (the account's display name, or None for
    the rule engine and the system), note, at."""
    e = RiskAlertEvent
    result = conn.execute(select(e.from_state, e.to_state, e.actor, AppUser.display_name.label("actor_name"), e.note, e.at)
                          .outerjoin(AppUser, AppUser.username == e.actor).where(e.alert_id == alert_id).order_by(e.at, e.id))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def load_rule_inputs(conn: Connection, *, park_id: int, period: dt.date) -> dict[str, pd.DataFrame]:
    """Everything the rules look at, aggregated in SQL, for one park at the end of `period` (a month start).

    facilities: one row per green or carbon-linked facility with its snapshot at `period`;
    certificates: green-power claims (any kind) that repeat MWh already claimed, by GEC serial or reference; enterprises: labels and reported shares;
    milestones: overdue milestones per project; meter_coverage: readings received vs expected per enterprise
    in `period`; reporting: institutions that reported `period` and the month before; revisions: facilities
    whose `period` snapshot has a later revision.
    """
    F, S = CreditFacility, CreditSnapshot
    def frame(stmt):
        r = conn.execute(stmt)
        return pd.DataFrame(r.fetchall(), columns=list(r.keys()))

    prev = (pd.Timestamp(period) - pd.DateOffset(months=1)).date()
    facilities = frame(
        select(F.id.label("facility_id"), F.institution_id, F.enterprise_id, F.project_id, F.is_green, F.carbon_linked,
               F.carbon_target_intensity, F.rate_discount_bp, F.start_date, S.balance, S.status, S.overdue_days)
        .join(S, (S.facility_id == F.id) & (S.period == period) & S.is_current.is_(True))
        .where(S.park_id == park_id))
    from data_access.queries import load_green_claims

    _claims, doubles = load_green_claims(conn, park_id=park_id)
    certificates = (doubles.groupby(["enterprise_id", "reference"])
                    .agg(times=("period", "size"), first=("first_period", "min"), last=("period", "max"),
                         double_mwh=("mwh_claimed_before", "sum"), claimed_first_as=("first_reference", "first"))
                    .reset_index())
    certificates["times"] += 1  # the first claim and each later one
    enterprises = frame(select(Enterprise.id.label("enterprise_id"), Enterprise.name, Enterprise.zero_carbon_label,
                               Enterprise.reported_green_share).where(Enterprise.park_id == park_id))
    milestones = frame(
        select(Milestone.project_id, func.min(Milestone.planned_date).label("earliest_overdue"), func.count().label("n_overdue"))
        .where(Milestone.status != "done", Milestone.planned_date < period).group_by(Milestone.project_id))
    month_end = (pd.Timestamp(period) + pd.offsets.MonthEnd(0)).date()
    hours = (month_end.day) * 24
    coverage = frame(
        select(EnergyDaily.enterprise_id, func.sum(EnergyDaily.n_readings).label("readings"))
        .where(EnergyDaily.park_id == park_id, EnergyDaily.day >= period, EnergyDaily.day <= month_end)
        .group_by(EnergyDaily.enterprise_id))
    meters = frame(select(Meter.enterprise_id, func.count().label("n_meters")).where(Meter.park_id == park_id).group_by(Meter.enterprise_id))
    coverage = meters.merge(coverage, on="enterprise_id", how="left")
    coverage["readings"] = coverage["readings"].astype(float).fillna(0.0)  # no readings at all this month -> 0
    coverage["expected"] = coverage["n_meters"] * hours
    reporting = frame(
        select(F.institution_id, S.period, func.count().label("n"))
        .join(S, S.facility_id == F.id).where(S.park_id == park_id, S.period.in_([prev, period]))
        .group_by(F.institution_id, S.period))
    revisions = frame(select(F.institution_id, S.facility_id, func.max(S.revision).label("revision"))
                      .join(S, S.facility_id == F.id).where(S.park_id == park_id, S.period == period)
                      .group_by(F.institution_id, S.facility_id).having(func.max(S.revision) > 1))
    for df, cols in ((reporting, ["period"]), (certificates, ["first", "last"])):
        for c in cols:
            if not df.empty:
                df[c] = pd.to_datetime(df[c]).dt.date
    return {"facilities": facilities, "certificates": certificates, "enterprises": enterprises, "milestones": milestones,
            "meter_coverage": coverage, "reporting": reporting, "revisions": revisions, "prev_period": prev}


def subject_name():
    """The name of what an alert is about (enterprise, institution's short name, project or park), as `subject_name`."""
    a = RiskAlert
    return func.coalesce(
        select(Enterprise.name).where((a.subject_kind == "enterprise") & (Enterprise.id == a.subject_id)).scalar_subquery(),
        select(Institution.short_name).where((a.subject_kind == "institution") & (Institution.id == a.subject_id)).scalar_subquery(),
        select(Project.name).where((a.subject_kind == "project") & (Project.id == a.subject_id)).scalar_subquery(),
        select(Park.name_zh).where((a.subject_kind == "park") & (Park.id == a.subject_id)).scalar_subquery(),
    ).label("subject_name")


def lender_name():
    """The short name of the institution an alert concerns, as `institution`."""
    return select(Institution.short_name).where(Institution.id == RiskAlert.institution_id).scalar_subquery().label("institution")


def load_alerts(conn: Connection, *, park_id: int, scope) -> pd.DataFrame:
    """Alerts of a park the scope may see (a reporter: those about its own institution; publicity: none).

    Columns: id, rule_code, severity, subject_kind, subject_id, subject_name, institution_id, institution (its short
    name), period, evidence, suggested_action, state, created_at, closed_at.
    """
    if scope.publicity_safe:
        return pd.DataFrame()
    a = RiskAlert
    conds = [a.park_id == park_id]
    if scope.own_institution is not None:
        conds.append(a.institution_id == scope.own_institution)
    result = conn.execute(select(a.id, a.rule_code, a.severity, a.subject_kind, a.subject_id, subject_name(),
                                 a.institution_id, lender_name(), a.period, a.evidence, a.suggested_action,
                                 a.state, a.created_at, a.closed_at)
                          .where(*conds).order_by(a.created_at.desc(), a.id.desc()))
    df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for col in ("created_at", "closed_at"):
        if not df.empty:
            df[col] = pd.to_datetime(df[col])
    return df


def next_steps(state: str, role: str) -> list[str]:
    """The loop steps a role may take from `state` (the same table `transition` enforces)."""
    return [to for to, (frm, roles, _note) in TRANSITIONS.items() if state in frm and role in roles]
