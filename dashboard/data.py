"""How pages reach the database: the cached engine, cached loaders keyed on the data version, and `write` and
`read` for edits and the few uncached reads (account lists, import logs, one alert's history).

Every cached function depends only on its arguments; the data version (which `db.writing` changes on each
write) is one of them, so an edit, an import or a feed shows up on the next rerun without clearing caches by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard import stored_outlooks
from dashboard.energy import compute_enterprise_emissions
from data_access import credit_queries, db, explore_store, queries, reference, settings
from data_access.scope import FULL_ACCESS, Scope


# Every cached read below is keyed on the data version, which a feed changes every few minutes: unbounded, old
# versions piled up (about 2 MB each, 0.5 GB a day). Each cache keeps its latest `max_entries` results and drops
# any unused for an hour; `benchmarks/cache_memory.md` shows memory flat over 288 versions (a day of feeds).
CACHE_TTL_SECONDS = 3600


def cached(max_entries: int = 16):
    """`st.cache_data`, bounded: at most `max_entries` results, none older than CACHE_TTL_SECONDS."""
    return st.cache_data(show_spinner=False, max_entries=max_entries, ttl=CACHE_TTL_SECONDS)


@st.cache_resource(show_spinner=False)
def get_engine(url: str) -> Engine:
    engine = db.make_engine(url)
    db.ensure_schema(engine)
    return engine


def current_url() -> str:
    return settings.database_url()


def write(url: str, action, /, *args, **kwargs):
    """Run one edit, `action(conn, *args, **kwargs)`, in its own transaction through `db.writing` (which bumps the
    data version on commit), then make this session read the new version at once: the edit shows on the rerun.
    Errors propagate with nothing written."""
    with db.writing(get_engine(url)) as conn:
        result = action(conn, *args, **kwargs)
    data_version.clear()
    return result


def read(url: str, query, /, *args, **kwargs):
    """An uncached read, `query(conn, *args, **kwargs)`: for what must be current on every run (accounts, logs)."""
    with get_engine(url).connect() as conn:
        return query(conn, *args, **kwargs)


@st.cache_data(ttl=5, show_spinner=False, max_entries=8)
def data_version(url: str) -> str:
    """Re-read at most every 5 s; everything else is cached on its value."""
    with get_engine(url).connect() as conn:
        return db.data_version(conn)


def _loader(load, *params: str, max_entries: int = 16):
    """`load(conn, **kw)` from data_access as a page loader `(url, version, *args, **kwargs)`, cached on the data
    version: positional arguments are named by `params` in order; one left out takes the loader's own default."""

    def read_cached(url: str, version: str, *args, **kwargs):
        with get_engine(url).connect() as conn:
            return load(conn, **dict(zip(params, args)), **kwargs)

    read_cached.__name__ = read_cached.__qualname__ = load.__name__.removeprefix("load_")  # its own cache
    read_cached.__doc__ = load.__doc__
    return cached(max_entries)(read_cached)


# Loaders that read one query straight from data_access.
parks = _loader(queries.load_parks)
data_end = _loader(queries.load_data_end, "park_id")
factors = _loader(queries.load_emission_factors)
institutions = _loader(queries.load_institutions)
enterprises = _loader(queries.load_enterprises, "park_id", "scope")
enterprise_outputs = _loader(queries.load_enterprise_outputs, "park_id", "scope")
enterprise_loans = _loader(queries.load_enterprise_loans, "enterprise_id", "scope")
credit_by = _loader(credit_queries.load_credit_by, "park_id", "scope", "by", "inst_type", "institution_id", max_entries=64)
reclassifications = _loader(credit_queries.load_reclassifications, "park_id", "scope")
facilities = _loader(credit_queries.load_facilities, "park_id", "scope", "period", "institution_id", "inst_type")
direct_financing = _loader(credit_queries.load_direct_financing, "park_id", "scope")
policy_tools_by_institution = _loader(credit_queries.load_policy_tools_by_institution, "park_id", "scope")
tasks = _loader(credit_queries.load_tasks, "park_id", "scope")
park_institutions = _loader(credit_queries.load_institutions_in_park, "park_id", "scope")
institution_projects = _loader(credit_queries.load_institution_projects, "park_id", "scope", "institution_id")
alerts_about = _loader(credit_queries.load_alerts_about, "park_id", "scope", "institution_id")
assessment_weights = _loader(credit_queries.load_assessment_weights)
energy_monthly = _loader(queries.load_energy_monthly, "park_id", "scope")
explore = _loader(explore_store.run, max_entries=32)  # keyword arguments: the question (explore_store.run)


