"""Codes of the action plan's lists (see shared/domain/taxonomy.md).

Only codes live here, so that validation in the data layer and labels in the UI
(`dashboard/i18n.py`) share one spelling. Order matters: it is the display order.
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
