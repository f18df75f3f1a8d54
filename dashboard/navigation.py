"""The pages of the app, their groups and the roles that may open them. Plain data; app.py builds st.navigation."""

from __future__ import annotations

from dataclasses import dataclass

from data_access.taxonomy import ROLES


@dataclass(frozen=True)
class PageSpec:
    path: str  # script under pages/
    title_key: str  # i18n key
    icon: str
    group_key: str  # i18n key of the navigation group
    url_path: str  # also the page's code for permission checks
    roles: tuple[str, ...] = ROLES
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "page.overview", ":material/dashboard:", "nav.cockpit", "overview", default=True),
    PageSpec("pages/forecast.py", "page.forecast", ":material/trending_up:", "nav.cockpit", "forecast",
             roles=("leader", "pboc_analyst", "park_committee", "admin")),
    PageSpec("pages/green_finance.py", "page.green_finance", ":material/account_balance:", "nav.finance", "green-finance"),
    PageSpec("pages/institutions.py", "page.institutions", ":material/corporate_fare:", "nav.finance", "institutions",
             roles=("pboc_analyst", "institution_reporter", "admin", "leader")),
    PageSpec("pages/financed.py", "page.financed", ":material/co2:", "nav.finance", "financed-emissions",
             roles=("leader", "pboc_analyst", "institution_reporter", "admin")),
    PageSpec("pages/stress.py", "page.stress", ":material/thermostat:", "nav.finance", "carbon-stress",
             roles=("leader", "pboc_analyst", "admin")),
    PageSpec("pages/policy_tools.py", "page.policy_tools", ":material/policy:", "nav.finance", "policy-tools",
             roles=("leader", "pboc_analyst", "institution_reporter", "admin")),
    PageSpec("pages/tasks.py", "page.tasks", ":material/checklist:", "nav.finance", "tasks",
             roles=("leader", "pboc_analyst", "park_committee", "institution_reporter", "admin")),
    PageSpec("pages/projects.py", "page.projects", ":material/view_timeline:", "nav.finance", "projects",
             roles=("leader", "pboc_analyst", "park_committee", "admin")),
    PageSpec("pages/whitelist.py", "page.whitelist", ":material/fact_check:", "nav.finance", "whitelist",
             roles=("leader", "pboc_analyst", "park_committee", "institution_reporter", "admin")),
    PageSpec("pages/library.py", "page.library", ":material/library_books:", "nav.finance", "library",
             roles=("leader", "pboc_analyst", "park_committee", "institution_reporter", "admin")),
    PageSpec("pages/ledgers.py", "page.ledgers", ":material/assignment:", "nav.finance", "ledgers",
             roles=("leader", "pboc_analyst", "park_committee", "institution_reporter", "publicity", "admin")),
    PageSpec("pages/risk.py", "page.risk", ":material/warning:", "nav.monitoring", "risk",
             roles=("leader", "pboc_analyst", "park_committee", "institution_reporter", "admin")),
    PageSpec("pages/energy.py", "page.energy", ":material/bolt:", "nav.monitoring", "energy"),
    PageSpec("pages/carbon_account.py", "page.carbon_account", ":material/eco:", "nav.monitoring", "carbon-account",
             roles=("pboc_analyst", "park_committee", "institution_reporter", "admin")),
    PageSpec("pages/explore.py", "page.explore", ":material/query_stats:", "nav.monitoring", "explore"),
    PageSpec("pages/indicators.py", "page.indicators", ":material/menu_book:", "nav.methods", "indicators"),
    PageSpec("pages/upload.py", "page.upload", ":material/upload_file:", "nav.methods", "upload",
             roles=("pboc_analyst", "park_committee", "institution_reporter", "admin")),
    PageSpec("pages/screen.py", "page.screen", ":material/tv:", "nav.publish", "screen",
             roles=("leader", "pboc_analyst", "park_committee", "publicity", "admin", "display")),
    PageSpec("pages/snapshots.py", "page.snapshots", ":material/photo_camera:", "nav.publish", "snapshots",
             roles=("leader", "pboc_analyst", "park_committee", "admin")),
    PageSpec("pages/gallery.py", "page.gallery", ":material/collections:", "nav.publish", "gallery",
             roles=("leader", "pboc_analyst", "park_committee", "publicity", "admin")),
    PageSpec("pages/briefing.py", "page.briefing", ":material/description:", "nav.publish", "briefing",
             roles=("leader", "pboc_analyst", "institution_reporter", "admin")),
    PageSpec("pages/subscriptions.py", "page.subscriptions", ":material/notifications:", "nav.methods", "subscriptions",
             roles=("leader", "pboc_analyst", "park_committee", "institution_reporter", "admin")),
    PageSpec("pages/users.py", "page.users", ":material/manage_accounts:", "nav.admin", "users", roles=("admin",)),
)
SIGN_IN = PageSpec("pages/sign_in.py", "page.sign_in", ":material/login:", "nav.cockpit", "sign-in")


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in navigation order."""
    return [p for p in PAGES if role in p.roles]


def may_open(role: str, url_path: str) -> bool:
    return any(p.url_path == url_path for p in pages_for(role))