def policy_tool_rates() -> pd.DataFrame:
    """Rates of the structural policy tools by date (reference data, with sources)."""
    return reference.policy_tool_rates()


@cached()
def risk_rules(url: str, version: str) -> pd.DataFrame:
    """The active risk rules with their thresholds (rules are data)."""
    from data_access import risk_store

    with get_engine(url).connect() as conn:
        return risk_store.load_rules(conn)


@cached()
def targets(url: str, version: str, park_id: int, period: dt.date) -> pd.DataFrame:
    """The targets every view judges against at `period` (`stored_outlooks.park_targets`): the stored ones and
    the core indicator's, derived from the national band for the park's energy use under its method."""
    park = parks(url, version).set_index("id", drop=False).loc[park_id]
    monthly, _ = park_monthly(url, version, park_id, str(park["electricity_method"]), FULL_ACCESS)  # the band is a fact of the whole park
    with get_engine(url).connect() as conn:
        return stored_outlooks.park_targets(conn, park, period, factors(url, version), monthly)


@cached(32)
def park_monthly(url: str, version: str, park_id: int, method: str, scope: Scope) -> tuple[pd.DataFrame, list]:
    """`stored_outlooks.park_monthly`: the park's monthly series, with the loans and policy tools `scope` may see."""
    with get_engine(url).connect() as conn:
        return stored_outlooks.park_monthly(conn, park_id, method, scope, factors(url, version))


@cached()
def open_alerts(url: str, version: str, park_id: int, period: dt.date, scope: Scope) -> int | None:
    """Alerts open at the end of `period` (`risk.open_at_period_end`, the one definition); None in publicity mode."""
    from dashboard.risk import published_open_count

    return published_open_count(alerts(url, version, park_id, scope), period, scope)


@cached(16)
def enterprise_monthly(url: str, version: str, park_id: int, method: str, scope: Scope) -> pd.DataFrame:
    """Emissions and energy per enterprise and month (`compute_enterprise_emissions`)."""
    with get_engine(url).connect() as conn:
        energy = queries.load_enterprise_energy_monthly(conn, park_id=park_id, scope=scope)
    return compute_enterprise_emissions(energy, factors(url, version), method=method)


@cached(16)
def carbon_efficiency(url: str, version: str, park_id: int, method: str, scope: Scope) -> tuple[pd.DataFrame, int | None]:
    """Carbon-efficiency grades of the latest full year (`energy.compute_carbon_efficiency`), computed over every
    enterprise of the park (the sector benchmark is the whole sector's) and then narrowed to the enterprises
    `scope` may see. Returns (grades, year)."""
    from dashboard import energy

    per_ent = enterprise_monthly(url, version, park_id, method, FULL_ACCESS)
    if per_ent.empty:
        return pd.DataFrame(columns=energy.EFFICIENCY_COLUMNS), None
    annual = energy.compute_annual(per_ent)
    full_years = annual.loc[annual["months"] == 12, "year"]
    if not len(full_years):
        return pd.DataFrame(columns=energy.EFFICIENCY_COLUMNS), None
    year = int(full_years.max())
    grades = energy.compute_carbon_efficiency(annual, enterprise_outputs(url, version, park_id, FULL_ACCESS),
                                              enterprises(url, version, park_id, FULL_ACCESS), year)
    visible = set(enterprises(url, version, park_id, scope)["id"])
    return grades[grades["enterprise_id"].isin(visible)].reset_index(drop=True), year


@cached(8)
def emission_drivers(url: str, version: str, park_id: int, method: str) -> pd.DataFrame:
    """The yearly sector and carrier sums behind 'why emissions moved' (`lmdi.compute_sector_year`), over every
    enterprise of the park whoever asks (the same as `publication.gather_drivers`, from the cached reads)."""
    from dashboard import lmdi

    return lmdi.compute_sector_year(enterprise_monthly(url, version, park_id, method, FULL_ACCESS),
                                    enterprise_outputs(url, version, park_id, FULL_ACCESS),
                                    enterprises(url, version, park_id, FULL_ACCESS), factors(url, version), method=method)


