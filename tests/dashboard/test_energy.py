"""Enterprise-level energy and carbon computations on small hand-made frames."""

import datetime as dt

import pandas as pd
import pytest

from dashboard import energy


def months(start: str, n: int):
    return [p.to_timestamp().date() for p in pd.period_range(start, periods=n, freq="M")]


def monthly_frame(rows):
    """rows: (enterprise_id, period, emissions, tce)"""
    return pd.DataFrame([{"enterprise_id": e, "period": p, "total_emissions_t": em, "energy_tce": tce,
                          "total_electricity_kwh": 100.0, "green_power_kwh": 25.0} for e, p, em, tce in rows])


def enterprises():
    return pd.DataFrame({"id": [1, 2, 3], "name": ["甲", "乙", "丙"], "sector": ["equipment", "equipment", "computing_ai"],
                         "enterprise_class": ["green_low_carbon", "high_carbon_industrial", "data_center"]})


def test_annual_sums_and_partial_years():
    ms = months("2024-01", 14)
    df = monthly_frame([(1, m, 10.0, 4.0) for m in ms])
    out = energy.compute_annual(df).set_index("year")
    assert out.loc[2024, "total_emissions_t"] == 120 and out.loc[2024, "months"] == 12
    assert out.loc[2025, "months"] == 2  # partial
    assert out.loc[2024, "green_power_share"] == pytest.approx(0.25)


