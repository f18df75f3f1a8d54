"""Codes of the action plan's lists (see shared/domain/taxonomy.md).

The codes and their Chinese and English names (LABELS, at the end), so that validation in the data layer, the
import templates and the UI (`dashboard/i18n.py`) share one spelling. Order matters: it is the display order.
"""

INSTITUTION_TYPES = ("policy", "state_owned", "joint_stock", "provincial_legal", "local_legal", "other")
# Banking institutions: their credit is green *loans* and they are the ones the PBOC green-finance evaluation
# (《银行业金融机构绿色金融评价方案》, 2021) scores. Facilities of the others (leasing, securities, ...) are green
# leasing / other financing, reported beside green loans, never inside them.
BANK_TYPES = INSTITUTION_TYPES[:5]

# Product matrix (§二) followed by the infrastructure scenes of §三.
PRODUCT_LINES = (
    "new_power_system",
    "traditional_energy_decarb",
    "industrial_upgrade",
    "energy_saving",
    "solid_waste",
    "power_heat",
    "green_building",
    "green_transport",
    "ccus",
    "general",  # ordinary working-capital or other lending that is not part of the matrix
)

ENTERPRISE_CLASSES = ("green_low_carbon", "high_carbon_industrial", "data_center")

# The High-tech Zone's sub-industries (domain/facts.md §6) plus the park's own utility.
SECTORS = (
    "battery_materials",
    "smart_terminal",
    "computing_ai",
    "tungsten_molybdenum",
    "pumps_valves",
    "equipment",
    "energy_saving_recycling",
    "park_utility",
)

DIRECT_FINANCING_INSTRUMENTS = (
    "green_bond",
    "transition_bond",
    "sci_tech_bond",
    "green_fund",
    "equity_plus_debt",
    "financial_leasing",
)

COLLATERAL_TYPES = (
    "none",
    "real_estate",
    "equipment",
    "receivables_pledge",
    "carbon_quota_pledge",
    "green_certificate_pledge",
    "carbon_sink_income_pledge",
    "emission_right_pledge",
    "vep_esg",
    "guarantee",
)

# Carbon-market and carbon-linked products (§一, §七) a facility can be marked with.
CARBON_PRODUCTS = (
    "carbon_performance_linked",
    "vep_esg",
    "carbon_quota_pledge",
    "green_certificate_pledge",
    "carbon_sink_income_pledge",
    "supply_chain_zero_carbon",
)

POLICY_TOOLS = (
    "carbon_reduction_tool",
    "sci_tech_relending",
    "interest_subsidy",
    "risk_compensation",
    "green_guarantee",
)

LOAN_STATUSES = ("normal", "overdue", "npl", "repaid")

PROJECT_CATEGORIES = (
    "power_heat",
    "green_building",
    "green_transport",
    "solid_waste",
    "ccus",
    "energy_saving",
    "industrial_upgrade",
)

PROJECT_STAGES = ("planning", "approved", "financing", "construction", "operation")

MILESTONE_STATUSES = ("planned", "done", "overdue")

# Energy carriers measured by the park's energy-carbon platform, with the unit the value is stored in.
CARRIER_UNITS = {
    "electricity_grid": "kWh",  # bought from the grid (includes green-power trades, counted separately)
    "electricity_own_renewable": "kWh",  # own PV or wind, consumed on site
    "electricity_direct_green": "kWh",  # 绿电直供 by private wire
    "heat_purchased": "GJ",
    "natural_gas": "m3",
    "coal": "t",
}
CARRIERS = tuple(CARRIER_UNITS)

# Green-power claims: a green-power trade (its bundled certificates' serials, when known), a certificate retired
# for the enterprise, and certificates issued on the enterprise's own generation and sold (those MWh are no
# longer the enterprise's green power). One certificate (GEC) = 1 MWh; serial numbers let each MWh count once.
GREEN_TRANSACTION_KINDS = ("trade", "certificate", "own_sold")

TASK_STATUSES = ("not_started", "in_progress", "done", "overdue")

