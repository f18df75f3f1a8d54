"""指标口径, the metric catalogue: every measure the product shows, with its formula, unit, period rule, the
tables it is computed from, its official source, and whether each threshold or target behind it is sourced
or our assumption. The 指标口径 page, the "口径" popover beside every chart and KPI, and the README's
indicator section (`python -m dashboard.catalogue --readme`) are all made from the entries here.

Headline indicators take their formula, unit and source from `dashboard.indicators.INDICATORS` (one
definition); the other measures are defined here. Thresholds come from `data_access/reference/*.csv`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import i18n
from dashboard.indicators import INDICATORS
from data_access.reference import reference_value

README = Path(__file__).resolve().parent.parent / "README.md"
README_START, README_END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"

_WINDOW = {"t12": ("近12个月合计，截至所选月份", "sum of the 12 months ending in the chosen month"),
           "end": ("所选月份月末时点", "at the end of the chosen month")}


@dataclass(frozen=True)
class Entry:
    code: str
    name: tuple[str, str]
    formula: tuple[str, str]
    unit: tuple[str, str]
    period: tuple[str, str]
    tables: tuple[str, ...]  # identifiers of TABLE_NAMES
    source: tuple[str, str]
    thresholds: tuple[str, ...] = ()  # codes of reference_values.csv
    notes: tuple[str, str] = ("", "")
    has_targets: bool = False  # the park's target table may hold targets for it (each marked sourced or assumption)

    def text(self, pair: tuple[str, str], lang: str) -> str:
        return pair[0] if lang == "zh" else pair[1]

    def tables_text(self, lang: str) -> str:
        if not self.tables:
            return i18n.t("cat.not_connected", lang)
        return ("、" if lang == "zh" else ", ").join(TABLE_NAMES[t][0 if lang == "zh" else 1] for t in self.tables)


_TABLES = {
    "green_power_share": ("energy_monthly", "green_power_transaction"),
    "total_emissions": ("energy_monthly", "green_power_transaction", "emission_factor"),
    "carbon_per_energy": ("energy_monthly", "green_power_transaction", "emission_factor", "park"),
    "clean_energy_share": ("energy_monthly", "green_power_transaction", "emission_factor", "park"),
    "solid_waste_reuse": (),
    "waste_heat_reuse": (),
    "water_reuse": (),
    "total_energy": ("energy_monthly", "emission_factor", "park"),
    "green_loan_balance": ("credit_snapshot", "credit_facility"),
    "green_loan_growth": ("credit_snapshot", "credit_facility"),
    "policy_tool_loans": ("policy_tool_use",),
    "open_alerts": ("risk_alert", "risk_alert_step"),
}
# What each table holds, for readers (the Chinese UI names tables by what they hold, not by identifier).
TABLE_NAMES = {
    "energy_monthly": ("能耗月度汇总（计量与报送）", "energy_monthly"),
    "green_power_transaction": ("绿电交易、绿证及已售绿证（按序列号去重）", "green_power_transaction"),
    "emission_factor": ("排放因子与折标系数表", "emission_factor"),
    "park": ("园区设定（电力折标方法、基准年、目标年）", "park"),
    "credit_snapshot": ("贷款月末余额（当期有效版本）", "credit_snapshot"),
    "credit_facility": ("授信合同", "credit_facility"),
    "policy_tool_use": ("政策工具使用月报（当期有效版本）", "policy_tool_use"),
    "risk_alert": ("风险预警", "risk_alert"),
    "risk_alert_step": ("预警处置记录", "risk_alert_step"),
    "task": ("任务清单", "task"),
    "assessment_weight": ("考核权重", "assessment_weight"),
    "enterprise_output": ("企业年度产值与增加值", "enterprise_output"),
    "enterprise": ("企业", "enterprise"),
    "enterprise_financials": ("企业年度财务数据（权益、负债、营业收入、息税前利润、利息）", "enterprise_financials"),
    "project": ("项目台账", "project"),
    "direct_financing": ("直接融资", "direct_financing"),
    "target": ("园区目标表", "target"),
    "ledger_entry": ("工作台账（六类台账共用一表）", "ledger_entry"),
}
_SOURCE_EN = {
    "green_power_share": "Our definition (no official formula found); 1 certificate = 1 MWh: NDRC notice on full coverage of green "
                         "electricity certificates (发改能源〔2023〕1044号)",
    "total_emissions": "Grid factors: MEE and NBS announcements of the 2022 and 2023 electricity CO2 emission factors (the national "
                       "factor excluding market-traded non-fossil power is published from 2022; earlier years use 2022; see the factor table)",
    "carbon_per_energy": "Core indicator of the national zero-carbon park indicator system (trial), companion to 发改环资〔2025〕910号: "
                         "≤0.2 tCO2/tce for parks using 200k-1m tce a year, ≤0.3 at or above 1m tce (as reported; official text not seen)",
    "clean_energy_share": "Guiding indicator ≥90 % of the national indicator system (trial), seen in secondary sources only (assumption)",
    "solid_waste_reuse": "Guiding indicator ≥80 % of the national indicator system (trial), secondary sources only (assumption)",
    "waste_heat_reuse": "Guiding indicator ≥50 % of the national indicator system (trial), secondary sources only (assumption)",
    "water_reuse": "Guiding indicator ≥80 % of the national indicator system (trial), secondary sources only, least certain (assumption)",
    "total_energy": "Conversion factors: GB/T 2589-2020 General principles for calculation of the comprehensive energy consumption "
                    "(commonly quoted values, to be checked against the standard; see the factor table)",
    "green_loan_balance": "Monthly reports of the institutions; PBOC revised the green-loan definition from 2025 (not fully comparable)",
    "green_loan_growth": "Monthly reports of the institutions",
    "policy_tool_loans": "Monthly reports (PBOC Yangquan branch, finance bureau); PBOC launched the carbon emission reduction "
                         "support tool on 2021-11-08, refinancing 60 % of principal",
    "open_alerts": "The identify-assess-alert-feedback loop of the action plan (§十三)",
}
_THRESHOLDS = {
    "carbon_per_energy": ("core_band_min_tce", "core_band_large_tce", "core_threshold_mid", "core_threshold_large"),
    "clean_energy_share": ("clean_energy_share_guide",),
    "solid_waste_reuse": ("solid_waste_reuse_guide",),
    "waste_heat_reuse": ("waste_heat_reuse_guide",),
    "water_reuse": ("water_reuse_guide",),
    "policy_tool_loans": ("carbon_reduction_tool_refinance_share", "sci_tech_relending_refinance_share"),
}
_TARGETED = {"green_power_share", "total_emissions", "carbon_per_energy", "clean_energy_share", "green_loan_balance",
             "solid_waste_reuse", "waste_heat_reuse", "water_reuse"}


def _from_indicator(code: str) -> Entry:
    ind = INDICATORS[code]
    return Entry(code, (i18n.t(f"kpi.{code}", "zh"), i18n.t(f"kpi.{code}", "en")), (ind.formula_zh, ind.formula_en),
                 (ind.display_unit_zh, ind.display_unit_en), _WINDOW[ind.window], _TABLES[code], (ind.source, _SOURCE_EN[code]),
                 _THRESHOLDS.get(code, ()), has_targets=code in _TARGETED)


_EXTRA = (
    Entry("green_share_of_lending", ("绿色贷款占各项贷款比重", "Green share of all lending"),
          ("= 月末绿色贷款余额 ÷ 月末各项贷款余额（均为银行业金融机构贷款）", "= green-loan balance / all loan balance at the month end (banks' loans)"),
          ("%", "%"), _WINDOW["end"], ("credit_snapshot", "credit_facility"),
          ("人民银行绿色贷款专项统计口径（2025年起调整）", "PBOC green-loan statistics (definition revised from 2025)")),
    Entry("green_npl_ratio", ("绿色贷款不良率", "Green-loan NPL ratio"),
          ("= 五级分类为不良的绿色贷款余额 ÷ 绿色贷款余额", "= non-performing green loans / green-loan balance"),
          ("%", "%"), _WINDOW["end"], ("credit_snapshot",), ("金融机构贷款五级分类报送", "Institutions' five-category loan classification")),
    Entry("green_nonbank_balance", ("绿色租赁等非银融资余额", "Green leasing and other non-bank financing"),
          ("= 非银行机构（租赁、证券等）绿色融资月末余额；单列，不计入绿色贷款", "= month-end green financing of non-banks (leasing etc.); shown apart, not in green loans"),
          ("亿元", "CNY 100m"), _WINDOW["end"], ("credit_snapshot", "credit_facility"),
          ("人民银行绿色贷款统计只含贷款；《银行业金融机构绿色金融评价方案》（2021）只评价银行",
           "PBOC green-loan statistics count loans only; the 2021 green-finance evaluation scheme scores banks only")),
    Entry("policy_tool_use_rate", ("政策工具使用率", "Policy-tool use rate"),
          ("= 近12个月政策工具支持贷款 ÷ 符合条件贷款", "= loans under the tool / eligible loans, 12 months"),
          ("%", "%"), _WINDOW["t12"], ("policy_tool_use",), ("人民银行阳泉市分行、财政部门月度报送", "Monthly reports (PBOC Yangquan branch, finance bureau)"),
          ("carbon_reduction_tool_refinance_share", "sci_tech_relending_refinance_share")),
    Entry("institution_assessment", ("机构考核得分", "Institution assessment"),
          ("= Σ 考核项得分 × 权重（定量80%：绿色贷款占比、市场份额、增速、不良率，按全部参评银行最优100、最差0；定性20%：任务完成率、按月报送率、新发放贷款绿色占比）；无可计量数据的考核项记为不适用，其权重按比例分摊",
           "= Σ item score x weight (80 % quantitative, scored among all assessed banks: best 100, worst 0; 20 % qualitative, by proxies); an item with nothing to measure is n/a and its weight is spread over the rest"),
          ("分（满分100）", "points (of 100)"), ("所选月份所在的最近完整季度", "the latest complete quarter"),
          ("credit_snapshot", "task", "assessment_weight"),
          ("《银行业金融机构绿色金融评价方案》（人民银行，2021-07-01起施行）：定量80%、定性20%；定性项的数据代理为本看板假设",
           "PBOC green-finance evaluation scheme for banks (in force 2021-07-01): 80 % quantitative, 20 % qualitative; the proxies for the qualitative items are our assumption"),
          notes=("只评价银行业金融机构；机构填报员只看到本机构得分与园区中位数。", "Banks only; a reporter sees its own score and the park median.")),
    Entry("carbon_grade", ("企业碳效等级", "Enterprise carbon-efficiency grade"),
          ("K = 企业单位增加值碳排放 ÷ 行业对标强度（园区同行业排放总量÷增加值总量；同行业少于5家时用全国行业强度）；按K值分1–5级",
           "K = enterprise emissions per 10k CNY value added / sector benchmark (the park sector's total emissions over its total value added; the national sector intensity below 5 members); grades 1-5 by K"),
          ("级（1最优）", "grade (1 best)"), ("最近完整年度", "the latest full year"),
          ("energy_monthly", "enterprise_output", "enterprise"), ("浙江省地方标准DB33/T 1347—2023 工业碳效码（分级界值据解读材料，待核）",
                                                            "Zhejiang standard DB33/T 1347—2023 industrial carbon-efficiency code (cut-offs from a secondary reading, unconfirmed)"),
          ("carbon_grade_k1", "carbon_grade_k2", "carbon_grade_k3", "carbon_grade_k4", "sector_benchmark_min_members")),
    Entry("financed_emissions", ("融资排放", "Financed emissions"),
          ("= Σ 贷款月末余额 ÷（借款企业上一年末所有者权益 + 负债）× 企业近12个月范围一、二排放；同一企业各机构贷款合计超过权益加负债时以贷款合计为分母；"
           "项目贷款按业主企业口径（假设）；缺失财务数据按同行业（权益+负债）/产值中位数估算（PCAF评分5，假设）",
           "= Σ month-end outstanding / (the borrower's equity + debt at the previous year end) x its scope 1 + 2 emissions over 12 months; the "
           "total lent is the denominator when lenders together lend more; project loans through the owner (assumption); missing accounts from "
           "the sector's median (equity + debt) per output (PCAF score 5, assumption)"),
          ("tCO2（万吨CO2）", "tCO2 (kt CO2)"), ("所选月份月末余额；企业排放为截至该月的近12个月", "month-end outstanding; the borrower's 12 months to the month"),
          ("credit_snapshot", "credit_facility", "enterprise_financials", "energy_monthly", "emission_factor", "enterprise_output"),
          ("PCAF《金融业温室气体核算和报告标准》A部分：融资排放（第2版，2022年12月）；中国人民银行《金融机构环境信息披露指南》（JR/T 0227—2021）",
           "PCAF Global GHG Accounting and Reporting Standard Part A: Financed Emissions (2nd ed., December 2022); PBOC JR/T 0227-2021"),
          notes=("全部机构、全部借款企业计算后再按权限显示；机构填报员只看到本机构及其在全部机构中的排名。",
                 "Computed over every institution and borrower, then narrowed: a reporter sees its own institution and its rank among all.")),
    Entry("financed_intensity", ("融资排放经济强度", "Financed-emissions intensity"),
          ("= 融资排放 ÷ 贷款余额（亿元）；加权平均碳强度WACI = Σ（对该企业余额 ÷ 机构余额）×（企业排放 ÷ 营业收入）",
           "= financed emissions / outstanding (CNY 100m); WACI = Σ (outstanding to the borrower / the institution's outstanding) x (emissions / revenue)"),
          ("tCO2/亿元；WACI：tCO2/万元营业收入", "tCO2 per CNY 100m; WACI: tCO2 per CNY 10k revenue"),
          ("各年12月末及所选月份月末", "each December and the chosen month's end"),
          ("credit_snapshot", "credit_facility", "enterprise_financials", "energy_monthly", "emission_factor"),
          ("PCAF A部分第2版（经济强度、WACI）；园区所需降速由基准年排放与2030年目标推算（目标为假设时随之为假设）",
           "PCAF Part A 2nd ed. (economic intensity, WACI); the park's required pace from the base year's emissions and the 2030 target (an assumption when the target is)"),
          has_targets=True),
    Entry("carbon_stress", ("碳价压力测试敞口", "Exposure under a carbon-price stress test"),
          ("新增碳成本 = 企业近12个月排放 × 碳价 × 需付碳价的排放比例；测试后利息保障倍数 =（息税前利润 − 新增碳成本）÷ 利息费用，低于阈值为承压；"
           "机构敞口 = 对承压企业的贷款余额，占比 = 敞口 ÷ 机构贷款余额",
           "extra cost = the borrower's 12 months' emissions x price x share priced; interest cover after = (EBIT - extra cost) / interest, "
           "stressed below the threshold; an institution's exposure = its outstanding to stressed borrowers, share = exposure / its outstanding"),
          ("亿元、%", "CNY 100m, %"), ("所选月份月末余额；所选测试年份的碳价", "month-end outstanding; the price of the year tested"),
          ("credit_snapshot", "credit_facility", "enterprise_financials", "energy_monthly", "emission_factor"),
          ("方法为本看板设定；碳价路径、需付碳价的排放比例与阈值均为假设", "The method is ours; the price paths, share priced and threshold are assumptions"),
          notes=("静态测试：资产负债表不变，不考虑成本转嫁与减排；未报财务数据的企业不测试并单列；页面先列碳价本身新增的承压企业，再列无碳价时已承压的企业。",
                 "Static: balance sheets held, no pass-through or abatement; borrowers without accounts are not tested and shown apart; the page gives what the price itself adds before what was weak without it.")),
    Entry("emission_drivers", ("排放变化因素分解", "Why emissions moved (decomposition)"),
          ("ΔC = Σ各因素效应；因素x的效应 = Σ_行业,能源品种 L(C_T, C_0)·ln(x_T/x_0)，L(a,b) = (a−b)/(ln a − ln b)；"
           "C = 增加值总量 × 行业占比 × 单位增加值能耗 × 能源品种占比 ×（1 − 绿电占比，仅电力）× 单位非绿电排放（仅电力）× 化石能源排放系数（仅煤、气、热）；"
           "新出现或消失的项计入链条中第一个为0的因素；未报增加值企业的排放变化单列",
           "ΔC = the sum of the effects; the effect of factor x = Σ over sector and carrier of L(C_T, C_0)·ln(x_T/x_0), L(a,b) = (a-b)/(ln a - ln b); "
           "C = total value added x sector share x energy per value added x carrier share x (1 - green share, electricity only) x emissions per tce "
           "of grid power (electricity only) x fuel factors (coal, gas, heat only); a term that appears or vanishes goes to the first zero factor "
           "of the chain; enterprises without value added are a separate bar"),
          ("万吨CO2", "kt CO2"), ("两个完整年度之间（能耗满12个月且报送工业增加值）", "between two full years (12 months of energy and reported value added)"),
          ("energy_monthly", "green_power_transaction", "emission_factor", "enterprise_output", "enterprise", "park"),
          ("对数平均迪氏指数加法分解（LMDI-I）：B. W. Ang 2005年论文《LMDI分解分析实用指南》（能源政策期刊第33卷，867–871页）",
           "Additive LMDI-I: B. W. Ang (2005), The LMDI approach to decomposition analysis: a practical guide, Energy Policy 33, 867-871"),
          notes=("分解在全园区企业上计算；宣传模式只列企业数不少于5家的行业。能源结构与能源强度两项随电力折标方法（当量值/等价值）而变，两项之和不变。",
                 "Computed over every enterprise of the park; publicity mode lists only sectors of at least 5 enterprises. The split between energy mix and "
                 "intensity depends on the electricity conversion method; their sum does not.")),
    Entry("financing_gap", ("项目融资缺口", "Project financing gap"),
          ("= 融资需求 − 已落实（已签约贷款 + 债券 + 基金 + 租赁），不小于0；投运前缺口≥25%标为资金不足",
           "= financing need - secured (committed loans + bonds + funds + leasing), never below 0; short of money when the gap is at least 25 % before operation"),
          ("亿元", "CNY 100m"), ("所选月份月末", "at the end of the chosen month"),
          ("project", "credit_facility", "direct_financing"), ("园区管委会项目台账（行动方案§十一）；25%为本看板设定（假设）",
                                                         "The park committee's project ledger (action plan §十一); the 25 % is ours (assumption)")),
    Entry("task_completion", ("任务完成率", "Task completion"),
          ("= 已完成任务数 ÷ 截至所选日期已到期任务数", "= tasks done / tasks due by the date"),
          ("%", "%"), ("所选年度，截至所选月份月末", "the chosen year, to the end of the chosen month"), ("task",),
          ("年度任务清单（行动方案§一）", "The yearly task list (action plan §一)")),
    Entry("target_progress", ("目标进度", "Progress to target"),
          ("= （当前值 − 基准年末值）÷（目标值 − 基准年末值）；路径：占比类直线，数量类按固定年率",
           "= (value now - value at the base-year end) / (target - base value); path straight for shares, constant rate for quantities"),
          ("%", "%"), ("基准年（2025年）12月至目标年12月", "December of the base year (2025) to December of the target year"),
          ("target", "park"), ("基准年2025年（据公开报道，假设）；路径形状为本看板设定（假设）",
                                                     "Base year 2025 (as reported; an assumption); the shape of the path is ours (assumption)"),
          has_targets=True),
    Entry("ledger_adviser", ('金融顾问服务', 'Financial-adviser services'),
          ('顾问服务 = 服务记录条数；促成融资 = 服务结果为“已促成融资”的记录所填金额之和（通常为关联贷款的合同金额）；跟进超期 = 跟进中且下次跟进日期已过', "visits = entries; financing that followed = the amounts of entries whose outcome is financing (usually the linked loan's contract amount); overdue = following up past the next follow-up day"),
          ('次、万元', 'visits, CNY 10k'), ('本年1月至所选月份累计', 'January to the chosen month'), ("ledger_entry",),
          ("《金融支持阳泉市零碳园区高质量发展的行动方案》（阳政办发〔2026〕13号）§九；台账口径为本看板设定",
           "Yangquan action plan on finance for zero-carbon parks (阳政办发〔2026〕13号) §九; the ledger's definitions are ours"),
          notes=('', '')),
    Entry("ledger_fx", ('外汇与跨境融资便利化', 'FX and cross-border facilitation'),
          ('便利化业务金额 = Σ 各机构按月报送的经常项目外汇便利化、贸易外汇收支便利化试点和跨境融资便利化金额；便利化业务笔数同；其中跨境融资 = 跨境融资便利化的金额；未报送 = 以前报送过、所选月份未报送的机构', 'amount = Σ the monthly amounts each institution sends for current-account facilitation, the trade FX pilot and cross-border financing; transactions likewise; late = an institution that sent earlier months but not the chosen one'),
          ('万美元、笔', 'USD 10k, transactions'), ('本年1月至所选月份累计', 'January to the chosen month'), ("ledger_entry",),
          ("《金融支持阳泉市零碳园区高质量发展的行动方案》（阳政办发〔2026〕13号）§六；台账口径为本看板设定",
           "Yangquan action plan on finance for zero-carbon parks (阳政办发〔2026〕13号) §六; the ledger's definitions are ours"),
          notes=('演示数据的业务规模与1美元=7.1元的折算均为假设。', "The demo's volumes and the 7.1 yuan per dollar conversion are assumptions.")),
    Entry("ledger_exemption", ('尽职免责', 'Due-diligence exemption'),
          ('三张清单在册条目 = 尽职要求清单、免责情形清单、不予免责清单中状态为“有效”的条目数；申请 = 免责认定申请件数，认定免责 = 其中认定免责的件数；超期 = 申请后超过60天未认定（60天为假设）', 'items in force = entries of the three lists in force; cases = exemption cases applied; exempted = of which exempted; overdue = undecided 60 days after applying (60 days is an assumption)'),
          ('条、件', 'items, cases'), ('本年1月至所选月份累计；三张清单为所选月份末在册', "January to the chosen month; the lists: in force at the month's end"), ("ledger_entry",),
          ("《金融支持阳泉市零碳园区高质量发展的行动方案》（阳政办发〔2026〕13号）§六（“依托3张清单建立健全尽职免责工作机制”；清单名称为本看板设定）；台账口径为本看板设定",
           "Yangquan action plan on finance for zero-carbon parks (阳政办发〔2026〕13号) §六 (three lists; their names are ours); the ledger's definitions are ours"),
          notes=('', '')),
    Entry("ledger_payment", ('支付服务', 'Payment services'),
          ('新开企业账户 = Σ 月报户数；绿色通道办理 = Σ 月报笔数；支付受理终端布设 = Σ 月报台数；未报送同外汇台账', 'accounts opened, green-channel cases and terminals = Σ the monthly counts; late as for the FX ledger'),
          ('户、笔、台', 'accounts, cases, terminals'), ('本年1月至所选月份累计', 'January to the chosen month'), ("ledger_entry",),
          ("《金融支持阳泉市零碳园区高质量发展的行动方案》（阳政办发〔2026〕13号）§六；台账口径为本看板设定",
           "Yangquan action plan on finance for zero-carbon parks (阳政办发〔2026〕13号) §六; the ledger's definitions are ours"),
          notes=('', '')),
    Entry("ledger_outreach", ('人才培养与宣传', 'Talent and publicity'),
          ("举办活动 = 状态为“已举办”的培训、交流和专场活动场数；刊播专栏、直播 = 已刊播的专栏和直播期数；线下参加、线上阅读观看为其所填人次之和；"
           "计划日期已过未登记举办为逾期",
           "events held = training, seminars and events marked held; columns and broadcasts = those published; attendance and online reach "
           "summed over them; a planned one past its day is overdue"),
          ("场、期、人次", "events, issues, people, views"), ('本年1月至所选月份累计', 'January to the chosen month'), ("ledger_entry",),
          ("《金融支持阳泉市零碳园区高质量发展的行动方案》（阳政办发〔2026〕13号）§八；台账口径为本看板设定",
           "Yangquan action plan on finance for zero-carbon parks (阳政办发〔2026〕13号) §八; the ledger's definitions are ours"),
          notes=('宣传平台角色只看到已举办的专栏、直播和专场活动。', 'The publicity role sees the held columns, broadcasts and events only.')),
    Entry("ledger_consultation", ('跨部门会商', 'Cross-department consultations'),
          ('会商 = 会商记录条数；已落实决定 = 落实状态为“已落实”的条数；财政措施涉及资金 = 贷款贴息、融资担保、风险补偿、绿色产业基金议题所填金额之和（含落实中）；超过完成时限仍落实中为逾期', 'consultations = entries; decisions carried out = entries carried out; fiscal amount = the amounts of the subsidy, guarantee, risk-compensation and fund topics; open past the due day is overdue'),
          ('次、项、万元', 'meetings, decisions, CNY 10k'), ('本年1月至所选月份累计', 'January to the chosen month'), ("ledger_entry",),
          ("《金融支持阳泉市零碳园区高质量发展的行动方案》（阳政办发〔2026〕13号）§十六；台账口径为本看板设定",
           "Yangquan action plan on finance for zero-carbon parks (阳政办发〔2026〕13号) §十六; the ledger's definitions are ours"),
          notes=('', '')),
)


def entries() -> dict[str, Entry]:
    """Every catalogue entry by code: the headline indicators first, then the other measures."""
    out = {code: _from_indicator(code) for code in INDICATORS}
    out.update({e.code: e for e in _EXTRA})
    return out


def status_word(status: str, lang: str) -> str:
    """官方文件 / 待核 / 推算 / 假设 for a reference value's status."""
    return i18n.t(f"cat.status.{status}", lang)