def test_trailing_windows_and_rankings():
    ms = months("2024-11", 24)
    rows = [(1, m, 100.0 if m.year < 2025 or m < dt.date(2025, 11, 1) else 80.0, 10.0) for m in ms]
    rows += [(2, m, 50.0, 5.0) for m in ms]
    rows += [(3, m, 10.0, 1.0) for m in ms]
    trailing = energy.compute_trailing(monthly_frame(rows), dt.date(2026, 10, 1)).set_index("enterprise_id")
    assert trailing.loc[1, "emissions_t"] == 12 * 80 and trailing.loc[1, "emissions_prev_t"] == 12 * 100
    assert trailing.loc[1, "change_pct"] == pytest.approx(-20.0)
    assert trailing["complete"].all()
    top = energy.compute_top_emitters(trailing.reset_index(), enterprises(), n=2)
    assert top["name"].tolist() == ["甲", "乙"]
    assert top["share"].iloc[0] == pytest.approx(960 / (960 + 600 + 120))
    improvers = energy.compute_biggest_improvers(trailing.reset_index(), enterprises(), min_prev_t=500)
    assert improvers["name"].tolist() == ["甲", "乙"]  # 丙 emitted too little to rank; 乙 did not change
    by_class = energy.compute_breakdown(trailing.reset_index(), enterprises(), "enterprise_class")
    assert by_class["group"].iloc[0] == "green_low_carbon" and by_class["share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(("k", "grade"), [(0.5, 1), (0.6, 1), (0.61, 2), (0.8, 2), (1.0, 3), (1.2, 3), (1.9, 4), (2.0, 4), (2.01, 5)])
def test_grade_cut_offs(k, grade):
    assert energy.grade_of(k) == grade


def test_carbon_efficiency_against_the_size_weighted_sector_benchmark():
    """Issue 16.8: the benchmark is the sector's total emissions over its total value added, not a simple mean."""
    ids = [1, 2, 3, 4, 5]
    ents = pd.DataFrame({"id": ids, "name": list("ABCDE"), "sector": ["equipment"] * 5, "enterprise_class": ["green_low_carbon"] * 5})
    # Monthly emissions 10, 30, 10, 10, 10 -> yearly 120, 360, 120, 120, 120; value added 100, 900, 100, 100, 100.
    rows = [(e, m, 30.0 if e == 2 else 10.0, 1.0) for e in ids for m in months("2025-01", 12)]
    annual = energy.compute_annual(monthly_frame(rows))
    outputs = pd.DataFrame({"enterprise_id": ids, "year": [2025] * 5, "output_value": [400.0] * 5,
                            "value_added": [100.0, 900.0, 100.0, 100.0, 100.0]})
    eff = energy.compute_carbon_efficiency(annual, outputs, ents, 2025).set_index("enterprise_id")
    # Intensities 1.2, 0.4, 1.2, 1.2, 1.2; simple mean 1.04, but the sector emits 840 t on 1,300 万元: 0.646.
    assert eff.loc[1, "intensity"] == pytest.approx(1.2) and eff.loc[2, "intensity"] == pytest.approx(0.4)
    assert eff.loc[1, "benchmark"] == pytest.approx(840 / 1300) and (eff["benchmark_kind"] == "park_sector").all()
    assert eff.loc[1, "k"] == pytest.approx(1.2 / (840 / 1300)) and eff.loc[1, "grade"] == 4
    assert eff.loc[2, "k"] == pytest.approx(0.4 / (840 / 1300)) and eff.loc[2, "grade"] == 2
    assert eff.loc[1, "sector_members"] == 5


def test_a_small_sector_is_measured_against_the_national_intensity():
    """A sector of one measured against itself was always grade 3; below 5 members the national figure is used."""
    rows = [(1, m, 10.0, 1.0) for m in months("2025-01", 12)] + [(3, m, 50.0, 1.0) for m in months("2025-01", 12)]
    annual = energy.compute_annual(monthly_frame(rows))
    outputs = pd.DataFrame({"enterprise_id": [1, 3], "year": [2025, 2025], "output_value": [400.0, 400.0],
                            "value_added": [100.0, 100.0]})
    national = pd.DataFrame({"sector": ["computing_ai"], "value": [2.0], "unit": ["tCO2/万元增加值"],
                             "status": ["assumption"], "source": ["test"]})
    eff = energy.compute_carbon_efficiency(annual, outputs, enterprises(), 2025, national=national).set_index("enterprise_id")
    assert eff.loc[3, "benchmark_kind"] == "national_sector" and eff.loc[3, "benchmark"] == 2.0
    assert eff.loc[3, "k"] == pytest.approx(6.0 / 2.0) and eff.loc[3, "grade"] == 5  # not grade 3 by construction
    # No park peers and no national figure: no grade rather than an invented one.
    assert eff.loc[1, "benchmark_kind"] == "none" and pd.isna(eff.loc[1, "grade"])
    # The shipped national table covers every sector of the taxonomy, each with its status and source.
    from data_access.reference import sector_intensities
    from data_access.taxonomy import SECTORS

    shipped = sector_intensities()
    assert set(shipped["sector"]) == set(SECTORS) and shipped["source"].str.len().min() > 0


def test_target_path_is_constant_rate_from_the_base_december():
    idx = months("2025-01", 12)
    series = pd.Series(range(100, 112), index=idx, dtype=float)
    path = energy.compute_target_path(series, 11.1, base_year=2025, target_year=2030).set_index("period")["path"]
    assert path.iloc[0] == 111 and path.loc[dt.date(2030, 12, 1)] == pytest.approx(11.1)
    assert path.loc[dt.date(2026, 12, 1)] == pytest.approx(111 * 0.1 ** 0.2)
    assert energy.compute_target_path(series, 10, base_year=2024, target_year=2030).empty


def _loans(start, green=True):
    return pd.DataFrame({"is_green": [green], "start_date": [start]})


def test_footprint_since_green_loans():
    ms = months("2023-01", 36)
    falling = monthly_frame([(1, m, 100.0 - i, 1.0) for i, m in enumerate(ms)])
    outputs = pd.DataFrame({"year": [2023, 2025], "value_added": [1000.0, 1000.0]})
    result = energy.compute_footprint_since_green_loans(falling, _loans(dt.date(2024, 1, 1)), outputs)
    assert result["comparable"] and result["improved"]
    assert result["emissions_change_pct"] < 0 and result["intensity_years"] == (2023, 2025)
    rising = monthly_frame([(1, m, 50.0 + i, 1.0) for i, m in enumerate(ms)])
    assert not energy.compute_footprint_since_green_loans(rising, _loans(dt.date(2024, 1, 1)), outputs)["improved"]
    late = energy.compute_footprint_since_green_loans(falling, _loans(dt.date(2025, 6, 1)), outputs)
    assert late == {"first_green_loan": dt.date(2025, 6, 1), "comparable": False}
    assert energy.compute_footprint_since_green_loans(falling, _loans(dt.date(2024, 1, 1), green=False), outputs) is None
