import pytest

from data_access.uscc import check_character, is_valid_uscc, make_uscc, uscc_problem

# Public codes quoted in open-source validators (GB 32100-2015 examples).
VALID = ["91350200776049653A", "91350500798359476R", "91440101MA5CJQ4N59", "913502000728319549",
         "9135021359498494XQ", "91350213678251743X", "91230184MA1BUFLT44"]


@pytest.mark.parametrize("code", VALID)
def test_public_codes_are_valid(code):
    assert uscc_problem(code) is None


def test_check_character_is_computed_from_the_first_17():
    assert check_character("91350200776049653") == "A"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350200776049653B", "check character is 'B', expected 'A'"),
        ("91350200776049653", "length 17, expected 18"),
        ("9135020077604965IA", "characters not allowed: I"),
        ("91350200776049653a", "characters not allowed: a"),
        ("0135020077604965XA", "registration authority '0' unknown"),
        ("913502A0776049653A", "administrative division (characters 3-8) must be digits"),
        (None, "not text"),
    ],
)
def test_invalid_codes_say_why(code, problem):
    assert problem in (uscc_problem(code) or "")
    assert not is_valid_uscc(code)


def test_generated_demo_codes_are_valid_and_distinct():
    codes = {make_uscc("140300", n) for n in range(1, 500)}
    assert len(codes) == 499
    assert all(is_valid_uscc(c) for c in codes)
    assert all(c[2:8] == "140300" for c in codes)