def thresholds_table(lang: str, codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Reference values (all, or `codes`) with value, unit, whether sourced or an assumption, and source."""
    from data_access.reference import reference_values

    refs = reference_values()
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    rows = [{t("cat.col.code"): i18n.label("reference", r.code, lang), t("cat.col.value"): _value(r, lang),
             t("cat.col.status"): status_word(r.status, lang), t("ind.col.source"): r.source}
            for code, r in refs.items() if codes is None or code in codes]
    return pd.DataFrame(rows)


def catalogue_table(lang: str) -> pd.DataFrame:
    """One row per entry: name, formula, unit, period, data tables, official source, thresholds and their status."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    rows = []
    for e in entries().values():
        rows.append({t("ind.col.name"): e.text(e.name, lang), t("cat.col.thresholds"): _threshold_text(e, lang) or "—",
                     t("ind.col.source"): e.text(e.source, lang), t("ind.col.formula"): e.text(e.formula, lang),
                     t("ind.col.unit"): e.text(e.unit, lang), t("cat.col.period"): e.text(e.period, lang),
                     t("cat.col.tables"): e.tables_text(lang)})
    return pd.DataFrame(rows)


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _value(ref, lang: str) -> str:
    """A reference value with its unit as a reader expects it: shares in %, other units named in the UI language."""
    if ref.unit == "share":
        return f"{ref.value * 100:g}%"
    return f"{_num(ref.value)} {i18n.label('ref_unit', ref.unit, lang)}"


def _threshold_text(e: Entry, lang: str) -> str:
    left, right = ("（", "）") if lang == "zh" else (" (", ")")
    parts = [f"{i18n.label('reference', c, lang)} {_value(reference_value(c), lang)}"
             f"{left}{status_word(reference_value(c).status, lang)}{right}" for c in e.thresholds]
    if e.has_targets:
        parts.append(i18n.t("cat.targets_note", lang))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def entry_markdown(code: str, lang: str) -> str:
    """The catalogue entry of `code` as short Markdown, for the 口径 popover beside a chart or KPI."""
    e = entries()[code]
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    colon = "：" if lang == "zh" else ": "
    lines = [f"**{e.text(e.name, lang)}**", "", f"- {t('ind.col.formula')}{colon}{e.text(e.formula, lang)}",
             f"- {t('ind.col.unit')}{colon}{e.text(e.unit, lang)}", f"- {t('cat.col.period')}{colon}{e.text(e.period, lang)}",
             f"- {t('ind.col.source')}{colon}{e.text(e.source, lang)}"]
    thresholds = _threshold_text(e, lang)
    if thresholds:
        lines.append(f"- {t('cat.col.thresholds')}{colon}{thresholds}")
    if e.text(e.notes, lang):
        lines.append(f"- {e.text(e.notes, lang)}")
    lines.append("")
    lines.append(t("cat.see_page"))
    return "\n".join(line.replace("|", "｜") for line in lines)


def readme_section() -> str:
    """The README's indicator section, generated from the catalogue (Chinese names, English text)."""
    out = [README_START, "", "| indicator | formula | unit | period | data | official source | thresholds (status) |",
           "|---|---|---|---|---|---|---|"]
    for e in entries().values():
        cells = [f"{e.name[0]} {e.name[1]}", e.formula[1], e.unit[1], e.period[1], e.tables_text("en"), e.source[0],
                 _threshold_text(e, "en") or "—"]
        out.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |")
    out += ["", "Reference values (`data_access/reference/reference_values.csv`):", "",
            "| code | value | unit | status | source |", "|---|---|---|---|---|"]
    from data_access.reference import reference_values

    for r in reference_values().values():
        out.append(f"| {r.code} | {_num(r.value)} | {r.unit} | {r.status} | {r.source.replace('|', '/')} |")
    out += ["", README_END]
    return "\n".join(out)


def write_readme(path: Path = README) -> bool:
    """Replace the README's catalogue section with the generated one. Returns True when the file changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    new = text[:start] + readme_section() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the README's indicator section from the metric catalogue.")
    parser.add_argument("--readme", action="store_true", help="rewrite README.md between the catalogue markers")
    args = parser.parse_args()
    if args.readme:
        print("README.md updated" if write_readme() else "README.md already current")
    else:
        print(readme_section())
    sys.exit(0)
