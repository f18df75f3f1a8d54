"""Unified social credit code (统一社会信用代码) per GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative division (6),
organisation code (9, itself GB 11714 with its own check digit), check character (1).
The alphabet has 31 symbols: digits and capital letters without I, O, Z, S, V.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Weight of position i is 3**i mod 31 (GB 32100-2015, 5.2).
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_REGISTRATION_AUTHORITIES = set("123456789ANY")


def check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a code."""
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise ValueError(f"need 17 characters from {ALPHABET!r}, got {first17!r}")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: object) -> str | None:
    """Explain why `code` is not a valid USCC, or return None when it is valid.

    The message is English; callers translate by the leading keyword if they need to.
    """
    if not isinstance(code, str):
        return "not text"
    if len(code) != 18:
        return f"length {len(code)}, expected 18"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return f"characters not allowed: {''.join(bad)} (letters I, O, Z, S, V and lower case are never used)"
    if code[0] not in _REGISTRATION_AUTHORITIES:
        return f"registration authority {code[0]!r} unknown"
    if not code[2:8].isdigit():
        return "administrative division (characters 3-8) must be digits"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]!r}, expected {expected!r}"
    return None


def is_valid_uscc(code: object) -> bool:
    return uscc_problem(code) is None


def organisation_code_check(first8: str) -> str:
    """GB 11714 check digit for an 8-character organisation code (used by the demo generator)."""
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(_VALUE[ch] * w for ch, w in zip(first8, weights))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def make_uscc(division: str, serial: int, *, authority: str = "9", org_type: str = "1") -> str:
    """Build a valid code for a fictitious organisation (demo data only)."""
    body8 = f"MA{serial:06d}"[-8:]
    org9 = body8 + organisation_code_check(body8)
    first17 = f"{authority}{org_type}{division}{org9}"
    return first17 + check_character(first17)
