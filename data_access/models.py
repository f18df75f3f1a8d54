"""SQLAlchemy 2 typed models for the whole domain of PRODUCT.md.

Conventions:
- money is stored in 万元 (10^4 CNY) as Numeric; pages convert to 亿元 for display;
- rates are annual percentages (3.45 means 3.45 %); shares are fractions 0-1;
- months are stored as the date of their first day (`period`);
- meter timestamps are naive local time (Asia/Shanghai), the hour the reading *starts*;
- codes come from `data_access.taxonomy` and are checked by CHECK constraints, so a bad code
  cannot enter through any path (import, CLI, page).

The schema is created only by the Alembic migrations in `data_access/migrations`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from data_access import taxonomy as tx

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(18, 4)  # 万元
Rate = Numeric(8, 4)  # % a year


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, codes: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    quoted = ", ".join(f"'{c}'" for c in codes)
    return CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_code")


def _now() -> dt.datetime:
    return dt.datetime.now()


# --- reference: parks, enterprises, institutions ------------------------------------------------


class Park(Base):
    __tablename__ = "park"
    __table_args__ = (_in("grid_region", ("national", "north_china", "shanxi")),
                      _in("electricity_method", tx.ELECTRICITY_METHODS))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(160))
    level: Mapped[str] = mapped_column(String(32), default="national")
    centre_lat: Mapped[float] = mapped_column(Float)
    centre_lon: Mapped[float] = mapped_column(Float)
    location_approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    # GeoJSON Polygon of the park boundary ([lon, lat] pairs).
    boundary_geojson: Mapped[dict | None] = mapped_column(JSON)
    base_year: Mapped[int] = mapped_column(Integer, default=2025)
    target_year: Mapped[int] = mapped_column(Integer, default=2030)
    grid_region: Mapped[str] = mapped_column(String(32), default="north_china")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # How electricity is converted to tce for this park's energy use, its core indicator and the band that
    # sets the core threshold: 'calorific' (当量值) or 'coal_equivalent' (等价值). See migration 0007.
    electricity_method: Mapped[str] = mapped_column(String(32), default="calorific", server_default="calorific")

    enterprises: Mapped[list[Enterprise]] = relationship(back_populates="park")


class Enterprise(Base):
    __tablename__ = "enterprise"
    __table_args__ = (
        _in("sector", tx.SECTORS),
        _in("enterprise_class", tx.ENTERPRISE_CLASSES),
        CheckConstraint("length(uscc) = 18", name="uscc_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(40))
    enterprise_class: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # Claims a 'zero-carbon factory' label (checked against metered renewables by the risk rules).
    zero_carbon_label: Mapped[bool] = mapped_column(Boolean, default=False)
    # Reported green-power share in its own disclosures, to compare with what meters support.
    reported_green_share: Mapped[float | None] = mapped_column(Float)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)  # name may appear in publicity output
    on_negative_list: Mapped[bool] = mapped_column(Boolean, default=False)

    park: Mapped[Park] = relationship(back_populates="enterprises")

    @validates("uscc")
    def _check_uscc(self, _key: str, code: str) -> str:
        """Refuse a code whose GB 32100-2015 check character is wrong (ORM writes; imports check it too)."""
        from data_access.uscc import uscc_problem

        problem = uscc_problem(code)
        if problem:
            raise ValueError(f"unified social credit code {code!r}: {problem}")
        return code


class Institution(Base):
    __tablename__ = "institution"
    __table_args__ = (_in("inst_type", tx.INSTITUTION_TYPES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    # Current type; each monthly snapshot also records the type in force that month.
    inst_type: Mapped[str] = mapped_column(String(32))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)


# --- credit ---------------------------------------------------------------------------------------


class CreditFacility(Base):
    __tablename__ = "credit_facility"
    __table_args__ = (
        _in("product_line", tx.PRODUCT_LINES),
        _in("collateral_type", tx.COLLATERAL_TYPES),
        CheckConstraint(
            "carbon_product IS NULL OR carbon_product IN ("
            + ", ".join(f"'{c}'" for c in tx.CARBON_PRODUCTS)
            + ")",
            name="carbon_product_code",
        ),
        CheckConstraint(
            "policy_tool IS NULL OR policy_tool IN (" + ", ".join(f"'{c}'" for c in tx.POLICY_TOOLS) + ")",
            name="policy_tool_code",
        ),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        UniqueConstraint("institution_id", "contract_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    contract_no: Mapped[str] = mapped_column(String(64))
    product_line: Mapped[str] = mapped_column(String(40))
    is_green: Mapped[bool] = mapped_column(Boolean)
    start_date: Mapped[dt.date] = mapped_column(Date)
    maturity_date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)  # contracted, 万元
    rate: Mapped[Decimal] = mapped_column(Rate)  # contract rate, % a year
    policy_tool: Mapped[str | None] = mapped_column(String(40))
    collateral_type: Mapped[str] = mapped_column(String(40), default="none")
    carbon_product: Mapped[str | None] = mapped_column(String(40))
    carbon_linked: Mapped[bool] = mapped_column(Boolean, default=False)
    # For carbon-performance-linked loans: intensity target (tCO2 per 万元 output or per unit) and the discount.
    carbon_target_intensity: Mapped[float | None] = mapped_column(Float)
    rate_discount_bp: Mapped[int | None] = mapped_column(Integer)
    is_syndicated: Mapped[bool] = mapped_column(Boolean, default=False)


class CreditSnapshot(Base):
    """A facility's month-end position as reported by its institution. Corrections add a revision."""

    __tablename__ = "credit_snapshot"
    __table_args__ = (
        _in("status", tx.LOAN_STATUSES),
        _in("inst_type", tx.INSTITUTION_TYPES),
        CheckConstraint("balance >= 0", name="balance_non_negative"),
        CheckConstraint("disbursed >= 0", name="disbursed_non_negative"),
        UniqueConstraint("facility_id", "period", "revision"),
        Index("ix_credit_snapshot_period_current", "period", "is_current"),
        Index("ix_credit_snapshot_park_current", "park_id", "is_current", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("credit_facility.id"), index=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))  # the facility's park, copied: park queries need no join
    period: Mapped[dt.date] = mapped_column(Date)
    balance: Mapped[Decimal] = mapped_column(Money)  # month-end balance, 万元
    disbursed: Mapped[Decimal] = mapped_column(Money, default=0)  # new lending in the month, 万元
    rate: Mapped[Decimal] = mapped_column(Rate)
    status: Mapped[str] = mapped_column(String(16), default="normal")
    overdue_days: Mapped[int] = mapped_column(Integer, default=0)
    inst_type: Mapped[str] = mapped_column(String(32))  # type of the institution in force that month
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))