@cached(8)
def financed_emissions(url: str, version: str, park_id: int, method: str, period: dt.date) -> pd.DataFrame:
    """Financed emissions per institution and borrower at the report months of `period` (`financed.report_periods`:
    year ends and the chosen month), over every institution's book: `financed.compute_financed` rows."""
    from dashboard import financed
    from dashboard.risk import gather_financed

    per_ent = enterprise_monthly(url, version, park_id, method, FULL_ACCESS)
    if per_ent.empty:
        return pd.DataFrame()
    periods = financed.report_periods(period, min(per_ent["period"]).year)
    with get_engine(url).connect() as conn:
        return gather_financed(conn, park_id=park_id, periods=periods, enterprise_monthly=per_ent)


@cached(8)
def green_loan_reductions(url: str, version: str, park_id: int, period: dt.date) -> pd.DataFrame:
    """Carbon reduction the institutions reported under the policy tools over the 12 months to `period`."""
    start = (pd.Timestamp(period) - pd.DateOffset(months=11)).date()
    with get_engine(url).connect() as conn:
        return credit_queries.load_green_loan_reductions(conn, park_id=park_id, start=start, end=period)


@cached(8)
def central_stress_path(url: str, version: str, park_id: int, method: str, period: dt.date) -> tuple[dict, pd.DataFrame] | None:
    """The park's central carbon-price scenario and the park's exposure along its path (`stress.compute_path`) at
    `period`, for the big screen; None when no central scenario is saved or there is no book."""
    from dashboard import stress
    from data_access import stress_store

    with get_engine(url).connect() as conn:
        central = stress_store.load_central(conn, park_id=park_id)
    rows = financed_emissions(url, version, park_id, method, period) if central else pd.DataFrame()
    if central is None or rows.empty or period not in set(rows["period"]):
        return None
    book = rows[rows["period"] == period]
    scenario = stress.Scenario(str(central["preset"]), central["prices"], central["covered_share"], central["threshold"])
    return central, stress.compute_path(book, book, scenario)


@cached(8)
def park_live(url: str, version: str, park_id: int) -> tuple[dt.date | None, pd.DataFrame]:
    """The latest day with hourly data and its hours (the live panel)."""
    with get_engine(url).connect() as conn:
        day = queries.load_last_hourly_day(conn, park_id=park_id)
        return day, (queries.load_park_hourly(conn, park_id=park_id, day=day) if day else pd.DataFrame())


