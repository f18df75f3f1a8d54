"""融资排放 on screen (issue 20 §1): the analyst sees the park and every institution, a reporter its own institution
ranked among all and only its own borrowers, and the tiles show what the computation gives."""

from __future__ import annotations

import pytest

from dashboard import financed, i18n
from data_access import queries
from tests.pages.conftest import PERIOD
from tests.pages.test_pages import demo_user, sign_in


def open_page(monkeypatch, url, role):
    at = sign_in(monkeypatch, url, role)
    at.switch_page("pages/financed.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_analyst_sees_the_park_and_every_institution(monkeypatch, demo_sqlite, rows):
    at = open_page(monkeypatch, demo_sqlite.url, "pboc_analyst")
    park = financed.compute_summary(rows, None).set_index("period").loc[PERIOD]
    assert tiles(at)[i18n.t("fe.m.financed", "zh")] == i18n.amount(park["financed_t"], "co2", "zh", 2)
    assert tiles(at)[i18n.t("fe.m.quality", "zh")] == f"{park['quality']:.2f}"
    [table] = [d.value for d in at.dataframe if "强度排名（低者在前）" in d.value.columns]
    by_inst = financed.compute_summary(rows, "institution_id")
    n = int((by_inst["period"] == PERIOD).sum())
    assert len(table) == n and table["强度排名（低者在前）"].iloc[0] == f"1/{n}"
    assert table["融资排放（tCO2）"].sum() == pytest.approx(park["financed_t"], abs=n)  # rounded to the tonne
    [quality] = [d.value for d in at.dataframe if "PCAF评分" in d.value.columns]
    assert set(quality["PCAF评分"]) == {2, 5} and quality["PCAF评分"].iloc[0] == 5  # the estimated first


def test_a_reporter_sees_its_own_institution_ranked_among_all(monkeypatch, demo_sqlite, rows):
    own = demo_user(demo_sqlite.url, "institution_reporter").institution_id
    at = open_page(monkeypatch, demo_sqlite.url, "institution_reporter")
    by_inst = financed.compute_summary(rows, "institution_id")
    mine = by_inst[(by_inst["period"] == PERIOD) & (by_inst["group"] == own)].iloc[0]
    assert tiles(at)[i18n.t("fe.m.financed", "zh")] == i18n.amount(mine["financed_t"], "co2", "zh", 2)
    [table] = [d.value for d in at.dataframe if "强度排名（低者在前）" in d.value.columns]
    rank = financed.compute_ranks(by_inst, PERIOD)
    assert len(table) == 1 and table["强度排名（低者在前）"].iloc[0] == f"{rank[own]}/{rank.size}"
    assert not any("机构类型" in d.value.columns and "强度排名（低者在前）" not in d.value.columns and "PCAF评分" not in d.value.columns
                   for d in at.dataframe)  # no table by type for one institution
    [quality] = [d.value for d in at.dataframe if "PCAF评分" in d.value.columns]
    borrowers = rows[(rows["period"] == PERIOD) & (rows["institution_id"] == own)]["enterprise_id"].nunique()
    assert len(quality) == borrowers
    with demo_sqlite.engine.connect() as conn:
        short = queries.load_institutions(conn).set_index("id").loc[own, "short_name"]
    assert i18n.t("fe.download", "zh", who=short) in [b.proto.label for b in at.get("download_button")]