ALERT_STATES = ("identified", "assessed", "alerted", "feedback", "closed", "dismissed")
OPEN_ALERT_STATES = ("identified", "assessed", "alerted", "feedback")
ALERT_SEVERITIES = ("high", "medium", "low")
ALERT_SUBJECT_KINDS = ("enterprise", "institution", "project", "park")

ROLES = ("leader", "pboc_analyst", "park_committee", "institution_reporter", "publicity", "admin")

# Subscriptions (issue 21 §3): what a user asks to be told about, and how it reaches them. The scheduler
# (`python -m cli notify`) sends each (subscription, subject, channel) once.
NOTIFY_TOPICS = ("alerts", "briefing")
NOTIFY_CHANNELS = ("email", "webhook")
# Who may subscribe to what: the roles that may open the risk page and the briefing page.
NOTIFY_ROLES = {"alerts": ("leader", "pboc_analyst", "park_committee", "institution_reporter", "admin"),
                "briefing": ("leader", "pboc_analyst", "institution_reporter", "admin")}

# Work ledgers (工作台账, §六 §八 §九 §十六): the action plan's services and meetings that are kept as lists of entries.
# Four are kept by the institutions (a reporter sends its own rows), two by the departments (the PBOC branch, the
# park committee and the city's departments send theirs).
LEDGERS = ("adviser", "fx", "exemption", "payment", "outreach", "consultation")
INSTITUTION_LEDGERS = ("adviser", "fx", "exemption", "payment")
DEPARTMENTS = ("pboc", "ndrc", "finance", "miit", "ecology", "energy", "nfra", "park_committee", "city_office")
LEDGER_CATEGORIES = {
    "adviser": ("policy_briefing", "financing_plan", "risk_prevention"),  # §九's standard service list
    "fx": ("current_account", "trade_pilot", "cross_border_financing"),
    "exemption": ("duty_list", "exempt_list", "negative_list", "case"),  # §六 "3张清单" and the cases judged by them
    "payment": ("account_opening", "green_channel", "payment_terminal"),
    "outreach": ("training", "seminar", "column", "broadcast", "event"),
    "consultation": ("project_financing", "interest_subsidy", "financing_guarantee", "risk_compensation", "green_fund"),
}
LEDGER_STATUSES = {
    "adviser": ("financed", "following", "no_need"),
    "fx": ("done",),
    "exemption": ("in_force", "withdrawn", "applied", "granted", "refused"),
    "payment": ("done",),
    "outreach": ("planned", "held", "cancelled"),
    "consultation": ("open", "closed"),
}
PUBLICITY_OUTREACH = ("column", "broadcast", "event")  # what the publicity role sees of the outreach ledger
# A consultation's fiscal measure and the policy tool it is counted under on the policy-tool page.
FISCAL_POLICY_TOOL = {"interest_subsidy": "interest_subsidy", "financing_guarantee": "green_guarantee",
                      "risk_compensation": "risk_compensation"}

WHITELIST_ACTIONS = ("added", "removed", "rescored")

# How electricity is converted to tce (a park setting): 当量值 (calorific value, GB/T 2589-2020) or 等价值
# (the coal used to generate it, as national energy statistics convert).
ELECTRICITY_METHODS = ("calorific", "coal_equivalent")

# Indicators that may carry targets (see dashboard/indicators.py for definitions). carbon_per_energy is listed
# for old rows only: its target is derived from the national band, never stored (migration 0007).
TARGET_INDICATORS = (
    "green_power_share",
    "total_emissions",
    "carbon_per_energy",
    "clean_energy_share",
    "green_loan_balance",
    "solid_waste_reuse",
    "waste_heat_reuse",
    "water_reuse",
)