@cached(16)
def assessment(url: str, version: str, park_id: int, period: dt.date, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The quarter's institution assessment as `scope` may see it: computed over every institution of the
    park (`finance.assess`), then narrowed to a reporter's own row (`finance.scope_assessment`).
    Returns (comparison, scores, context)."""
    from dashboard import finance

    everyone = FULL_ACCESS
    with get_engine(url).connect() as conn:
        by_inst = credit_queries.load_credit_by(conn, park_id=park_id, scope=everyone, by="institution")
        tasks_all = credit_queries.load_tasks(conn, park_id=park_id, scope=everyone)
        insts = credit_queries.load_institutions_in_park(conn, park_id=park_id, scope=everyone)
        weights = credit_queries.load_assessment_weights(conn)
    if by_inst.empty:
        return pd.DataFrame(), pd.DataFrame(), {"median_total": None, "n_assessed": 0, "rank_visible": False}
    scores, _totals, comparison = finance.assess(by_inst, tasks_all, insts, weights, period)
    return finance.scope_assessment(comparison, scores, scope.own_institution,
                                    rank_visible=settings.setting("REPORTER_SEES_RANK", "0") == "1")


@cached(16)
def outlooks(url: str, version: str, park_id: int, method: str, scope: Scope, period: dt.date) -> dict:
    """Forecasts of every headline indicator to 2030: stored after the last data load, or computed here when their
    inputs differ from the stored ones (`stored_outlooks.outlooks`); cached per park, method, month and data version."""
    monthly, _ = park_monthly(url, version, park_id, method, scope)
    tg = targets(url, version, park_id, period)
    with get_engine(url).connect() as conn:
        return stored_outlooks.outlooks(conn, monthly, tg, period)


@cached()
def alerts(url: str, version: str, park_id: int, scope: Scope) -> pd.DataFrame:
    from data_access import risk_store

    with get_engine(url).connect() as conn:
        return risk_store.load_alerts(conn, park_id=park_id, scope=scope)


@cached()
def projects(url: str, version: str, park_id: int, today: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(projects with funding and flags, syndicate members, milestones) of a park."""
    from dashboard.projects import compute_funding
    from data_access import project_store

    with get_engine(url).connect() as conn:
        return (compute_funding(project_store.load_projects(conn, park_id=park_id, today=today)),
                project_store.load_syndicates(conn, park_id=park_id), project_store.load_milestones(conn, park_id=park_id))


@cached(4)
def feed_rejections(url: str, version: str) -> pd.DataFrame:
    """The latest feed lines quarantined with their reason (`feed.load_rejections`)."""
    from data_access import feed

    with get_engine(url).connect() as conn:
        return feed.load_rejections(conn)


@cached()
def project_date_problems(url: str, version: str, park_id: int) -> pd.DataFrame:
    """Project and milestone dates outside what a page can draw, which the pages leave out and name."""
    from data_access import project_store

    with get_engine(url).connect() as conn:
        return project_store.load_date_problems(conn, park_id=park_id)


@cached()
def whitelist_state(url: str, version: str, park_id: int, period: dt.date) -> dict:
    """Criteria, guideline, versions, the current version's entries, scoring inputs with carbon grades, and the
    guideline's hits, for the whitelist page."""
    from dashboard import whitelist
    from dashboard.risk import enterprise_emissions
    from data_access import project_store, whitelist_store as ws

    with get_engine(url).connect() as conn:
        versions = ws.load_versions(conn, park_id=park_id)
        current = ws.load_entries(conn, version_id=int(versions.iloc[-1]["id"])) if not versions.empty else pd.DataFrame()
        previous = ws.load_entries(conn, version_id=int(versions.iloc[-2]["id"])) if len(versions) > 1 else pd.DataFrame()
        inputs = ws.load_scoring_inputs(conn, park_id=park_id, period=period)
        inputs["carbon_grade"] = inputs["enterprise_id"].map(whitelist.carbon_grades(
            conn, park_id=park_id, period=period, enterprise_monthly=enterprise_emissions(conn, park_id, period)))
        guideline = ws.load_guideline(conn)
        projects = project_store.load_projects(conn, park_id=park_id, today=period)
        hits = whitelist.guideline_hits(guideline, inputs, projects)
        return {"criteria": ws.load_criteria(conn), "guideline": guideline, "versions": versions, "current": current,
                "previous": previous, "inputs": inputs, "hits": hits, "projects": projects}


@cached()
def products(url: str, version: str) -> pd.DataFrame:
    from data_access import whitelist_store

    with get_engine(url).connect() as conn:
        return whitelist_store.load_products(conn)


@cached(64)
def library_search(url: str, version: str, park_id: int, scope: Scope, query: str) -> pd.DataFrame:
    """The resource library's search as `scope` may see it (decided in `whitelist_store.search_library`): kind,
    id, title, detail."""
    from data_access import whitelist_store

    with get_engine(url).connect() as conn:
        return whitelist_store.search_library(conn, park_id=park_id, scope=scope, query=query)


@cached(16)
def library_projects(url: str, version: str, park_id: int, scope: Scope, today: dt.date) -> pd.DataFrame:
    """The projects `scope` may match products for (`project_store.load_projects_for`), with funding and gap."""
    from dashboard.projects import compute_funding
    from data_access import project_store

    with get_engine(url).connect() as conn:
        return compute_funding(project_store.load_projects_for(conn, park_id=park_id, scope=scope, today=today))


@cached()
def whitelisted(url: str, version: str, park_id: int) -> frozenset[int]:
    """Enterprises on the park's current whitelist (without the scoring the whitelist page computes)."""
    from data_access import whitelist_store as ws

    with get_engine(url).connect() as conn:
        versions = ws.load_versions(conn, park_id=park_id)
        if versions.empty:
            return frozenset()
        entries = ws.load_entries(conn, version_id=int(versions.iloc[-1]["id"]))
    return frozenset(int(e) for e in entries.loc[entries["listed"].astype(bool), "enterprise_id"])


@cached(8)
def publication_bundle(url: str, version: str, park_id: int, period: dt.date, method: str, scope: Scope):
    """The aggregates the big screen, gallery, snapshots and briefing show (`publication.gather`)."""
    from dashboard.publication import gather

    with get_engine(url).connect() as conn:
        return gather(conn, park_id=park_id, period=period, scope=scope, method=method)


@cached(8)
def publication_charts(url: str, version: str, park_id: int, period: dt.date, method: str, scope: Scope, lang: str) -> dict:
    """The key charts of a park and month ({code: figure}, `publication.build_charts`)."""
    from dashboard.publication import build_charts

    return build_charts(publication_bundle(url, version, park_id, period, method, scope), lang)


def upload_preview(state: MutableMapping, url: str, kind: str, content: bytes, file_name: str, *, actor: str,
                   institution_id: int | None, version: str):
    """The preview of an uploaded file (`load.run_import(confirm=False)`: read-only, nothing written), computed
    once per file, kind, user and data version and kept in the session `state`: the reruns that every widget
    click causes do not read and check the file again (a large workbook took seconds and memory each time)."""
    import hashlib

    from data_access.ingest import load

    key = (kind, hashlib.sha256(content).hexdigest(), file_name, actor, institution_id, version)
    held = state.get("up_preview")
    if held is None or held[0] != key:
        held = (key, load.run_import(get_engine(url), kind, content, file_name, actor=actor, institution_id=institution_id,
                                     confirm=False))
        state["up_preview"] = held  # one preview per session: the previous file's is dropped
    return held[1]


def run_import(url: str, kind: str, content: bytes, file_name: str, *, actor: str, institution_id: int | None):
    """Import a checked file (`load.run_import`, one `db.writing` transaction, so a new data version) and, when it
    added or corrected rows, the guideline marks and risk rules, as after every load. The next rerun shows it."""
    from data_access.ingest import load

    from dashboard.checks import after_load

    result = load.run_import(get_engine(url), kind, content, file_name, actor=actor, institution_id=institution_id)
    if result.ok and (result.added or result.changed):
        write(url, after_load)
        stored_outlooks.refresh_in_background(url)  # the outlooks the forecast page reads, as after every load
    data_version.clear()
    return result


@cached()
def ledger_sums(url: str, version: str, park_id: int, scope: Scope, until: dt.date) -> pd.DataFrame:
    """The work ledgers' monthly sums the scope may see, to `until` (`ledger_store.monthly_sums`)."""
    from data_access import ledger_store

    with get_engine(url).connect() as conn:
        return ledger_store.monthly_sums(conn, park_id=park_id, scope=scope, until=until)


@cached()
def ledger_overdue(url: str, version: str, park_id: int, scope: Scope, today: dt.date) -> pd.DataFrame:
    """Overdue ledger entries at `today` per ledger and keeper (`ledger_store.overdue_counts`)."""
    from data_access import ledger_store

    with get_engine(url).connect() as conn:
        return ledger_store.overdue_counts(conn, park_id=park_id, scope=scope, today=today)


@cached()
def ledger_entries(url: str, version: str, park_id: int, ledger: str, scope: Scope, until: dt.date, today: dt.date,
                   overdue_only: bool = False) -> tuple[pd.DataFrame, bool]:
    """A ledger's entries the scope may list, and whether the list was cut (`ledger_store.load_entries`)."""
    from data_access import ledger_store

    with get_engine(url).connect() as conn:
        return ledger_store.load_entries(conn, park_id=park_id, ledger=ledger, scope=scope, until=until, today=today,
                                         overdue_only=overdue_only)


@cached()
def ledger_participation(url: str, version: str, park_id: int, scope: Scope, since: dt.date, until: dt.date) -> pd.DataFrame:
    """Consultations each department attended (`ledger_store.participation`)."""
    from data_access import ledger_store

    with get_engine(url).connect() as conn:
        return ledger_store.participation(conn, park_id=park_id, scope=scope, since=since, until=until)


def explore_rows(url: str, version: str, *, subject: str, dims: list, filters: dict, start: dt.date, end: dt.date,
                 scope: Scope, park_ids: list) -> pd.DataFrame:
    """The monthly rows of an Explore question (the page, the overview's pinned tiles): credit and policy tools from
    `explore_store.run`; the enterprise subject joins each park's enterprise emissions (`enterprise_monthly`) to the
    credit rows by enterprise (`explore.enterprise_rows`). Raises explore_store.QuestionError."""
    from dashboard.explore import enterprise_rows

    if subject != "enterprises":
        return explore(url, version, subject=subject, dims=dims, filters=filters, start=start, end=end, scope=scope,
                       park_ids=park_ids)
    if not park_ids:
        return pd.DataFrame()
    methods = parks(url, version).set_index("id")["electricity_method"]
    credit = explore(url, version, subject="credit", dims=["enterprise"], start=start, end=end, scope=scope,
                     park_ids=park_ids, filters={k: v for k, v in filters.items() if k == "institution"})
    monthly = pd.concat([enterprise_monthly(url, version, pid, str(methods[pid]), scope) for pid in park_ids])
    firms = pd.concat([enterprises(url, version, pid, scope).assign(park_id=pid) for pid in park_ids])
    return enterprise_rows(monthly, firms, credit, start=start, end=end, filters=filters, dims=dims)
