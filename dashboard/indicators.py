"""The one definition of every headline indicator: formula, stored unit, display unit, source.

Every page, the briefing and any export take indicator values from `compute_park_monthly` and format
them with the `Indicator` definitions here. Stored units: shares 0-1, emissions tCO2, energy tce,
money 万元; display units are what Chinese readers expect (%, 万吨CO2, 万吨标准煤, 亿元).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import carbon, formulas
from data_access.reference import reference_value


CORE_SOURCE = ("《国家级零碳园区建设指标体系（试行）》（《关于开展零碳园区建设的通知》发改环资〔2025〕910号配套文件）核心指标："
               "年综合能耗20–100万吨标准煤的园区单位能耗碳排放≤0.2 tCO2/tce，≥100万吨标准煤的≤0.3 tCO2/tce（据公开报道，官方文本待核）")


@dataclass(frozen=True)
class Indicator:
    code: str
    stored_unit: str
    display_unit_zh: str
    display_unit_en: str
    scale: float  # display value = stored value x scale
    decimals: int
    better: str  # 'higher' or 'lower'
    change: str  # how the change against last year is expressed: 'pp', 'pct' or 'abs'
    window: str  # 't12' = the 12 months ending in the period; 'end' = at the period end
    formula_zh: str
    formula_en: str
    source: str
    column: str  # column of compute_park_monthly holding the value
    scale_en: float | None = None  # English readers' scale when it differs (kt, not 10k t); None = `scale`

    def scale_for(self, lang: str) -> float:
        return self.scale if lang == "zh" or self.scale_en is None else self.scale_en

    def display(self, stored: float | None, lang: str = "zh") -> float | None:
        if stored is None or (isinstance(stored, float) and np.isnan(stored)):
            return None
        return stored * self.scale_for(lang)

    def unit(self, lang: str) -> str:
        return self.display_unit_zh if lang == "zh" else self.display_unit_en

    def format(self, stored: float | None, lang: str = "zh", *, with_unit: bool = True) -> str:
        value = self.display(stored, lang)
        if value is None:
            return "—"
        value = 0.0 if round(value, self.decimals) == 0 else value  # never "-0.0"
        text = f"{value:,.{self.decimals}f}"
        return f"{text} {self.unit(lang)}" if with_unit else text


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "green_power_share", "share", "%", "%", 100, 1, "higher", "pp", "t12",
            "绿电消费占比 =（自发自用可再生电量 − 其已售绿证 + 绿电直供 + 绿电交易 + 核销绿证×1 MWh）÷ 全部用电量；每1 MWh按绿证序列号只计一次，不超过用电量",
            "Green-power share = (own renewables - their certificates sold + direct green supply + green-power trades + certificates "
            "retired x 1 MWh) / total electricity consumed; each MWh counted once by GEC serial, capped at consumption",
            "口径为本看板定义（官方计算公式未见）；1张绿证=1 MWh：《关于做好可再生能源绿色电力证书全覆盖工作促进可再生能源电力消费的通知》（发改能源〔2023〕1044号）",
            "green_power_share_t12",
        ),
        Indicator(
            "total_emissions", "tCO2", "万吨CO2", "kt CO2", 1e-4, 1, "lower", "pct", "t12",
            "碳排放 = 煤炭×折标系数×单位标煤排放 + 天然气×排放因子 +（外购电量 − 绿电交易 − 绿证）× 不含市场化交易非化石电量的电网因子 + 外购热力×排放因子",
            "Emissions = coal x tce/t x tCO2/tce + gas x factor + (grid electricity - trades - certificates) "
            "x grid factor excluding market-traded green power + purchased heat x factor",
            "电网因子：生态环境部、国家统计局《关于发布2022年电力二氧化碳排放因子的公告》及2023年度同名公告（不含市场化交易非化石电量的全国因子自2022年度起发布，更早年份采用2022年值，见排放因子表）",
            "total_emissions_t12", scale_en=1e-3,
        ),
        Indicator(
            "carbon_per_energy", "tCO2/tce", "tCO2/tce", "tCO2/tce", 1, 2, "lower", "pct", "t12",
            "单位能耗碳排放 = 碳排放（tCO2）÷ 综合能耗（吨标准煤）；电力折标按园区设定（当量值/等价值）",
            "Carbon per unit of energy = emissions (tCO2) / energy consumed (tce); electricity converted by the "
            "park's method (calorific value or coal equivalent)",
            CORE_SOURCE,
            "carbon_per_energy_t12",
        ),
        Indicator(
            "clean_energy_share", "share", "%", "%", 100, 1, "higher", "pp", "t12",
            "清洁能源消费占比 = 绿电（按所选方法折标）÷ 综合能耗；天然气未计入清洁能源（口径假设）",
            "Clean-energy share = green power (converted by the chosen method) / total energy; natural gas "
            "is not counted as clean (an assumption about the definition)",
            "《国家级零碳园区建设指标体系（试行）》引导性指标≥90%（仅见二手来源，待与官方文本核对：假设）",
            "clean_energy_share_t12",
        ),
        Indicator(
            "solid_waste_reuse", "share", "%", "%", 100, 1, "higher", "pp", "t12",
            "工业固体废物综合利用率 = 综合利用量 ÷ 产生量（企业年度报送，尚未接入）",
            "Industrial solid-waste reuse = reused / generated (annual enterprise reports, not yet connected)",
            "《国家级零碳园区建设指标体系（试行）》引导性指标≥80%（仅见二手来源：假设）",
            "solid_waste_reuse",
        ),
        Indicator(
            "waste_heat_reuse", "share", "%", "%", 100, 1, "higher", "pp", "t12",
            "余热/余冷/余压综合利用率 = 回收利用量 ÷ 可回收量（企业年度报送，尚未接入）",
            "Waste heat, cold and pressure reuse = recovered / recoverable (annual reports, not yet connected)",
            "《国家级零碳园区建设指标体系（试行）》引导性指标≥50%（仅见二手来源：假设）",
            "waste_heat_reuse",
        ),
        Indicator(
            "water_reuse", "share", "%", "%", 100, 1, "higher", "pp", "t12",
            "工业用水重复利用率 = 重复利用水量 ÷ 总用水量（企业年度报送，尚未接入）",
            "Industrial water reuse = reused water / total water use (annual reports, not yet connected)",
            "《国家级零碳园区建设指标体系（试行）》引导性指标≥80%（仅见二手来源，数值最不确定：假设）",
            "water_reuse",
        ),
        Indicator(
            "total_energy", "tce", "万吨标准煤", "kt ce", 1e-4, 1, "lower", "pct", "t12",
            "综合能耗 = 电力（按所选方法折标）+ 原煤×0.7143 + 天然气×1.2143 kgce/m³ + 热力×0.03412 tce/GJ",
            "Energy consumed = electricity (chosen method) + coal x 0.7143 + gas x 1.2143 kgce/m3 + heat x 0.03412 tce/GJ",
            "折标系数：GB/T 2589-2020《综合能耗计算通则》（数值为常用引用值，待与标准文本核对，见排放因子表）",
            "energy_tce_t12", scale_en=1e-3,
        ),
        Indicator(
            "green_loan_balance", "万元", "亿元", "CNY 100m", 1e-4, 1, "higher", "pct", "end",
            "绿色贷款余额 = 月末各银行业金融机构对园区企业绿色贷款余额之和（当期有效版本）；绿色租赁等非银融资单列，不计入",
            "Green-loan balance = month-end balance of banks' green loans to park enterprises (current revisions); green leasing "
            "and other non-bank financing is shown apart, not included",
            "各金融机构月度报送；绿色贷款口径自2025年起调整（人民银行），与此前不完全可比",
            "green_balance",
        ),
        Indicator(
            "green_loan_growth", "share", "%", "%", 100, 1, "higher", "pp", "end",
            "绿色贷款余额同比增速 = 本月末余额 ÷ 上年同月末余额 − 1；分机构类型时上年同期按本月机构类型重述（可比口径）",
            "Green-loan YoY growth = balance at month end / balance a year earlier - 1; by institution type, last year is "
            "restated under this month's types (like-for-like)",
            "各金融机构月度报送",
            "green_balance_yoy",
        ),
        Indicator(
            "policy_tool_loans", "万元", "亿元", "CNY 100m", 1e-4, 2, "higher", "pct", "t12",
            "政策工具支持贷款 = 近12个月碳减排支持工具、科技创新和技术改造再贷款、贴息、风险补偿、绿色担保支持的贷款发放额",
            "Loans supported by policy tools = loans disbursed over 12 months under the carbon emission reduction tool, "
            "sci-tech relending, interest subsidy, risk compensation and green guarantee",
            "人民银行阳泉市分行、财政部门月度报送；中国人民银行2021-11-08推出碳减排支持工具，按贷款本金的60%提供资金支持",
            "policy_tool_loans_t12",
        ),
        Indicator(
            "open_alerts", "count", "条", "alerts", 1, 0, "lower", "abs", "end",
            "未办结风险预警 = 期末处于识别、研判、提示、反馈环节的预警数",
            "Open risk alerts = alerts identified, assessed, alerted or awaiting feedback at the period end",
            "风险“识别—研判—提示—反馈”闭环（行动方案§十三）",
            "open_alerts",
        ),
    )
}


def _roll12(s: pd.Series) -> pd.Series:
    return s.rolling(12, min_periods=12).sum()


def compute_park_monthly(energy: pd.DataFrame, credit: pd.DataFrame, tools: pd.DataFrame, factors: pd.DataFrame,
                         *, method: str = "calorific", region: str = "national") -> tuple[pd.DataFrame, list]:
    """All headline indicators per month, monthly and over the 12 months ending in each month.

    Parameters
    ----------
    energy : `load_energy_monthly` output (may be empty).
    credit : `load_credit_monthly` output, 万元 (may be empty).
    tools : `load_policy_tool_monthly` output, 万元 (may be empty).
    factors : `load_emission_factors` output.
    method : electricity conversion for tce, 'calorific' (当量值) or 'coal_equivalent' (等价值).

    Returns
    -------
    (frame, factors_used). The frame is indexed by month start (a complete monthly range, so rolling
    windows never jump a gap) with columns: total_electricity_kwh, green_power_kwh, total_emissions_t,
    energy_tce, green_power_tce, *_t12 sums and ratios (green_power_share_t12, total_emissions_t12,
    energy_tce_t12, carbon_per_energy_t12, clean_energy_share_t12), green_balance, total_balance,
    green_balance_yoy, green_share_of_lending, green_npl_ratio, policy_tool_loans, policy_tool_loans_t12.
    A 12-month value is NaN until 12 months of data exist.
    """
    periods = [p for df in (energy, credit, tools) if not df.empty for p in df["period"]]
    if not periods:
        return pd.DataFrame(), []
    index = pd.period_range(min(periods), max(periods), freq="M").to_timestamp().date
    out = pd.DataFrame(index=pd.Index(index, name="period"))
    used: list = []
    if not energy.empty:
        em, used_em = carbon.compute_emissions(energy, factors, region=region)
        tce, used_tce = carbon.compute_energy_tce(energy, factors, method=method)
        em = em.assign(energy_tce=tce, green_power_tce=carbon.compute_green_power_tce(em["green_power_kwh"], factors, method=method))
        used = used_em + used_tce
        em = em.set_index("period")
        for col in ("total_electricity_kwh", "green_power_kwh", "total_emissions_t", "energy_tce", "green_power_tce",
                    "scope1_coal_t", "scope1_gas_t", "scope2_electricity_t", "scope2_heat_t"):
            out[col] = em[col].reindex(out.index)
        out["green_power_share"] = formulas.green_power_share(out["green_power_kwh"], out["total_electricity_kwh"])
        for col in ("total_electricity_kwh", "green_power_kwh", "total_emissions_t", "energy_tce", "green_power_tce"):
            out[f"{col.removesuffix('_t').removesuffix('_kwh')}_t12"] = _roll12(out[col])
        out["green_power_share_t12"] = formulas.green_power_share(out["green_power_t12"], out["total_electricity_t12"])
        out["carbon_per_energy_t12"] = formulas.carbon_per_energy(out["total_emissions_t12"], out["energy_tce_t12"])
        out["clean_energy_share_t12"] = formulas.clean_energy_share(out["green_power_tce_t12"], out["energy_tce_t12"])
    if not credit.empty:
        cr = credit.set_index("period").reindex(out.index)
        out["green_balance"] = cr["green_balance"]
        out["total_balance"] = cr["total_balance"]
        if "green_nonbank_balance" in cr.columns:
            out["green_nonbank_balance"] = cr["green_nonbank_balance"]
        out["green_disbursed"] = cr["green_disbursed"]
        out["green_balance_yoy"] = formulas.yoy_growth(out["green_balance"], out["green_balance"].shift(12))
        out["green_share_of_lending"] = formulas.share_of(cr["green_balance"], cr["total_balance"])
        out["green_npl_ratio"] = formulas.share_of(cr["green_npl_balance"], cr["green_balance"])
        out["green_rate"] = formulas.ratio(cr["green_rate_weighted"], cr["green_balance"])
    suppressed = {p for p, _ in tools.attrs.get("suppressed", [])}  # publicity-safe: months with a tool left out
    if not tools.empty or suppressed:
        monthly = tools.groupby("period")["loan_amount"].sum() if not tools.empty else pd.Series(dtype=float)
        out["policy_tool_loans"] = monthly.reindex(out.index).fillna(0.0)
        out["policy_tool_suppressed"] = [p in suppressed for p in out.index]
        out.loc[out["policy_tool_suppressed"], "policy_tool_loans"] = np.nan  # a partial sum is not the total: not shown
        out["policy_tool_loans_t12"] = _roll12(out["policy_tool_loans"])
    return out, used


def trailing_label(period: pd.Timestamp | str, lang: str = "zh") -> str:
    """'2025-11至2026-10' for the 12 months ending in `period`."""
    end = pd.Period(str(period)[:7], freq="M")
    start = end - 11
    return f"{start}至{end}" if lang == "zh" else f"{start} to {end}"


def core_band(monthly: pd.DataFrame, period) -> tuple[float | None, str, float | None]:
    """The national core threshold that applies to the park at `period`: (threshold tCO2/tce, band, energy tce).

    The band is set by the park's energy use over the 12 months ending in `period` (the latest 12 months
    before it when that month has none), converted by the method `monthly` was computed with, which is the
    park's setting. band: 'mid' (20-100万 tce, ≤0.2), 'large' (≥100万 tce, ≤0.3), 'small' (below 20万 tce,
    no threshold found) or 'unknown' (no 12 months of energy data).
    """
    col = monthly["energy_tce_t12"] if "energy_tce_t12" in monthly.columns else pd.Series(dtype=float)
    known = col[[p <= period for p in col.index]].dropna() if not col.empty else col
    if known.empty:
        return None, "unknown", None
    energy = float(known.iloc[-1])
    band = ("large" if energy >= reference_value("core_band_large_tce").value else
            "mid" if energy >= reference_value("core_band_min_tce").value else "small")
    return carbon.core_indicator_threshold(energy), band, energy


def core_target(monthly: pd.DataFrame, period, *, target_year: int, method: str) -> dict | None:
    """The core indicator's target, derived from the national band (never stored): a target row like the
    stored ones (indicator, year, value, is_assumption, source) plus band, energy_tce and method.

    The threshold is the national one for the band; the year is the park's own target year, which no
    national document sets, so the row is marked as an assumption.
    """
    threshold, band, energy = core_band(monthly, period)
    if threshold is None:
        return None
    return {"indicator": "carbon_per_energy", "year": int(target_year), "value": threshold, "is_assumption": True,
            "assumption_part": "year",
            "source": CORE_SOURCE + "；按园区近12个月综合能耗定档；目标年份为园区自定（假设）",
            "band": band, "energy_tce": energy, "method": method}


def targets_in_force(stored: pd.DataFrame, monthly: pd.DataFrame, period, *, target_year: int, method: str) -> pd.DataFrame:
    """The targets every view judges against: the stored ones, with the core indicator's derived from its band
    (`core_target`) in place of any stored row, so the overview, the 2030 outlook, the energy page, the risk
    rules and the briefing all use the threshold the energy page draws. Column assumption_part says what an
    assumption mark is about: 'value' (the target itself) or 'year' (a national threshold; only its year is ours)."""
    cols = ["indicator", "year", "value", "is_assumption", "source"]
    base = stored[stored["indicator"] != "carbon_per_energy"] if not stored.empty else pd.DataFrame(columns=cols)
    base = base.assign(assumption_part="value")  # a stored target that is an assumption is one as a whole
    row = core_target(monthly, period, target_year=target_year, method=method)
    if row is None:
        return base.reset_index(drop=True)
    return pd.concat([base, pd.DataFrame([{k: row[k] for k in [*cols, "assumption_part"]}])], ignore_index=True)
