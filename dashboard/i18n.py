"""Every user-visible string, in Simplified Chinese (default) and English.

`t(key, lang, **values)` formats a string; `label(kind, code, lang)` names a taxonomy code.
A test checks that every key has both languages and that every taxonomy code has a label.
"""

from __future__ import annotations

LANGS = ("zh", "en")

STRINGS: dict[str, dict[str, str]] = {
    # shell
    "app.title": {"zh": "零碳园区金融支持监测看板", "en": "Zero-Carbon Park Finance Monitor"},
    "app.subtitle": {"zh": "金融支持阳泉市零碳园区高质量发展", "en": "Finance for the Yangquan zero-carbon park"},
    "app.demo_mark": {"zh": "演示数据 · DEMO DATA：虚构的园区、机构与企业，数字不代表真实情况",
                      "en": "DEMO DATA · 演示数据: fictitious park, institutions and enterprises; figures are not real"},
    "app.demo_short": {"zh": "演示数据", "en": "DEMO DATA"},
    "app.park": {"zh": "园区", "en": "Park"},
    "app.period": {"zh": "统计月份", "en": "Month"},
    "app.method": {"zh": "电力折标方法", "en": "Electricity conversion"},
    "app.method.calorific": {"zh": "当量值（0.1229 kgce/kWh）", "en": "Calorific value (0.1229 kgce/kWh)"},
    "app.method.coal_equivalent": {"zh": "等价值（0.300 kgce/kWh，假设）", "en": "Coal equivalent (0.300 kgce/kWh, assumed)"},
    "app.data_end": {"zh": "数据截至：能碳 {energy}；信贷 {credit}", "en": "Data up to: energy {energy}; credit {credit}"},
    "app.no_data_date": {"zh": "暂无", "en": "none"},
    "app.seeding": {"zh": "数据库为空，正在生成演示数据（约1分钟，仅首次）…", "en": "The database is empty; generating demo data (about a minute, first start only)…"},
    "app.seeding_step": {"zh": "生成演示数据：{step}", "en": "Generating demo data: {step}"},
    "app.no_parks": {"zh": "数据库中还没有园区。请用 `python -m data_access.cli seed-demo` 生成演示数据，或导入园区数据。",
                     "en": "There is no park in the database yet. Run `python -m data_access.cli seed-demo` or import park data."},
    "app.location_approx": {"zh": "园区位置为近似值（市中心坐标）", "en": "Park location is approximate (city centre)"},
    "nav.cockpit": {"zh": "驾驶舱", "en": "Cockpit"},
    "nav.methods": {"zh": "数据与方法", "en": "Data and methods"},
    "page.overview": {"zh": "总览", "en": "Overview"},
    "page.indicators": {"zh": "指标与数据说明", "en": "Indicators and data"},
    # overview
    "ov.heading": {"zh": "{park} · {period} 总览", "en": "{park} · overview for {period}"},
    "ov.summary": {"zh": "对照2030年目标：{met}项已达标，{on_track}项按进度，{behind}项落后于进度。",
                   "en": "Against the 2030 targets: {met} met, {on_track} on track, {behind} behind."},
    "ov.window_t12": {"zh": "近12个月（{window}）", "en": "12 months ({window})"},
    "ov.window_end": {"zh": "{period}月末", "en": "end of {period}"},
    "ov.vs_last_year": {"zh": "较上年同期 {change}", "en": "{change} vs a year earlier"},
    "ov.yoy": {"zh": "同比 {change}", "en": "YoY {change}"},
    "ov.no_change": {"zh": "较上年同期：无可比数据", "en": "No comparable figure a year earlier"},
    "ov.target": {"zh": "{year}年目标 {value}", "en": "{year} target {value}"},
    "ov.target_assumption": {"zh": "（假设值）", "en": " (assumption)"},
    "ov.no_target": {"zh": "未设定2030年目标", "en": "No 2030 target set"},
    "ov.required_now": {"zh": "按目标路径当前应为 {value}", "en": "The path to the target requires {value} now"},
    "ov.trend_caption": {"zh": "{what}，{start}至{end}；数据截至{end_date}", "en": "{what}, {start} to {end}; data to {end_date}"},
    "ov.trend_t12": {"zh": "月度滚动12个月值", "en": "monthly rolling 12-month value"},
    "ov.trend_end": {"zh": "月末值", "en": "month-end value"},
    "ov.no_data": {"zh": "该园区在所选月份没有此项数据。", "en": "This park has no data for this measure in the chosen month."},
    "ov.no_energy": {"zh": "该园区尚未接入能碳数据：接入区域能碳管理平台或导入月度能耗后显示。",
                     "en": "No energy data for this park yet: connect the energy-carbon platform or import monthly energy."},
    "ov.position_title": {"zh": "2030年目标完成进度：{n_behind}项落后于进度", "en": "Progress to the 2030 targets: {n_behind} behind schedule"},
    "ov.position_subtitle": {"zh": "{park} · 截至{period}；横条为自{base}年末以来完成的目标差距比例，竖线为时间进度",
                             "en": "{park} · to {period}; bars: share of the gap from end-{base} closed; line: share of time elapsed"},
    "ov.position_axis": {"zh": "完成目标差距的比例（%）", "en": "Share of the gap closed (%)"},
    "ov.time_elapsed": {"zh": "时间进度 {pct}%", "en": "Time elapsed {pct}%"},
    "ov.position_empty": {"zh": "没有可判断进度的指标：需要基准年（{base}年12月）数据和2030年目标。",
                          "en": "No measure can be judged yet: it needs base-year (December {base}) data and a 2030 target."},
    "ov.source": {"zh": "数据来源：人民银行阳泉市分行、阳泉高新区管委会、区域能碳管理平台（演示数据）",
                  "en": "Source: PBOC Yangquan branch, High-tech Zone committee, energy-carbon platform (demo data)"},
    "ov.method_note": {"zh": "单位能耗碳排放按{method}折标；方法可在侧栏切换。", "en": "Carbon per energy uses the {method}; switch it in the sidebar."},
    "ov.assumption_mark": {"zh": "※ 标注“假设值”的目标或系数尚未经官方确认。", "en": "※ Targets or factors marked 'assumption' are not officially confirmed."},
    # KPI names
    "kpi.green_power_share": {"zh": "绿电消费占比", "en": "Green-power share"},
    "kpi.total_emissions": {"zh": "碳排放总量", "en": "Total emissions"},
    "kpi.carbon_per_energy": {"zh": "单位能耗碳排放", "en": "Carbon per unit of energy"},
    "kpi.clean_energy_share": {"zh": "清洁能源消费占比", "en": "Clean-energy share"},
    "kpi.solid_waste_reuse": {"zh": "工业固废综合利用率", "en": "Solid-waste reuse"},
    "kpi.waste_heat_reuse": {"zh": "余热余冷余压利用率", "en": "Waste-heat reuse"},
    "kpi.water_reuse": {"zh": "工业用水重复利用率", "en": "Industrial water reuse"},
    "kpi.total_energy": {"zh": "综合能耗", "en": "Energy consumed"},
    "kpi.green_loan_balance": {"zh": "绿色贷款余额", "en": "Green-loan balance"},
    "kpi.green_loan_growth": {"zh": "绿色贷款同比增速", "en": "Green-loan YoY growth"},
    "kpi.policy_tool_loans": {"zh": "政策工具支持贷款", "en": "Loans under policy tools"},
    "kpi.open_alerts": {"zh": "未办结风险预警", "en": "Open risk alerts"},
    # statuses: never colour alone, always icon + word
    "status.met": {"zh": "✔ 已达目标", "en": "✔ Target met"},
    "status.on_track": {"zh": "● 按进度", "en": "● On track"},
    "status.behind": {"zh": "▲ 落后于进度", "en": "▲ Behind schedule"},
    "status.no_target": {"zh": "— 无目标", "en": "— No target"},
    "status.no_data": {"zh": "○ 无数据", "en": "○ No data"},
    "unit.pp": {"zh": "个百分点", "en": " pp"},
    # indicators page
    "ind.heading": {"zh": "指标定义、排放因子与目标", "en": "Indicator definitions, emission factors and targets"},
    "ind.intro": {"zh": "看板上每个数字都来自这里的定义：公式、单位与来源。标注“待核实”的系数与“假设值”目标在界面中均有标记。",
                  "en": "Every number on the dashboard follows these definitions: formula, unit and source. "
                        "Unconfirmed factors and assumed targets are marked wherever they are used."},
    "ind.definitions": {"zh": "指标定义", "en": "Indicator definitions"},
    "ind.col.name": {"zh": "指标", "en": "Indicator"},
    "ind.col.unit": {"zh": "单位", "en": "Unit"},
    "ind.col.window": {"zh": "统计口径", "en": "Window"},
    "ind.col.formula": {"zh": "公式", "en": "Formula"},
    "ind.col.source": {"zh": "来源", "en": "Source"},
    "ind.window.t12": {"zh": "近12个月合计/比值", "en": "12-month total or ratio"},
    "ind.window.end": {"zh": "期末值", "en": "Period end"},
    "ind.factors": {"zh": "排放因子与折标系数（{n}项，其中{n_unconfirmed}项待核实）", "en": "Emission and conversion factors ({n}, {n_unconfirmed} unconfirmed)"},
    "ind.col.factor": {"zh": "因子", "en": "Factor"},
    "ind.col.region": {"zh": "区域", "en": "Region"},
    "ind.col.year": {"zh": "年份", "en": "Year"},
    "ind.col.value": {"zh": "数值", "en": "Value"},
    "ind.col.status": {"zh": "状态", "en": "Status"},
    "ind.col.note": {"zh": "说明", "en": "Note"},
    "ind.status.sourced": {"zh": "有来源", "en": "sourced"},
    "ind.status.derived": {"zh": "推算", "en": "derived"},
    "ind.status.unconfirmed": {"zh": "⚠ 待核实（假设）", "en": "⚠ unconfirmed (assumption)"},
    "ind.factor_fallback": {"zh": "电网因子：{wanted}年无发布值，采用{used}年值（{region}）。",
                            "en": "Grid factor: no value published for {wanted}; the {used} value is used ({region})."},
    "ind.targets": {"zh": "{park}的目标", "en": "Targets of {park}"},
    "ind.col.target_year": {"zh": "目标年", "en": "Year"},
    "ind.col.target_value": {"zh": "目标值", "en": "Target"},
    "ind.col.assumption": {"zh": "性质", "en": "Kind"},
    "ind.target.assumption": {"zh": "⚠ 假设值", "en": "⚠ assumption"},
    "ind.target.adopted": {"zh": "有来源", "en": "sourced"},
    "ind.no_targets": {"zh": "该园区尚未设定目标：管理员可在目标表中录入（园区×指标×年份×数值×来源）。",
                       "en": "No targets for this park yet: an admin can enter them (park × indicator × year × value × source)."},
    "ind.download": {"zh": "下载指标定义（CSV）", "en": "Download definitions (CSV)"},
}

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "inst_type": {
        "policy": ("政策性银行", "Policy bank"),
        "state_owned": ("国有银行", "Large state-owned bank"),
        "joint_stock": ("股份制银行", "Joint-stock bank"),
        "provincial_legal": ("省内法人银行", "Provincial legal-person bank"),
        "local_legal": ("农商行等地方法人银行", "Rural commercial / local bank"),
        "other": ("证券、租赁、保险、基金等", "Securities, leasing, insurance, funds"),
    },
    "product_line": {
        "new_power_system": ("新型电力系统建设", "New power system"),
        "traditional_energy_decarb": ("传统能源降碳", "Traditional-energy decarbonisation"),
        "industrial_upgrade": ("产业升级", "Industrial upgrading"),
        "energy_saving": ("节能降耗", "Energy saving"),
        "solid_waste": ("固废资源循环利用", "Solid-waste recycling"),
        "power_heat": ("电力与热力系统", "Power and heat systems"),
        "green_building": ("绿色建筑及用能", "Green buildings"),
        "green_transport": ("新能源交通和物流", "New-energy transport and logistics"),
        "ccus": ("碳捕集利用与封存", "CCUS"),
        "general": ("一般贷款", "General lending"),
    },
    "sector": {
        "battery_materials": ("新能源电池及材料", "Battery and materials"),
        "smart_terminal": ("智能终端", "Smart terminals"),
        "computing_ai": ("智算及人工智能", "Computing and AI"),
        "tungsten_molybdenum": ("钨钼材料", "Tungsten and molybdenum"),
        "pumps_valves": ("泵阀装备", "Pumps and valves"),
        "equipment": ("新型装备制造", "Equipment manufacturing"),
        "energy_saving_recycling": ("节能环保和循环经济", "Energy saving and recycling"),
        "park_utility": ("园区综合能源", "Park energy utility"),
    },
    "enterprise_class": {
        "green_low_carbon": ("绿色低碳企业", "Green low-carbon"),
        "high_carbon_industrial": ("高碳工业企业", "High-carbon industrial"),
        "data_center": ("数据中心等能耗企业", "Data centres"),
    },
    "policy_tool": {
        "carbon_reduction_tool": ("碳减排支持工具", "Carbon emission reduction tool"),
        "sci_tech_relending": ("科技创新和技术改造再贷款", "Sci-tech and renovation relending"),
        "interest_subsidy": ("财政贴息", "Fiscal interest subsidy"),
        "risk_compensation": ("风险补偿基金", "Risk compensation fund"),
        "green_guarantee": ("绿色担保", "Green guarantee"),
    },
    "carrier": {
        "electricity_grid": ("外购电力", "Grid electricity"),
        "electricity_own_renewable": ("自发自用可再生电力", "Own renewables"),
        "electricity_direct_green": ("绿电直供", "Direct green supply"),
        "heat_purchased": ("外购热力", "Purchased heat"),
        "natural_gas": ("天然气", "Natural gas"),
        "coal": ("煤炭", "Coal"),
    },
    "factor": {
        "grid_average": ("全国/区域电网平均排放因子", "Grid average emission factor"),
        "grid_excl_market_green": ("不含市场化交易非化石电量的电网因子", "Grid factor excluding market-traded green power"),
        "grid_fossil": ("化石能源电力排放因子", "Fossil power emission factor"),
        "electricity_calorific": ("电力折标（当量值）", "Electricity to tce (calorific)"),
        "electricity_coal_equivalent": ("电力折标（等价值）", "Electricity to tce (coal equivalent)"),
        "raw_coal": ("原煤折标系数", "Raw coal to tce"),
        "coal_co2_per_tce": ("单位标煤CO2排放", "CO2 per tce of coal"),
        "green_certificate": ("绿证电量", "Green certificate energy"),
        "natural_gas_co2": ("天然气排放因子", "Natural gas emission factor"),
        "natural_gas_tce": ("天然气折标系数", "Natural gas to tce"),
        "heat_co2": ("热力排放因子", "Heat emission factor"),
        "heat_tce": ("热力折标系数", "Heat to tce"),
    },
    "region": {
        "national": ("全国", "national"),
        "north_china": ("华北电网", "North China grid"),
        "shanxi": ("山西省", "Shanxi"),
        "any": ("通用", "any"),
    },
    "severity": {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")},
}


def t(key: str, lang: str = "zh", **values) -> str:
    """The string `key` in `lang`, formatted with `values`. Unknown keys raise KeyError (caught by tests)."""
    text = STRINGS[key]["zh" if lang not in LANGS else lang]
    return text.format(**values) if values else text


def label(kind: str, code: str, lang: str = "zh") -> str:
    """Name of a taxonomy code; an unknown code is shown as itself so data never disappears."""
    pair = LABELS.get(kind, {}).get(code)
    if pair is None:
        return str(code)
    return pair[0] if lang == "zh" else pair[1]