class DirectFinancing(Base):
    __tablename__ = "direct_financing"
    __table_args__ = (_in("instrument", tx.DIRECT_FINANCING_INSTRUMENTS), CheckConstraint("amount >= 0", name="amount_non_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))  # underwriter or investor
    instrument: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    maturity_date: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)  # 万元
    rate: Mapped[Decimal | None] = mapped_column(Rate)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))


class PolicyToolUse(Base):
    """Monthly use of a monetary-policy or fiscal tool by one institution (§十, §十六)."""

    __tablename__ = "policy_tool_use"
    __table_args__ = (
        _in("tool", tx.POLICY_TOOLS),
        UniqueConstraint("park_id", "institution_id", "tool", "period", "revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    tool: Mapped[str] = mapped_column(String(40))
    period: Mapped[dt.date] = mapped_column(Date)
    eligible_amount: Mapped[Decimal] = mapped_column(Money, default=0)  # loans eligible for the tool, 万元
    loan_amount: Mapped[Decimal] = mapped_column(Money, default=0)  # loans supported by the tool, 万元
    funding_amount: Mapped[Decimal] = mapped_column(Money, default=0)  # refinanced / subsidy / compensation paid, 万元
    tool_rate: Mapped[Decimal | None] = mapped_column(Rate)  # rate of the central-bank funding, % a year
    carbon_reduction_t: Mapped[float | None] = mapped_column(Float)  # disclosed annual reduction, tCO2e
    fiscal_cost: Mapped[Decimal] = mapped_column(Money, default=0)  # cost to the city budget, 万元
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))


