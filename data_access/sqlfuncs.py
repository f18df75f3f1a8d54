"""Portable date buckets: the same expression compiles to SQLite and PostgreSQL SQL."""

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class day_of(FunctionElement):
    """The calendar day of a timestamp, as a DATE."""

    type = Date()
    inherit_cache = True
    name = "day_of"


class month_of(FunctionElement):
    """The first day of the month of a date or timestamp, as a DATE."""

    type = Date()
    inherit_cache = True
    name = "month_of"


@compiles(day_of, "sqlite")
def _day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(day_of, "postgresql")
def _day_pg(element, compiler, **kw):
    return f"CAST(date_trunc('day', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m-01', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_pg(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"