# The codes' names, Chinese and English, beside the codes: the UI (dashboard.i18n.label), the import templates' drop-downs
# and the import check (which accepts a name for its code) all read this one table.
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
    "instrument": {
        "green_bond": ("绿色债券", "Green bond"), "transition_bond": ("转型债券", "Transition bond"),
        "sci_tech_bond": ("科技创新债券", "Sci-tech bond"), "green_fund": ("绿色产业基金", "Green fund"),
        "equity_plus_debt": ("股权+债权", "Equity + debt"), "financial_leasing": ("融资租赁", "Financial leasing"),
    },
    "loan_term": {  # PBOC's split by contract term
        "short": ("短期（1年以内，含1年）", "Short term (up to 1 year)"),
        "medium_long": ("中长期（1年以上，不含1年）", "Medium and long term (over 1 year)"),
    },
    "carbon_product": {
        "carbon_performance_linked": ("碳表现挂钩贷款", "Carbon-performance-linked loan"),
        "vep_esg": ("VEP+ESG评级抵押贷款", "VEP + ESG rating loan"),
        "carbon_quota_pledge": ("碳配额质押贷款", "Carbon-quota pledge loan"),
        "green_certificate_pledge": ("绿证质押贷款", "Green-certificate pledge loan"),
        "carbon_sink_income_pledge": ("未来碳汇收益权质押", "Future carbon-sink income pledge"),
        "supply_chain_zero_carbon": ("供应链金融+零碳", "Supply-chain finance + zero carbon"),
    },
    "reference": {
        "core_band_min_tce": ("核心指标分档下限（年综合能耗）", "core band floor (yearly energy use)"),
        "core_band_large_tce": ("核心指标大园区档（年综合能耗）", "core large-park band (yearly energy use)"),
        "core_threshold_mid": ("核心指标阈值（20–100万tce园区）", "core threshold (200k-1m tce parks)"),
        "core_threshold_large": ("核心指标阈值（≥100万tce园区）", "core threshold (1m tce or more)"),
        "clean_energy_share_guide": ("清洁能源消费占比引导值", "clean-energy share guiding value"),
        "solid_waste_reuse_guide": ("工业固废综合利用率引导值", "solid-waste reuse guiding value"),
        "waste_heat_reuse_guide": ("余热余冷余压利用率引导值", "waste-heat reuse guiding value"),
        "water_reuse_guide": ("工业用水重复利用率引导值", "water reuse guiding value"),
        "pv_yield_kwh_per_kw": ("光伏年发电量（每千瓦）", "PV yield per kW a year"),
        "carbon_grade_k1": ("碳效1级界值K", "carbon grade 1 cut-off K"),
        "carbon_grade_k2": ("碳效2级界值K", "carbon grade 2 cut-off K"),
        "carbon_grade_k3": ("碳效3级界值K", "carbon grade 3 cut-off K"),
        "carbon_grade_k4": ("碳效4级界值K", "carbon grade 4 cut-off K"),
        "sector_benchmark_min_members": ("园区行业对标最少企业数", "fewest park peers for a park benchmark"),
        "carbon_reduction_tool_refinance_share": ("碳减排支持工具资金支持比例", "carbon reduction tool refinanced share"),
        "sci_tech_relending_refinance_share": ("科技创新和技术改造再贷款资金支持比例", "sci-tech relending refinanced share"),
    },
    "ref_unit": {
        "tce/year": ("吨标准煤/年", "tce a year"), "tCO2/tce": ("tCO2/tce", "tCO2/tce"), "K": ("（K值）", "(K)"),
        "enterprises": ("家", "enterprises"), "kWh/kW/year": ("kWh/kW·年", "kWh/kW a year"),
    },
    "rule_param": {
        "min_rise_pct": ("强度上升超过（%）", "intensity rise above (%)"),
        "tolerance_pct": ("容差（%）", "tolerance (%)"),
        "margin_pp": ("差距超过（个百分点）", "gap above (pp)"),
        "months": ("月数", "months"),
        "max_share": ("单一占比上限", "maximum share"),
        "min_balance": ("最低余额（万元）", "minimum balance (CNY 10k)"),
        "max_hhi": ("HHI上限", "maximum HHI"),
        "rise_pp": ("上升超过（个百分点）", "rise above (pp)"),
        "overdue_days": ("逾期天数超过", "days overdue above"),
        "max_above_pct": ("高于路径超过（%）", "above the path by more than (%)"),
        "max_behind_pp": ("低于路径超过（个百分点）", "below the path by more than (pp)"),
        "min_coverage": ("最低数据完整率", "minimum coverage"),
    },
    "rule": {
        "concentration_institution": ("集中度：单一机构占比过高", "Concentration: one institution"),
        "trajectory_emissions": ("路径：排放高于目标路径", "Trajectory: emissions above path"),
        "greenwashing_intensity_rose": ("漂绿：绿色贷款企业排放强度上升", "Greenwashing: intensity rose under green loans"),
        "greenwashing_linked_discount": ("漂绿：碳挂钩贷款未达标仍享优惠", "Greenwashing: linked discount kept while missing target"),
        "fake_zero_reported_share": ("伪零：报告绿电占比高于计量", "Fake zero: reported share above metered"),
        "fake_zero_certificate_twice": ("伪零：绿证重复计入", "Fake zero: certificates counted twice"),
        "fake_zero_label_no_supply": ("伪零：零碳标识无计量绿电", "Fake zero: label without metered green power"),
        "concentration_borrower": ("集中度：单一借款人占比过高", "Concentration: one borrower"),
        "concentration_hhi": ("集中度：机构集中度指数过高", "Concentration: HHI"),
        "credit_npl": ("信贷质量：绿色贷款逾期或不良", "Credit quality: overdue or NPL green loans"),
        "credit_npl_rising": ("信贷质量：机构类型不良率上升", "Credit quality: NPL ratio rising"),
        "fund_use_stalled": ("穿透式管理：贷款项目进度停滞", "Fund use: project stalled"),
        "trajectory_green_share": ("路径：绿电占比落后于路径", "Trajectory: green share behind path"),
        "data_late": ("数据质量：月度报送迟延", "Data quality: late report"),
        "data_meter_gaps": ("数据质量：计量数据缺失", "Data quality: meter gaps"),
        "data_revised": ("数据质量：报送后修改", "Data quality: revised after submission"),
        "carbon_stress_exposure": ("气候风险：碳价压力下承压企业敞口过高", "Climate risk: exposure stressed by a carbon price"),
    },
    "project_category": {
        "power_heat": ("电力与热力", "Power and heat"), "green_building": ("绿色建筑", "Green buildings"),
        "green_transport": ("新能源交通与物流", "New-energy transport and logistics"), "solid_waste": ("固废资源循环利用", "Solid-waste recycling"),
        "ccus": ("碳捕集利用与封存", "CCUS"), "energy_saving": ("节能降耗", "Energy saving"), "industrial_upgrade": ("产业升级", "Industrial upgrading"),
    },
    "project_stage": {
        "planning": ("谋划", "Planning"), "approved": ("立项", "Approved"), "financing": ("融资", "Financing"),
        "construction": ("建设", "Construction"), "operation": ("运营", "Operation"),
    },
    "collateral": {
        "none": ("信用（无抵押）", "Unsecured"), "real_estate": ("不动产抵押", "Real estate"), "equipment": ("设备抵押", "Equipment"),
        "receivables_pledge": ("应收账款质押", "Receivables pledge"), "carbon_quota_pledge": ("碳配额质押", "Carbon-quota pledge"),
        "green_certificate_pledge": ("绿证质押", "Green-certificate pledge"), "carbon_sink_income_pledge": ("碳汇收益权质押", "Carbon-sink income pledge"),
        "emission_right_pledge": ("排污权质押", "Emission-right pledge"), "vep_esg": ("VEP+ESG评级", "VEP + ESG rating"),
        "guarantee": ("保证担保", "Guarantee"),
    },
    "loan_status": {
        "normal": ("正常", "Normal"), "overdue": ("逾期", "Overdue"), "npl": ("不良", "Non-performing"), "repaid": ("已结清", "Repaid"),
    },
    "green_claim_kind": {
        "trade": ("绿电交易", "Green-power trade"),
        "certificate": ("绿证核销", "Certificate retired"),
        "own_sold": ("自发绿电绿证已售出", "Own-generation certificates sold"),
    },
    "task_status": {
        "not_started": ("未开始", "Not started"), "in_progress": ("进行中", "In progress"), "done": ("已完成", "Done"), "overdue": ("逾期", "Overdue"),
    },
    "guideline_kind": {
        "admission": ("准入条件", "Admission condition"), "priority": ("支持重点", "Support priority"), "negative": ("负面清单", "Negative list"),
    },
    "library_kind": {
        "policy": ("政策", "Policy"), "case": ("案例", "Case"), "product": ("金融产品", "Financial product"),
        "enterprise": ("企业", "Enterprise"), "project": ("项目", "Project"),
    },
    # Evidence measures of the risk rules (dashboard/risk.py); the unit is formatted by dashboard.risk_views.
    "evidence": {
        "first_green_loan": ("首笔绿色贷款", "First green loan"), "year_before": ("贷前年份", "Year before"),
        "intensity_before": ("贷前排放强度（tCO2/万元增加值）", "Intensity before (tCO2/10k yuan VA)"),
        "latest_year": ("最近完整年度", "Latest full year"),
        "intensity_latest": ("最近排放强度（tCO2/万元增加值）", "Latest intensity (tCO2/10k yuan VA)"),
        "rise_pct": ("上升幅度", "Rise"), "green_balance_wan": ("绿色贷款余额", "Green-loan balance"),
        "facility_id": ("授信编号", "Facility"), "year": ("年度", "Year"),
        "intensity": ("排放强度（tCO2/万元增加值）", "Intensity (tCO2/10k yuan VA)"),
        "target": ("合同碳目标（tCO2/万元增加值）", "Contract carbon target (tCO2/10k yuan VA)"),
        "discount_bp": ("利率优惠", "Rate discount"), "reported_share": ("报告绿电占比", "Reported green share"),
        "metered_share_12m": ("计量绿电占比（近12个月）", "Metered green share (12 months)"), "gap_pp": ("差距", "Gap"),
        "reference": ("绿证编号", "Certificate reference"), "times": ("计入次数", "Times counted"),
        "claimed_first_as": ("首次申报凭证", "First claimed as"), "double_mwh": ("重复计入电量（MWh）", "MWh counted twice"),
        "first": ("首次计入", "First counted"), "last": ("再次计入", "Last counted"), "months": ("月数", "Months"),
        "own_and_direct_kwh": ("自发及直供绿电", "Own and direct green power"),
        "electricity_kwh": ("用电量", "Electricity used"), "share": ("占比", "Share"), "max_share": ("阈值", "Threshold"),
        "enterprise_id": ("借款企业编号", "Borrower"), "institution_green_wan": ("机构绿色贷款余额", "Institution's green loans"),
        "hhi": ("机构集中度指数（HHI）", "HHI"), "max_hhi": ("阈值", "Threshold"), "institutions": ("机构数", "Institutions"),
        "overdue_loans": ("逾期贷款笔数", "Overdue loans"), "npl_loans": ("不良贷款笔数", "Non-performing loans"),
        "balance_wan": ("余额", "Balance"), "inst_type": ("机构类型", "Institution type"),
        "npl_ratio_now": ("当期不良率", "NPL ratio now"), "npl_ratio_before": ("期初不良率", "NPL ratio before"),
        "rise_pp": ("上升", "Rise"), "overdue_milestones": ("逾期节点数", "Overdue milestones"),
        "earliest_overdue": ("最早逾期节点", "Earliest overdue milestone"),
        "emissions_12m_t": ("近12个月排放", "Emissions, 12 months"), "path_t": ("目标路径值", "Target path"),
        "above_pct": ("高出路径", "Above path"), "share_12m": ("近12个月绿电占比", "Green share, 12 months"),
        "path_share": ("目标路径值", "Target path"), "behind_pp": ("落后路径", "Behind path"),
        "reported_before": ("上期已报送", "Reported before"), "missing": ("未报送期", "Missing period"),
        "readings": ("收到读数", "Readings received"), "expected": ("应有读数", "Readings expected"),
        "coverage": ("完整率", "Coverage"), "facilities": ("修改笔数", "Facilities changed"),
        "max_revision": ("最高修订版本", "Highest revision"), "note": ("说明", "Note"),
        "exposure_wan": ("对承压企业贷款余额", "Outstanding to stressed borrowers"), "scenario": ("碳价情景", "Carbon-price scenario"),
        "price": ("测试年碳价（元/吨，假设）", "Price in the year tested (CNY/t, assumption)"),
        "threshold": ("利息保障倍数阈值（假设）", "Interest-cover threshold (assumption)"),
    },
    "ledger": {
        "adviser": ("金融顾问服务", "Financial-adviser services"),
        "fx": ("外汇与跨境融资便利化", "FX and cross-border facilitation"),
        "exemption": ("尽职免责", "Due-diligence exemption"),
        "payment": ("支付服务", "Payment services"),
        "outreach": ("人才培养与宣传", "Talent and publicity"),
        "consultation": ("跨部门会商", "Cross-department consultations"),
    },
    "department": {
        "pboc": ("人民银行阳泉市分行", "PBOC Yangquan branch"), "ndrc": ("市发展改革委", "Development and reform"),
        "finance": ("市财政局", "Finance bureau"), "miit": ("市工信局", "Industry and IT bureau"),
        "ecology": ("市生态环境局", "Ecology and environment bureau"), "energy": ("市能源局", "Energy bureau"),
        "nfra": ("金融监管阳泉分局", "NFRA Yangquan branch"), "park_committee": ("高新区管委会", "Park committee"),
        "city_office": ("市政府办公室", "City government office"),
    },
    "ledger_category": {
        "policy_briefing": ("政策宣导", "Policy briefing"), "financing_plan": ("融资规划", "Financing plan"),
        "risk_prevention": ("风险防控", "Risk prevention"),
        "current_account": ("经常项目外汇便利化", "Current-account FX facilitation"),
        "trade_pilot": ("贸易外汇收支便利化试点", "Trade FX facilitation pilot"),
        "cross_border_financing": ("跨境融资便利化", "Cross-border financing facilitation"),
        "duty_list": ("尽职要求清单", "Duty list"), "exempt_list": ("免责情形清单", "Exemption list"),
        "negative_list": ("不予免责清单", "No-exemption list"), "case": ("免责认定申请", "Exemption case"),
        "account_opening": ("企业账户开立", "Business accounts opened"), "green_channel": ("绿色通道办理", "Green-channel cases"),
        "payment_terminal": ("支付受理终端布设", "Payment terminals installed"),
        "training": ("人才培训", "Training"), "seminar": ("政金企研交流", "Government-bank-business-research seminar"),
        "column": ("宣传专栏", "Publicity column"), "broadcast": ("专题直播", "Live broadcast"), "event": ("专场活动", "Event"),
        "project_financing": ("项目融资会商", "Project-financing consultation"), "interest_subsidy": ("贷款贴息", "Interest subsidy"),
        "financing_guarantee": ("融资担保", "Financing guarantee"), "risk_compensation": ("风险补偿", "Risk compensation"),
        "green_fund": ("绿色产业基金", "Green industry fund"),
    },
    "ledger_status": {
        "financed": ("已促成融资", "Financing followed"), "following": ("跟进中", "Following up"), "no_need": ("暂无融资需求", "No need now"),
        "done": ("已办理", "Done"), "in_force": ("有效", "In force"), "withdrawn": ("已废止", "Withdrawn"),
        "applied": ("已申请待认定", "Applied, pending"), "granted": ("认定免责", "Exempted"), "refused": ("不予免责", "Not exempted"),
        "planned": ("计划", "Planned"), "held": ("已举办", "Held"), "cancelled": ("已取消", "Cancelled"),
        "open": ("落实中", "Open"), "closed": ("已落实", "Carried out"),
    },
    "role": {
        "leader": ("市领导", "City leader"),
        "pboc_analyst": ("人民银行分析员", "PBOC analyst"),
        "park_committee": ("园区管委会", "Park committee"),
        "institution_reporter": ("机构填报员", "Institution reporter"),
        "publicity": ("宣传平台", "Publicity"),
        "admin": ("系统管理员", "Administrator"),
        "display": ("大屏显示链接", "Display link"),
    },
}