# --- projects -------------------------------------------------------------------------------------


class Project(Base):
    __tablename__ = "project"
    __table_args__ = (
        _in("category", tx.PROJECT_CATEGORIES),
        _in("stage", tx.PROJECT_STAGES),
        CheckConstraint("investment >= 0", name="investment_non_negative"),
        CheckConstraint("financing_need >= 0", name="financing_need_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    category: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(20))
    investment: Mapped[Decimal] = mapped_column(Money)  # 万元
    financing_need: Mapped[Decimal] = mapped_column(Money)  # 万元
    lead_bank_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    expected_reduction_t: Mapped[float | None] = mapped_column(Float)  # tCO2 a year once operating
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    planned_completion: Mapped[dt.date | None] = mapped_column(Date)
    on_negative_list: Mapped[bool] = mapped_column(Boolean, default=False)

    milestones: Mapped[list[Milestone]] = relationship(back_populates="project", order_by="Milestone.planned_date")


class SyndicateMember(Base):
    __tablename__ = "syndicate_member"
    __table_args__ = (
        UniqueConstraint("project_id", "institution_id"),
        CheckConstraint("share > 0 AND share <= 1", name="share_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    share: Mapped[float] = mapped_column(Float)  # fraction of the syndicated amount
    amount: Mapped[Decimal] = mapped_column(Money)  # 万元


class Milestone(Base):
    __tablename__ = "milestone"
    __table_args__ = (_in("status", tx.MILESTONE_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    planned_date: Mapped[dt.date] = mapped_column(Date)
    actual_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")

    project: Mapped[Project] = relationship(back_populates="milestones")


# --- energy and carbon ----------------------------------------------------------------------------


class Meter(Base):
    __tablename__ = "meter"
    __table_args__ = (_in("carrier", tx.CARRIERS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(8))
    capacity_kw: Mapped[float | None] = mapped_column(Float)  # for generation meters


class MeterReading(Base):
    """Hourly reading from the energy-carbon platform. Pages never read this table; rollups do."""

    __tablename__ = "meter_reading"

    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(DateTime, primary_key=True)
    value: Mapped[float] = mapped_column(Float)


class EnergyDaily(Base):
    """Daily sums of meter readings per enterprise and carrier, maintained for the days a load touches."""

    __tablename__ = "energy_daily"
    __table_args__ = (
        _in("carrier", tx.CARRIERS),
        Index("ix_energy_daily_park_day", "park_id", "day"),
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    carrier: Mapped[str] = mapped_column(String(40), primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    value: Mapped[float] = mapped_column(Float)
    n_readings: Mapped[int] = mapped_column(Integer)


class EnergyMonthly(Base):
    """Monthly energy per enterprise and carrier: rolled up from daily, or reported (history before meters)."""

    __tablename__ = "energy_monthly"
    __table_args__ = (
        _in("carrier", tx.CARRIERS),
        _in("source", ("meter", "report")),
        Index("ix_energy_monthly_park_period", "park_id", "period"),
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    period: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    carrier: Mapped[str] = mapped_column(String(40), primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(8), default="meter")
    n_readings: Mapped[int] = mapped_column(Integer, default=0)


class EnergyHourlyPark(Base):
    """Hourly sums per park and carrier, for the live panel; maintained with the daily rollup."""

    __tablename__ = "energy_hourly_park"
    __table_args__ = (_in("carrier", tx.CARRIERS),)

    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(DateTime, primary_key=True)
    carrier: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    n_meters: Mapped[int] = mapped_column(Integer)


class EnterpriseOutput(Base):
    """Yearly output and value added of an enterprise (万元), reported; the base of carbon-efficiency grades."""

    __tablename__ = "enterprise_output"
    __table_args__ = (CheckConstraint("value_added >= 0", name="value_added_non_negative"),)

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    output_value: Mapped[Decimal] = mapped_column(Money)  # 万元
    value_added: Mapped[Decimal] = mapped_column(Money)  # 万元
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))


class EnterpriseFinancials(Base):
    """A borrower's yearly balance sheet and earnings (万元), reported by the park committee from the borrowers'
    accounts: the denominator of financed emissions (PCAF: total equity + debt) and the EBIT of the stress test.
    A second report for the same year changes the row; the old values stay in the audit log."""

    __tablename__ = "enterprise_financials"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "year"),
        CheckConstraint("total_equity + total_debt > 0", name="equity_plus_debt_positive"),
        CheckConstraint("total_debt >= 0", name="debt_non_negative"),
        CheckConstraint("revenue >= 0", name="revenue_non_negative"),
        CheckConstraint("interest_expense >= 0", name="interest_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    total_equity: Mapped[Decimal] = mapped_column(Money)  # 所有者权益, 万元 (may be negative)
    total_debt: Mapped[Decimal] = mapped_column(Money)  # 负债合计, 万元
    revenue: Mapped[Decimal] = mapped_column(Money)  # 营业收入, 万元
    ebit: Mapped[Decimal] = mapped_column(Money)  # 息税前利润, 万元
    interest_expense: Mapped[Decimal] = mapped_column(Money)  # 利息费用, 万元
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))


class LedgerEntry(Base):
    """One entry of a work ledger (工作台账: adviser services, FX and cross-border facilitation, due-diligence
    exemption, payment services, talent and publicity, cross-department consultations; `taxonomy.LEDGERS`).

    The six ledgers share this table: each uses the columns its import kind names (`ingest.kinds`), the others stay
    empty. An entry is kept by an institution (`institution_id`) or by a department (`department`), under its own
    entry number `ref`; a second report of the same entry updates it and the old values stay in the audit log.
    Links: `facility_id` (the loan an adviser visit led to), `project_id` (the project a consultation decided on),
    `policy_tool` (the tool a fiscal measure is counted under on the policy-tool page)."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        UniqueConstraint("ledger", "owner", "ref"),
        CheckConstraint("(institution_id IS NULL) <> (department IS NULL)", name="one_owner"),
        CheckConstraint("quantity IS NULL OR quantity >= 0", name="quantity_non_negative"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_non_negative"),
        CheckConstraint("amount_usd IS NULL OR amount_usd >= 0", name="amount_usd_non_negative"),
        Index("ix_ledger_entry_park_ledger_date", "park_id", "ledger", "entry_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ledger: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(40))  # the institution's code or the department's code
    ref: Mapped[str] = mapped_column(String(64))  # the entry number its keeper gave it
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    department: Mapped[str | None] = mapped_column(String(30))
    entry_date: Mapped[dt.date] = mapped_column(Date)  # the day served, met or held; the month's first day for monthly counts
    category: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(200))  # adviser, event title, list item or decision
    participants: Mapped[str | None] = mapped_column(String(300))  # departments at a consultation, codes joined by ","
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("credit_facility.id"))
    policy_tool: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[int | None] = mapped_column(Integer)  # settlements, accounts, cases, terminals
    amount: Mapped[Decimal | None] = mapped_column(Money)  # 万元
    amount_usd: Mapped[Decimal | None] = mapped_column(Money)  # 万美元
    attendance: Mapped[int | None] = mapped_column(Integer)
    reach: Mapped[int | None] = mapped_column(Integer)  # readers or viewers
    due_date: Mapped[dt.date | None] = mapped_column(Date)  # next follow-up, decision or completion due
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))


class GreenPowerTransaction(Base):
    """Green-power trades and retired certificates (GEC, 1 certificate = 1 MWh) per enterprise and month."""

    __tablename__ = "green_power_transaction"
    __table_args__ = (
        _in("kind", tx.GREEN_TRANSACTION_KINDS),
        CheckConstraint("mwh >= 0", name="mwh_non_negative"),
        CheckConstraint("serial_end IS NULL OR serial_end >= serial_start", name="serial_range_ordered"),
        Index("ix_green_power_transaction_park_period", "park_id", "period"),
        Index("ix_green_power_transaction_serials", "serial_start", "serial_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    period: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    mwh: Mapped[float] = mapped_column(Float)
    # Trade contract number or certificate batch; the same reference twice means double counting.
    reference: Mapped[str] = mapped_column(String(120))
    # GEC serial numbers covered (inclusive): a certificate batch, a trade's bundled certificates, or the
    # certificates issued on own generation and sold. A serial counts once across every kind (migration 0008).
    serial_start: Mapped[int | None] = mapped_column(BigInteger)
    serial_end: Mapped[int | None] = mapped_column(BigInteger)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))


class EmissionFactor(Base):
    __tablename__ = "emission_factor"
    __table_args__ = (UniqueConstraint("factor", "region", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    factor: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(32))  # 'any' when not regional
    year: Mapped[int | None] = mapped_column(Integer)  # None when it does not vary by year
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # 'sourced' or 'unconfirmed' (shown as an assumption)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Target(Base):
    __tablename__ = "target"
    __table_args__ = (_in("indicator", tx.TARGET_INDICATORS), UniqueConstraint("park_id", "indicator", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)  # in the indicator's stored unit (see dashboard/indicators.py)
    is_assumption: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str | None] = mapped_column(Text)  # document or URL; required when not an assumption
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


# --- work system, whitelist, risk, briefings ------------------------------------------------------


class Task(Base):
    """A line of the annual task list (任务清单, §一) assigned to one institution."""

    __tablename__ = "task"
    __table_args__ = (_in("status", tx.TASK_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    seed_section: Mapped[str | None] = mapped_column(String(16))  # e.g. '§七'
    due_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)


class WhitelistVersion(Base):
    __tablename__ = "whitelist_version"
    __table_args__ = (UniqueConstraint("park_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    version: Mapped[int] = mapped_column(Integer)
    effective_date: Mapped[dt.date] = mapped_column(Date)
    document_no: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64))
    min_score: Mapped[float] = mapped_column(Float, default=60.0, server_default="60")  # the threshold this version used


class WhitelistCriterion(Base):
    """One criterion of the whitelist standard (§十四) with its points and how they are given, as data."""

    __tablename__ = "whitelist_criterion"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    max_points: Mapped[float] = mapped_column(Float)
    params: Mapped[dict] = mapped_column(JSON)  # the point tables dashboard.whitelist reads
    description: Mapped[str] = mapped_column(Text)  # Chinese
    description_en: Mapped[str] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class EnterpriseProfile(Base):
    """Facts about an enterprise the whitelist and the financing guideline look at, as reported by the park."""

    __tablename__ = "enterprise_profile"
    __table_args__ = (CheckConstraint("patents >= 0", name="patents_non_negative"),
                      CheckConstraint("env_penalties >= 0", name="env_penalties_non_negative"),
                      _in("tax_credit_grade", ("A", "B", "M", "C", "D")))

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    patents: Mapped[int] = mapped_column(Integer, default=0)  # valid invention and utility patents
    high_tech: Mapped[bool] = mapped_column(Boolean, default=False)  # 高新技术企业
    specialised: Mapped[bool] = mapped_column(Boolean, default=False)  # 专精特新
    tax_credit_grade: Mapped[str] = mapped_column(String(1), default="B")  # 纳税信用等级
    env_penalties: Mapped[int] = mapped_column(Integer, default=0)  # environmental penalties in the last 2 years
    dishonest: Mapped[bool] = mapped_column(Boolean, default=False)  # 失信被执行人
    restricted_capacity: Mapped[bool] = mapped_column(Boolean, default=False)  # 淘汰类、限制类产能
    has_transition_plan: Mapped[bool] = mapped_column(Boolean, default=False)


class GuidelineItem(Base):
    """An item of the park's financing guideline (§四): admission condition, support priority or negative list.

    `match` says which enterprises or projects the item covers: {"entity": "enterprise"|"project",
    "field": name, "op": "eq"|"in"|"gte"|"lte", "value": ...}; fields are those of enterprise, its profile,
    its carbon grade (`carbon_grade`) and project.
    """

    __tablename__ = "guideline_item"
    __table_args__ = (_in("kind", ("admission", "priority", "negative")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    match: Mapped[dict | None] = mapped_column(JSON)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class FinancialProduct(Base):
    """A financial product in the resource library (§十二), with the terms matching looks at."""

    __tablename__ = "financial_product"
    __table_args__ = (CheckConstraint("rate_min <= rate_max", name="rate_range"),
                      CheckConstraint("min_amount <= max_amount", name="amount_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    product_line: Mapped[str] = mapped_column(String(40))
    carbon_product: Mapped[str | None] = mapped_column(String(40))
    rate_min: Mapped[float] = mapped_column(Float)  # annual %
    rate_max: Mapped[float] = mapped_column(Float)
    term_months_max: Mapped[int] = mapped_column(Integer)
    min_amount: Mapped[Decimal] = mapped_column(Money)  # 万元
    max_amount: Mapped[Decimal] = mapped_column(Money)
    collateral: Mapped[list] = mapped_column(JSON)  # collateral types accepted
    eligible_classes: Mapped[list] = mapped_column(JSON)  # enterprise classes
    categories: Mapped[list] = mapped_column(JSON)  # project categories it finances ([] = working capital)
    policy_tool: Mapped[str | None] = mapped_column(String(40))
    whitelist_only: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")


class LibraryItem(Base):
    """A policy or a typical case in the resource library (§十二)."""

    __tablename__ = "library_item"
    __table_args__ = (_in("kind", ("policy", "case")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(200))
    issued: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(500))
    tags: Mapped[str] = mapped_column(String(300), default="")


class WhitelistEntry(Base):
    """An enterprise's standing in one whitelist version, with the score and its parts."""

    __tablename__ = "whitelist_entry"
    __table_args__ = (UniqueConstraint("version_id", "enterprise_id"), _in("action", tx.WHITELIST_ACTIONS))

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("whitelist_version.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    listed: Mapped[bool] = mapped_column(Boolean)
    action: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    score_parts: Mapped[dict] = mapped_column(JSON)  # criterion code -> points
    reason: Mapped[str | None] = mapped_column(Text)  # required when removed


OPEN_ALERT_WHERE = "state IN (" + ", ".join(f"'{s}'" for s in tx.OPEN_ALERT_STATES) + ")"


class RiskAlert(Base):
    __tablename__ = "risk_alert"
    __table_args__ = (
        _in("state", tx.ALERT_STATES),
        _in("severity", tx.ALERT_SEVERITIES),
        _in("subject_kind", tx.ALERT_SUBJECT_KINDS),
        Index("ix_risk_alert_park_state", "park_id", "state"),
        # At most one open alert per rule and subject (its dedup_key) in a park, whatever re-runs the rules.
        Index("uq_risk_alert_open_key", "park_id", "dedup_key", unique=True,
              sqlite_where=text(OPEN_ALERT_WHERE), postgresql_where=text(OPEN_ALERT_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    rule_code: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    period: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[dict] = mapped_column(JSON)
    suggested_action: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="identified")
    # Key that makes a re-run of the rules find the same open alert instead of adding another.
    dedup_key: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class RiskRule(Base):
    """A risk rule as data: what it checks, its parameters, severity and the role that owns its alerts."""

    __tablename__ = "risk_rule"
    __table_args__ = (_in("severity", tx.ALERT_SEVERITIES), _in("owner_role", tx.ROLES))

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    family: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(JSON)
    severity: Mapped[str] = mapped_column(String(8))
    owner_role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RiskAlertEvent(Base):
    """One step of the 识别—研判—提示—反馈 loop. Never updated or deleted."""

    __tablename__ = "risk_alert_event"
    __table_args__ = (_in("to_state", tx.ALERT_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("risk_alert.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Briefing(Base):
    """A 零碳金融简报 (§九) issued by an institution or by the PBOC branch for one period."""

    __tablename__ = "briefing"
    __table_args__ = (UniqueConstraint("park_id", "institution_id", "period", "issue_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    period: Mapped[dt.date] = mapped_column(Date)
    issue_no: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[dict] = mapped_column(JSON)  # generated figures and sentences plus the free-text sections
    status: Mapped[str] = mapped_column(String(16), default="draft")
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Snapshot(Base):
    """What a meeting saw, frozen (figures and chart specs), so it can be reopened unchanged."""

    __tablename__ = "frozen_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    title: Mapped[str] = mapped_column(String(300))
    payload: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class AssessmentWeight(Base):
    """Weights of the institution assessment (考核评价, §十三), editable by an admin. They sum to 1."""

    __tablename__ = "assessment_weight"
    __table_args__ = (CheckConstraint("weight >= 0 AND weight <= 1", name="weight_range"),
                      _in("part", ("quantitative", "qualitative")))

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    part: Mapped[str] = mapped_column(String(16))
    weight: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


# --- people, uploads, audit -----------------------------------------------------------------------


class AppUser(Base):
    __tablename__ = "app_user"
    __table_args__ = (_in("role", tx.ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))  # for reporters
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Upload(Base):
    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    archive_path: Mapped[str | None] = mapped_column(String(500))


class FeedFile(Base):
    """A file of the energy-carbon platform feed and how far it has been loaded (the feed resumes from here)."""

    __tablename__ = "feed_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    lines_done: Mapped[int] = mapped_column(Integer, default=0)
    readings_added: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)  # readings already stored with the same value
    conflicts: Mapped[int] = mapped_column(Integer, default=0)  # readings for a stored hour with another value (kept the old)
    rejected: Mapped[int] = mapped_column(Integer, default=0)  # lines that were not readings (bad meter, value or time)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class FeedRejection(Base):
    """A feed line that was not loaded, with its reason: quarantined, so the rest of the file loads and an analyst
    can see what the platform sent wrong (the first 1,000 of each file's run are kept)."""

    __tablename__ = "feed_rejection"
    __table_args__ = (Index("ix_feed_rejection_file", "file_name", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))  # the content the line was read from
    line_no: Mapped[int] = mapped_column(Integer)  # 1-based, as an editor shows it (the header is line 1 of a CSV)
    reason: Mapped[str] = mapped_column(String(32))  # see data_access.feed.REASONS
    raw: Mapped[str] = mapped_column(String(500))  # the line as sent, cut at 500 characters
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)


class Meta(Base):
    """Small key/value store; 'data_version' changes on every write so caches know when to refresh."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=func.now())


class DisplayToken(Base):
    """A display link for the big screen of one park: read-only, that page only, revocable. The token itself is
    shown once to the admin who made it; only its SHA-256 is kept (data_access.display_store)."""

    __tablename__ = "display_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))  # e.g. 联席会议室大屏
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class WebSession(Base):
    """A password sign-in kept through browser reloads: the browser holds a random token in an HttpOnly cookie,
    the database only its SHA-256 (data_access.session_store). The sign-in page hands the browser a one-time ticket,
    good for a minute, which the server's /session/redeem route exchanges for the cookie."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    ticket_sha256: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    ticket_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    token_sha256: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class StoredOutlook(Base):
    """A 2030 outlook (forecast fan, chance of meeting the target, pace needed) computed after a data load by the
    command line, so the pages read it instead of fitting the models on a page view (dashboard.stored_outlooks). The
    key is a fingerprint of the outlook's inputs: a stored outlook is used exactly when its inputs are unchanged."""

    __tablename__ = "stored_outlook"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(40))
    period: Mapped[dt.date] = mapped_column(Date)  # the month the history was cut at
    method: Mapped[str] = mapped_column(String(20))  # the electricity conversion method of the series
    data_version: Mapped[str] = mapped_column(String(32))  # the data version it was computed from
    payload: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class StressScenario(Base):
    """A carbon-price scenario an analyst saved for a park (碳价压力测试): the price path (元/tCO2 by year), the share of
    emissions covered and the interest-cover threshold. The park's central scenario is the one the big screen shows
    and the risk rule `carbon_stress_exposure` tests against (at most one per park)."""

    __tablename__ = "stress_scenario"
    __table_args__ = (
        UniqueConstraint("park_id", "name"),
        CheckConstraint("covered_share >= 0 AND covered_share <= 1", name="covered_share_range"),
        CheckConstraint("threshold > 0", name="threshold_positive"),
        Index("ix_stress_scenario_one_central", "park_id", unique=True, sqlite_where=text("is_central"),
              postgresql_where=text("is_central")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    name: Mapped[str] = mapped_column(String(100))
    preset: Mapped[str] = mapped_column(String(20))  # low, central, high or custom: where the prices came from
    prices: Mapped[dict] = mapped_column(JSON)  # {"2026": 80, ...} 元/tCO2
    covered_share: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    test_year: Mapped[int] = mapped_column(Integer)
    is_central: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Subscription(Base):
    """What a user asked to be told about (issue 21 §3): new risk alerts, narrowed by rule, level, park and institution
    (an empty list means all), or each month's briefing; sent by e-mail to `email` and/or to the configured group
    webhook. Cancelling keeps the row (active = false) so what was sent stays explained."""

    __tablename__ = "subscription"
    __table_args__ = (
        _in("topic", tx.NOTIFY_TOPICS),
        CheckConstraint("email IS NOT NULL OR webhook", name="has_channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    topic: Mapped[str] = mapped_column(String(16))
    rule_codes: Mapped[list] = mapped_column(JSON, default=list)
    severities: Mapped[list] = mapped_column(JSON, default=list)
    park_ids: Mapped[list] = mapped_column(JSON, default=list)
    institution_ids: Mapped[list] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(200))
    webhook: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Notification(Base):
    """One message owed to a subscription: a new alert or a month's briefing (`subject`), on one channel. Recorded
    before it is sent, under a unique key, so a rerun or a second scheduler never sends it twice; a failed send keeps
    its error and is tried again on the next run, up to MAX_ATTEMPTS (data_access.notify_store)."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("subscription_id", "subject", "channel"),
        _in("channel", tx.NOTIFY_CHANNELS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    subject: Mapped[str] = mapped_column(String(64))  # "alert:123" or "briefing:PARK:2026-10"
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class SavedQuestion(Base):
    """A question of the Explore page (自助分析) kept under a name by its owner (issue 21 §2): its link's parameters,
    the users it is shared with, and whether it is pinned to the owner's overview as a tile."""

    __tablename__ = "saved_question"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict] = mapped_column(JSON)  # dashboard.explore.Question.to_params()
    shared_with: Mapped[list] = mapped_column(JSON, default=list)  # app_user ids
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
