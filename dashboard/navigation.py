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
    url_path: str
    roles: tuple[str, ...] = ROLES
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "page.overview", ":material/dashboard:", "nav.cockpit", "overview", default=True),
    PageSpec("pages/indicators.py", "page.indicators", ":material/menu_book:", "nav.methods", "indicators"),
)


def pages_for(role: str | None) -> list[PageSpec]:
    """The pages a role may open (all pages when no sign-in is configured)."""
    return [p for p in PAGES if role is None or role in p.roles]
