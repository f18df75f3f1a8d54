"""What a signed-in user may see. Query functions that touch institution-level data take a Scope
(keyword-only, no default), so a page cannot forget to filter.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_GROUP_SIZE = 5  # fewest enterprises behind a published aggregate in publicity-safe mode
MIN_INSTITUTIONS = 3  # fewest institutions behind a published aggregate in publicity-safe mode


@dataclass(frozen=True)
class Scope:
    role: str
    institution_id: int | None = None  # set for institution reporters: they see only this institution
    publicity_safe: bool = False  # aggregates only, and only over groups of at least MIN_GROUP_SIZE

    def __post_init__(self):
        if self.role == "institution_reporter" and self.institution_id is None:
            raise ValueError("an institution reporter's scope needs its institution")
        if self.role == "publicity" and not self.publicity_safe:  # the publicity role is never more than that
            object.__setattr__(self, "publicity_safe", True)

    @property
    def loan_level(self) -> bool:
        """May see single loans: PBOC analysts and admins, and reporters (for their own institution)."""
        return self.role in ("pboc_analyst", "admin", "institution_reporter") and not self.publicity_safe

    @property
    def own_institution(self) -> int | None:
        """The only institution whose rows this scope may read, or None for all."""
        return self.institution_id if self.role == "institution_reporter" else None

    def institution_filter(self, requested: int | None) -> int | None | bool:
        """Combine an explicit institution filter with the scope.

        Returns the institution id to filter on, None for no filter, or False when the request asks for
        another institution than the reporter's own (the caller returns nothing).
        """
        own = self.own_institution
        if own is None:
            return requested
        if requested is not None and requested != own:
            return False
        return own


FULL_ACCESS = Scope("pboc_analyst")
# The park's published aggregates (what the publicity platform shows): every role may see them, e.g. the park's green
# loans as the whole an institution's share is taken of.
PUBLISHED = Scope("publicity")
