"""Tables for display: code DataFrames in, labelled DataFrames out (column names in the UI language)."""

from __future__ import annotations

import pandas as pd

from dashboard import i18n
from dashboard.carbon import FactorChoice
from dashboard.indicators import INDICATORS


def factor_table(factors: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The factor table with labels; attrs['n_unconfirmed'] counts factors shown as assumptions."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    out = pd.DataFrame(
        {
            t("ind.col.factor"): [i18n.label("factor", f, lang) for f in factors["factor"]],
            t("ind.col.region"): [i18n.label("region", r, lang) for r in factors["region"]],
            t("ind.col.year"): [("—" if pd.isna(y) else str(int(y))) for y in factors["year"]],
            t("ind.col.value"): factors["value"].astype(float),
            t("ind.col.unit"): factors["unit"],
            t("ind.col.status"): [t("ind.status." + s) for s in factors["status"]],
            t("ind.col.note"): factors["note"].fillna(""),
            t("ind.col.source"): factors["source"].fillna(""),
        }
    )
    out.attrs["n_unconfirmed"] = int((factors["status"] == "unconfirmed").sum())
    return out


def fallback_notes(used: list[FactorChoice], lang: str) -> list[str]:
    """One sentence per factor year used in place of missing years (e.g. 2024-2026 use 2023)."""
    by_used: dict[tuple[int, str], list[int]] = {}
    for c in used:
        if c.year_wanted is not None and c.year_used is not None and c.year_used != c.year_wanted:
            by_used.setdefault((c.year_used, c.region_used), []).append(c.year_wanted)
    notes = []
    for (year_used, region), wanted in sorted(by_used.items()):
        years = sorted(set(wanted))
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        notes.append(i18n.t("ind.factor_fallback", lang, wanted=span, used=year_used, region=i18n.label("region", region, lang)))
    return notes


def target_table(targets: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Targets with values in display units and an explicit assumption mark."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    if targets.empty:
        return pd.DataFrame()
    rows = []
    for r in targets.itertuples():
        ind = INDICATORS.get(r.indicator)
        rows.append(
            {
                t("ind.col.name"): t("kpi." + r.indicator) if ("kpi." + r.indicator) in i18n.STRINGS else r.indicator,
                t("ind.col.target_year"): int(r.year),
                t("ind.col.target_value"): ind.format(r.value, lang) if ind else f"{r.value:g}",
                t("ind.col.assumption"): (t("ind.target.adopted") if not r.is_assumption else
                                          t("ind.target.year_assumption") if getattr(r, "assumption_part", "value") == "year"
                                          else t("ind.target.assumption")),
                t("ind.col.source"): r.source or "",
            }
        )
    return pd.DataFrame(rows)


def users_table(users: list[dict], institutions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Accounts for the admin page (never a hash): username, name, role, institution, status, last sign-in."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    names = dict(zip(institutions["id"], institutions["short_name"])) if not institutions.empty else {}
    rows = []
    for u in users:
        if not u["is_active"]:
            status = t("users.inactive")
        elif u["locked_until"] is not None and u["locked_until"] > pd.Timestamp.now():
            status = t("users.locked", until=f"{u['locked_until']:%Y-%m-%d %H:%M}")
        else:
            status = t("users.active")
        rows.append({
            t("users.col.username"): u["username"],
            t("users.col.display_name"): u["display_name"],
            t("users.col.role"): i18n.label("role", u["role"], lang),
            t("users.col.institution"): names.get(u["institution_id"], ""),
            t("users.col.active"): status,
            t("users.col.last_login"): "" if u["last_login_at"] is None else f"{u['last_login_at']:%Y-%m-%d %H:%M}",
        })
    return pd.DataFrame(rows)


def display_tokens_table(tokens: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Display links as the admin sees them: name, park, made by and when, status (never the token)."""
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    return pd.DataFrame({
        t("scr.token.name"): tokens["name"],
        t("app.park"): tokens["park" if lang == "zh" else "park_en"],
        t("rk.by"): tokens["created_by"],
        t("rk.when"): [f"{v:%Y-%m-%d %H:%M}" for v in tokens["created_at"]],
        t("scr.token.status"): [t("scr.token.active") if pd.isna(r) else t("scr.token.revoked_at", at=f"{r:%Y-%m-%d %H:%M}")
                                for r in tokens["revoked_at"]],
    })


def upload_preview_table(preview: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    """An import's rows as a reader checks them: headers in the UI language with units, codes by name, 是/否, blanks
    left blank (never "None")."""
    from data_access.ingest.kinds import KINDS

    out = pd.DataFrame(index=preview.index)
    for col in KINDS[kind].columns:
        if col.key not in preview.columns:
            continue
        values = preview[col.key]
        if col.label_kind:
            values = values.map(lambda v: "" if _blank(v) else i18n.label(col.label_kind, v, lang))
        elif col.type == "bool":
            values = values.map(lambda v: "" if _blank(v) else i18n.t("ca.yes" if bool(v) else "ca.no", lang))
        else:
            values = values.map(lambda v: "" if _blank(v) else v)
        name = col.zh if lang == "zh" else col.en
        out[f"{name}（{col.unit}）" if col.unit and lang == "zh" else f"{name} ({col.unit})" if col.unit else name] = values
    return out


def upload_history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import log: number, time, who, kind by name, file, a short checksum, rows added and corrected."""
    from data_access.ingest.kinds import KINDS

    t = lambda k: i18n.t(k, lang)  # noqa: E731
    if history.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        t("up.col.upload_id"): history["id"].astype(int),
        t("rk.when"): history["uploaded_at"].map(lambda v: f"{v:%Y-%m-%d %H:%M}"),
        t("rk.by"): history["uploaded_by"],
        t("up.kind"): history["kind"].map(lambda k: (KINDS[k].zh if lang == "zh" else KINDS[k].en) if k in KINDS else k),
        t("up.col.file"): history["file_name"],
        t("up.col.sha"): history["sha256"].map(lambda s: (s or "")[:12]),
        t("up.added"): history["rows_added"].astype(int),
        t("up.changed"): history["rows_changed"].astype(int),
    })


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT or v is pd.NA
