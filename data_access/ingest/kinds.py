"""What each kind of report holds: its columns (Chinese and English names, unit, type, rules) and its key.

The same specs make the Excel templates (`templates.py`), check uploaded files (`validate.py`) and write them
(`load.py`). Checks that look at one column are pandera checks built from these specs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data_access import taxonomy as tx


@dataclass(frozen=True)
class Col:
    key: str
    zh: str
    en: str
    type: str  # text, money (万元), number, int, date, month, datetime, bool, code, uscc
    unit: str | None = None
    required: bool = True
    codes: tuple[str, ...] = ()  # for type code: the allowed codes (their Chinese names are accepted too)
    label_kind: str | None = None  # data_access.taxonomy.LABELS kind giving the codes' names
    min: float | None = None
    max: float | None = None
    ref: str | None = None  # institution, enterprise, project, meter: must exist in the database
    note_zh: str = ""
    note_en: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh}（{self.unit}）" if self.unit else self.zh


@dataclass(frozen=True)
class Kind:
    code: str
    zh: str
    en: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]  # a row's identity within a file: a repeat is an error
    examples: tuple[dict, ...] = field(default_factory=tuple)
    owner_column: str | None = "institution_code"  # whose rows they are: a reporter may only send its own

    def col(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


INSTITUTION = Col("institution_code", "机构代码", "Institution code", "text", ref="institution",
                  note_zh="人民银行分行分配的机构代码，如 SO-1", note_en="the code the PBOC branch gave the institution, e.g. SO-1")
PERIOD = Col("period", "报告期", "Period", "month", note_zh="月份，如 2026-10 或 2026年10月；不得晚于当前月份",
             note_en="the month, e.g. 2026-10 or 2026年10月; not in the future")

CREDIT = Kind(
    "credit", "绿色信贷月报（授信及月末余额）", "Credit facilities with monthly balances",
    (
        INSTITUTION,
        Col("contract_no", "合同编号", "Contract number", "text"),
        Col("uscc", "借款人统一社会信用代码", "Borrower USCC", "uscc", ref="enterprise",
            note_zh="18位，校验位按GB 32100-2015", note_en="18 characters, check character per GB 32100-2015"),
        Col("project_code", "项目编号", "Project code", "text", required=False, ref="project",
            note_zh="项目贷款填写园区项目编号", note_en="for a project loan, the park's project code"),
        Col("product_line", "产品类别", "Product line", "code", codes=tx.PRODUCT_LINES, label_kind="product_line"),
        Col("is_green", "是否绿色贷款", "Green loan", "bool", note_zh="是/否", note_en="yes/no"),
        Col("start_date", "起始日", "Start date", "date"),
        Col("maturity_date", "到期日", "Maturity date", "date"),
        Col("amount", "合同金额", "Contract amount", "money", unit="万元", min=0,
            note_zh="单位万元；写“1.2亿”会换算为12000万元", note_en="in 万元; '1.2亿' is read as 12,000 万元"),
        Col("rate", "合同利率", "Contract rate", "number", unit="%", min=0, max=24),
        Col("policy_tool", "政策工具", "Policy tool", "code", required=False, codes=tx.POLICY_TOOLS, label_kind="policy_tool"),
        Col("collateral_type", "担保方式", "Collateral", "code", codes=tx.COLLATERAL_TYPES, label_kind="collateral"),
        PERIOD,
        Col("balance", "月末余额", "Month-end balance", "money", unit="万元", min=0),
        Col("disbursed", "本月发放", "Disbursed in the month", "money", unit="万元", min=0, required=False),
        Col("status", "五级分类状态", "Status", "code", codes=tx.LOAN_STATUSES, label_kind="loan_status"),
        Col("overdue_days", "逾期天数", "Days overdue", "int", unit="天", min=0, required=False),
    ),
    key=("institution_code", "contract_no", "period"),
    examples=(
        {"institution_code": "SO-1", "contract_no": "SO-1-2026-0001", "uscc": "91140300MA31000140", "project_code": "",
         "product_line": "new_power_system", "is_green": "是", "start_date": "2026-03-15", "maturity_date": "2031-03-14",
         "amount": "1.2亿", "rate": 2.95, "policy_tool": "carbon_reduction_tool", "collateral_type": "equipment", "period": "2026年10月",
         "balance": "11,500", "disbursed": 0, "status": "normal", "overdue_days": 0},
        {"institution_code": "SO-1", "contract_no": "SO-1-2025-0107", "uscc": "91140300MA31000140", "project_code": "",
         "product_line": "general", "is_green": "否", "start_date": "2025-07-01", "maturity_date": "2026-06-30",
         "amount": 800, "rate": 3.45, "policy_tool": "", "collateral_type": "real_estate", "period": "2026-10",
         "balance": 0, "disbursed": 0, "status": "repaid", "overdue_days": 0},
    ),
)

METER = Kind(
    "meter_readings", "计量数据（逐时读数）", "Meter readings (hourly)",
    (
        Col("meter_code", "计量表编号", "Meter code", "text", ref="meter", note_zh="区域能碳管理平台的表计编号",
            note_en="the meter's code on the energy-carbon platform"),
        Col("ts", "时间", "Hour", "datetime", note_zh="该小时的开始时刻，如 2026-10-01 13:00", note_en="the hour's start, e.g. 2026-10-01 13:00"),
        Col("value", "读数", "Reading", "number", min=0, note_zh="该小时用量，单位与表计一致", note_en="use in the hour, in the meter's unit"),
        Col("unit", "单位", "Unit", "text", note_zh="kWh、GJ、m3 或 t，须与表计登记一致", note_en="kWh, GJ, m3 or t, as registered"),
    ),
    key=("meter_code", "ts"),
    owner_column=None,
    examples=({"meter_code": "YQ-HTZ-001-electricity_grid", "ts": "2026-11-01 00:00", "value": 812.5, "unit": "kWh"},
              {"meter_code": "YQ-HTZ-001-electricity_grid", "ts": "2026-11-01 01:00", "value": 790.1, "unit": "kWh"}),
)

POLICY_TOOL = Kind(
    "policy_tool_use", "政策工具使用月报", "Policy-tool use (monthly)",
    (
        INSTITUTION,
        Col("park_code", "园区代码", "Park code", "text", ref="park"),
        Col("tool", "政策工具", "Tool", "code", codes=tx.POLICY_TOOLS, label_kind="policy_tool"),
        PERIOD,
        Col("eligible_amount", "符合条件贷款", "Eligible loans", "money", unit="万元", min=0),
        Col("loan_amount", "发放贷款", "Loans made", "money", unit="万元", min=0),
        Col("funding_amount", "获得资金支持", "Funding received", "money", unit="万元", min=0, required=False),
        Col("tool_rate", "工具利率", "Tool rate", "number", unit="%", min=0, max=10, required=False),
        Col("carbon_reduction_t", "带动碳减排", "Carbon reduction", "number", unit="tCO2", min=0, required=False),
        Col("fiscal_cost", "财政资金", "Fiscal cost", "money", unit="万元", min=0, required=False),
    ),
    key=("institution_code", "park_code", "tool", "period"),
    examples=({"institution_code": "SO-1", "park_code": "YQ-HTZ", "tool": "carbon_reduction_tool", "period": "2026-10",
               "eligible_amount": 5000, "loan_amount": 4000, "funding_amount": 2400, "tool_rate": 1.25, "carbon_reduction_t": 12000,
               "fiscal_cost": 0},
              {"institution_code": "LL-1", "park_code": "YQ-HTZ", "tool": "interest_subsidy", "period": "2026-10",
               "eligible_amount": 600, "loan_amount": 600, "funding_amount": 0, "tool_rate": "", "carbon_reduction_t": "",
               "fiscal_cost": 6}),
)

DIRECT = Kind(
    "direct_financing", "直接融资（债券、基金、租赁等）", "Direct financing (bonds, funds, leasing)",
    (
        INSTITUTION,
        Col("name", "融资名称", "Name", "text", note_zh="如债券简称、基金名称、租赁合同名称", note_en="bond, fund or lease name"),
        Col("instrument", "融资工具", "Instrument", "code", codes=tx.DIRECT_FINANCING_INSTRUMENTS, label_kind="instrument"),
        Col("uscc", "融资企业统一社会信用代码", "Enterprise USCC", "uscc", ref="enterprise"),
        Col("project_code", "项目编号", "Project code", "text", required=False, ref="project"),
        Col("issue_date", "发行/起始日", "Issue date", "date"),
        Col("maturity_date", "到期日", "Maturity date", "date", required=False),
        Col("amount", "金额", "Amount", "money", unit="万元", min=0),
        Col("rate", "利率", "Rate", "number", unit="%", min=0, max=24, required=False),
    ),
    key=("institution_code", "name"),
    examples=({"institution_code": "SO-1", "name": "泉鑫电池绿色债券（2026）", "instrument": "green_bond", "uscc": "91140300MA31000140",
               "project_code": "", "issue_date": "2026-09-20", "maturity_date": "2031-09-19", "amount": "3亿", "rate": 2.45},
              {"institution_code": "OT-1", "name": "光伏设备直租（2026-08）", "instrument": "financial_leasing", "uscc": "91140300MA31000140",
               "project_code": "YQ-HTZ-P01", "issue_date": "2026年8月1日", "maturity_date": "2034-07-31", "amount": 2600, "rate": 4.1}),
)

TASK = Kind(
    "task_progress", "任务清单进度", "Task-list progress",
    (
        INSTITUTION,
        Col("park_code", "园区代码", "Park code", "text", ref="park"),
        Col("code", "任务编号", "Task code", "text", note_zh="任务清单中的编号", note_en="the code in the task list"),
        Col("year", "年度", "Year", "int", min=2020, max=2100),
        Col("status", "进度状态", "Status", "code", codes=tx.TASK_STATUSES, label_kind="task_status"),
        Col("completed_on", "完成日期", "Completed on", "date", required=False),
        Col("evidence", "佐证材料", "Evidence", "text", required=False, note_zh="文件名或说明", note_en="file name or note"),
    ),
    key=("institution_code", "park_code", "code", "year"),
    examples=({"institution_code": "SO-1", "park_code": "YQ-HTZ", "code": "2026-04", "year": 2026, "status": "done", "completed_on": "2026-10-20",
               "evidence": "绿色信贷专项方案.pdf"},
              {"institution_code": "SO-1", "park_code": "YQ-HTZ", "code": "2026-05", "year": 2026, "status": "in_progress", "completed_on": "", "evidence": ""}),
)

PROJECTS = Kind(
    "projects", "园区项目台账", "Park projects",
    (
        Col("project_code", "项目编号", "Project code", "text", note_zh="新项目填写新编号", note_en="a new code for a new project"),
        Col("park_code", "园区代码", "Park code", "text", ref="park"),
        Col("name", "项目名称", "Name", "text"),
        Col("uscc", "项目业主统一社会信用代码", "Owner USCC", "uscc", ref="enterprise"),
        Col("category", "项目类别", "Category", "code", codes=tx.PROJECT_CATEGORIES, label_kind="project_category"),
        Col("stage", "项目阶段", "Stage", "code", codes=tx.PROJECT_STAGES, label_kind="project_stage"),
        Col("investment", "总投资", "Investment", "money", unit="万元", min=0),
        Col("financing_need", "融资需求", "Financing need", "money", unit="万元", min=0),
        Col("lead_bank_code", "主办银行机构代码", "Lead bank code", "text", required=False, ref="institution"),
        Col("expected_reduction_t", "预计年减排", "Expected reduction", "number", unit="tCO2", min=0, required=False),
        Col("start_date", "开工日期", "Start", "date", required=False),
        Col("planned_completion", "计划完工日期", "Planned completion", "date", required=False),
    ),
    key=("project_code",), owner_column=None,
    examples=({"project_code": "YQ-HTZ-P21", "park_code": "YQ-HTZ", "name": "园区共享储能电站", "uscc": "91140300MA31000140",
               "category": "power_heat", "stage": "approved", "investment": "2.4亿", "financing_need": 16000, "lead_bank_code": "SO-1",
               "expected_reduction_t": 18000, "start_date": "2027-03-01", "planned_completion": "2028-06-30"},
              {"project_code": "YQ-HTZ-P22", "park_code": "YQ-HTZ", "name": "余热回收二期", "uscc": "91140300MA31000140",
               "category": "energy_saving", "stage": "planning", "investment": 5200, "financing_need": 3000, "lead_bank_code": "",
               "expected_reduction_t": 6000, "start_date": "", "planned_completion": ""}),
)

MILESTONES = Kind(
    "milestones", "项目节点", "Project milestones",
    (
        Col("project_code", "项目编号", "Project code", "text", ref="project"),
        Col("name", "节点名称", "Milestone", "text"),
        Col("planned_date", "计划日期", "Planned date", "date"),
        Col("actual_date", "实际完成日期", "Actual date", "date", required=False),
    ),
    key=("project_code", "name"), owner_column=None,
    examples=({"project_code": "YQ-HTZ-P01", "name": "并网验收", "planned_date": "2027-01-31", "actual_date": ""},
              {"project_code": "YQ-HTZ-P01", "name": "设备到货", "planned_date": "2026-09-30", "actual_date": "2026-10-12"}),
)

GREEN_POWER = Kind(
    "green_power", "绿电交易与绿证（含绿证序列号）", "Green-power trades and certificates (with GEC serials)",
    (
        Col("uscc", "企业统一社会信用代码", "Enterprise USCC", "uscc", ref="enterprise"),
        PERIOD,
        Col("kind", "类别", "Kind", "code", codes=tx.GREEN_TRANSACTION_KINDS, label_kind="green_claim_kind",
            note_zh="绿电交易、绿证核销、自发绿电绿证已售出", note_en="trade, certificate retired, own-generation certificates sold"),
        Col("mwh", "电量", "Electricity", "number", unit="MWh", min=0, max=10_000_000, note_zh="1张绿证=1 MWh",
            note_en="1 certificate = 1 MWh"),
        Col("reference", "合同或绿证批次编号", "Contract or certificate batch", "text"),
        Col("serial_start", "绿证起始序列号", "First GEC serial", "int", required=False, min=0, max=1e15,
            note_zh="绿证核销、已售出必填；绿电交易附带绿证（证电合一）时填写", note_en="required for certificates and sold ones; for a trade with bundled certificates"),
        Col("serial_end", "绿证终止序列号", "Last GEC serial", "int", required=False, min=0, max=1e15,
            note_zh="含本号；张数=终止号−起始号+1，须等于电量", note_en="inclusive; the count (last - first + 1) must equal the MWh"),
    ),
    key=("kind", "reference", "period"), owner_column=None,
    examples=({"uscc": "91140300MA31000140", "period": "2026-10", "kind": "certificate", "mwh": 120, "reference": "GEC-2026-10-0001",
               "serial_start": 30000000001, "serial_end": 30000000120},
              {"uscc": "91140300MA31000140", "period": "2026-10", "kind": "trade", "mwh": 800, "reference": "GT-2026-10-017",
               "serial_start": "", "serial_end": ""}),
)

FINANCIALS = Kind(
    "financials", "企业年度财务数据（融资排放与碳价压力测试）", "Borrowers' yearly financials (financed emissions, stress test)",
    (
        Col("uscc", "企业统一社会信用代码", "Enterprise USCC", "uscc", ref="enterprise"),
        Col("year", "年度", "Year", "int", min=2000, max=2100, note_zh="会计年度", note_en="the financial year"),
        Col("total_equity", "所有者权益合计", "Total equity", "money", unit="万元",
            note_zh="年末数，可为负；权益加负债须大于0", note_en="at the year end, may be negative; equity plus debt must be above 0"),
        Col("total_debt", "负债合计", "Total debt", "money", unit="万元", min=0, note_zh="年末数", note_en="at the year end"),
        Col("revenue", "营业收入", "Revenue", "money", unit="万元", min=0),
        Col("ebit", "息税前利润", "EBIT", "money", unit="万元", note_zh="利润总额 + 利息费用，可为负",
            note_en="profit before tax plus interest expense; may be negative"),
        Col("interest_expense", "利息费用", "Interest expense", "money", unit="万元", min=0),
    ),
    key=("uscc", "year"), owner_column=None,
    examples=({"uscc": "91140300MA31000140", "year": 2025, "total_equity": "3.2亿", "total_debt": 41000, "revenue": 58000,
               "ebit": 5200, "interest_expense": 1650},
              {"uscc": "91140300MA31000140", "year": 2024, "total_equity": 30500, "total_debt": 39000, "revenue": 52000,
               "ebit": 4700, "interest_expense": 1580}),
)

# --- work ledgers (工作台账, issue 23): one table, `models.LedgerEntry`; each kind fills the columns it names -----------

PARK = Col("park_code", "园区代码", "Park code", "text", ref="park")
DEPARTMENT = Col("department", "部门", "Department", "code", codes=tx.DEPARTMENTS, label_kind="department",
                 note_zh="填写部门名称，如 人民银行阳泉市分行、市发展改革委、高新区管委会", note_en="the department, e.g. PBOC Yangquan branch")


def _ref(zh: str, en: str) -> Col:
    return Col("ref", zh, en, "text", note_zh="本单位台账中的编号，同一编号再次报送即为更正", note_en="the number in your own ledger; "
               "sending it again corrects the entry")


def _category(ledger: str, zh: str, en: str) -> Col:
    return Col("category", zh, en, "code", codes=tx.LEDGER_CATEGORIES[ledger], label_kind="ledger_category")


def _status(ledger: str, zh: str, en: str, **kw) -> Col:
    return Col("status", zh, en, "code", codes=tx.LEDGER_STATUSES[ledger], label_kind="ledger_status", **kw)


LEDGER_ADVISER = Kind(
    "ledger_adviser", "金融顾问服务台账（§九）", "Financial-adviser services (§九)",
    (
        INSTITUTION, PARK, _ref("服务编号", "Service number"),
        Col("entry_date", "服务日期", "Date", "date"),
        Col("title", "金融顾问", "Adviser", "text", note_zh="顾问姓名", note_en="the adviser's name"),
        Col("uscc", "服务企业统一社会信用代码", "Enterprise USCC", "uscc", ref="enterprise"),
        _category("adviser", "服务类型", "Service"),
        _status("adviser", "服务结果", "Outcome"),
        Col("contract_no", "促成贷款合同编号", "Loan contract number", "text", required=False,
            note_zh="服务后发放贷款的，填写本机构该笔贷款的合同编号", note_en="the contract number of the loan that followed, if any"),
        Col("amount", "促成融资金额", "Financing followed", "money", unit="万元", min=0, required=False),
        Col("due_date", "下次跟进日期", "Next follow-up", "date", required=False, note_zh="服务结果为跟进中时必填",
            note_en="required while following up"),
    ),
    key=("institution_code", "ref"),
    examples=({"institution_code": "SO-1", "park_code": "YQ-HTZ", "ref": "GW-2026-031", "entry_date": "2026-10-12", "title": "王敏",
               "uscc": "91140300MA31000140", "category": "financing_plan", "status": "following", "contract_no": "", "amount": "",
               "due_date": "2026-12-15"},
              {"institution_code": "SO-1", "park_code": "YQ-HTZ", "ref": "GW-2026-024", "entry_date": "2026-08-03", "title": "王敏",
               "uscc": "91140300MA31000140", "category": "policy_briefing", "status": "no_need", "contract_no": "", "amount": "",
               "due_date": ""}),
)

LEDGER_FX = Kind(
    "ledger_fx", "外汇与跨境融资便利化台账（§六）", "FX and cross-border facilitation (§六)",
    (
        INSTITUTION, PARK, _ref("业务编号", "Entry number"),
        Col("entry_date", "月份", "Month", "month", note_zh="办理业务的月份，如 2026-10", note_en="the month, e.g. 2026-10"),
        Col("uscc", "企业统一社会信用代码", "Enterprise USCC", "uscc", ref="enterprise"),
        _category("fx", "业务类型", "Business"),
        Col("quantity", "笔数", "Transactions", "int", unit="笔", min=0),
        Col("amount_usd", "金额", "Amount", "money", unit="万美元", min=0),
        Col("amount", "折合人民币", "In yuan", "money", unit="万元", min=0),
    ),
    key=("institution_code", "ref"),
    examples=({"institution_code": "SO-1", "park_code": "YQ-HTZ", "ref": "FX-2026-10-01", "entry_date": "2026-10",
               "uscc": "91140300MA31000140", "category": "trade_pilot", "quantity": 14, "amount_usd": 236.5, "amount": 1683.4},
              {"institution_code": "SO-1", "park_code": "YQ-HTZ", "ref": "FX-2026-10-02", "entry_date": "2026-10",
               "uscc": "91140300MA31000140", "category": "cross_border_financing", "quantity": 1, "amount_usd": 500, "amount": 3559}),
)

LEDGER_EXEMPTION = Kind(
    "ledger_exemption", "尽职免责台账（§六）", "Due-diligence exemption (§六)",
    (
        INSTITUTION, PARK, _ref("编号", "Entry number"),
        Col("entry_date", "登记或申请日期", "Date", "date"),
        Col("category", "类别", "Kind", "code", codes=tx.LEDGER_CATEGORIES["exemption"], label_kind="ledger_category",
            note_zh="三张清单的条目，或一件免责认定申请", note_en="an item of one of the three lists, or a case"),
        Col("title", "事项", "Item", "text", note_zh="清单条目内容或申请事由", note_en="the list item, or what the case is about"),
        _status("exemption", "状态", "Status", note_zh="清单条目：有效、已废止；申请：已申请待认定、认定免责、不予免责",
                note_en="a list item: in force or withdrawn; a case: applied, exempted or not exempted"),
        Col("contract_no", "涉及贷款合同编号", "Loan contract number", "text", required=False),
        Col("amount", "涉及金额", "Amount", "money", unit="万元", min=0, required=False),
        Col("closed_on", "认定日期", "Decided on", "date", required=False),
    ),
    key=("institution_code", "ref"),
    examples=({"institution_code": "LL-1", "park_code": "YQ-HTZ", "ref": "MZ-2026-003", "entry_date": "2026-09-18", "category": "case",
               "title": "园区企业设备贷款逾期，已按清单履职", "status": "applied", "contract_no": "", "amount": 300, "closed_on": ""},
              {"institution_code": "LL-1", "park_code": "YQ-HTZ", "ref": "QD-2026-12", "entry_date": "2026-03-01", "category": "exempt_list",
               "title": "因不可抗力导致的零碳改造项目贷款损失", "status": "in_force", "contract_no": "", "amount": "", "closed_on": ""}),
)

LEDGER_PAYMENT = Kind(
    "ledger_payment", "支付服务台账（§六）", "Payment services (§六)",
    (
        INSTITUTION, PARK, _ref("编号", "Entry number"),
        Col("entry_date", "月份", "Month", "month"),
        _category("payment", "服务类型", "Service"),
        Col("quantity", "数量", "Count", "int", unit="户/笔/台", min=0, note_zh="开户数、绿色通道办理笔数或终端台数",
            note_en="accounts, green-channel cases or terminals"),
        Col("amount", "涉及金额", "Amount", "money", unit="万元", min=0, required=False),
    ),
    key=("institution_code", "ref"),
    examples=({"institution_code": "SO-1", "park_code": "YQ-HTZ", "ref": "ZF-2026-10-1", "entry_date": "2026-10", "category": "account_opening",
               "quantity": 6, "amount": ""},
              {"institution_code": "SO-1", "park_code": "YQ-HTZ", "ref": "ZF-2026-10-2", "entry_date": "2026-10", "category": "green_channel",
               "quantity": 11, "amount": 2150}),
)

LEDGER_OUTREACH = Kind(
    "ledger_outreach", "人才培养与宣传台账（§八）", "Talent and publicity (§八)",
    (
        DEPARTMENT, PARK, _ref("编号", "Entry number"),
        Col("entry_date", "日期", "Date", "date", note_zh="举办或刊发日期（计划的填计划日期）", note_en="held or published (planned: the planned day)"),
        _category("outreach", "形式", "Form"),
        Col("title", "名称", "Title", "text"),
        _status("outreach", "状态", "Status"),
        Col("attendance", "参加人数", "Attendance", "int", unit="人", min=0, required=False),
        Col("reach", "阅读或观看量", "Reach", "int", unit="人次", min=0, max=1e8, required=False),
    ),
    key=("department", "ref"), owner_column=None,
    examples=({"department": "pboc", "park_code": "YQ-HTZ", "ref": "XC-2026-07", "entry_date": "2026-10-22", "category": "broadcast",
               "title": "零碳园区金融政策专题直播", "status": "held", "attendance": "", "reach": 18600},
              {"department": "park_committee", "park_code": "YQ-HTZ", "ref": "PX-2026-05", "entry_date": "2026-12-10", "category": "training",
               "title": "“金融+管理+技术”复合型人才培训班", "status": "planned", "attendance": "", "reach": ""}),
)

LEDGER_CONSULTATION = Kind(
    "ledger_consultation", "跨部门会商台账（§十六）", "Cross-department consultations (§十六)",
    (
        Col("department", "牵头部门", "Lead department", "code", codes=tx.DEPARTMENTS, label_kind="department"),
        PARK, _ref("会商编号", "Meeting number"),
        Col("entry_date", "会商日期", "Date", "date"),
        _category("consultation", "议题", "Topic"),
        Col("participants", "参会部门", "Departments present", "text", note_zh="部门名称，用顿号或逗号分隔",
            note_en="the departments, separated by commas"),
        Col("title", "决定事项", "Decision", "text"),
        Col("project_code", "项目编号", "Project code", "text", required=False, ref="project",
            note_zh="决定涉及园区项目的填写", note_en="the park project the decision is about, if any"),
        Col("amount", "涉及金额", "Amount", "money", unit="万元", min=0, required=False),
        _status("consultation", "落实状态", "Follow-up"),
        Col("due_date", "完成时限", "Due", "date", required=False, note_zh="落实中的必填", note_en="required while open"),
        Col("closed_on", "落实日期", "Carried out on", "date", required=False),
    ),
    key=("department", "ref"), owner_column=None,
    examples=({"department": "ndrc", "park_code": "YQ-HTZ", "ref": "HS-2026-09", "entry_date": "2026-10-15", "category": "project_financing",
               "participants": "市发展改革委、人民银行阳泉市分行、高新区管委会", "title": "共享储能电站纳入重点项目融资清单，主办行牵头银团",
               "project_code": "YQ-HTZ-P01", "amount": 16000, "status": "open", "due_date": "2026-12-31", "closed_on": ""},
              {"department": "finance", "park_code": "YQ-HTZ", "ref": "HS-2026-10", "entry_date": "2026-10-28", "category": "interest_subsidy",
               "participants": "市财政局、人民银行阳泉市分行", "title": "园区中小微企业绿色贷款贴息1个百分点", "project_code": "",
               "amount": 500, "status": "closed", "due_date": "2026-11-30", "closed_on": "2026-11-20"}),
)

LEDGER_KINDS = {"adviser": LEDGER_ADVISER, "fx": LEDGER_FX, "exemption": LEDGER_EXEMPTION, "payment": LEDGER_PAYMENT,
                "outreach": LEDGER_OUTREACH, "consultation": LEDGER_CONSULTATION}

KINDS: dict[str, Kind] = {k.code: k for k in (CREDIT, DIRECT, POLICY_TOOL, TASK, PROJECTS, MILESTONES, METER, GREEN_POWER, FINANCIALS,
                                                   *LEDGER_KINDS.values())}
