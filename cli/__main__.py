"""Command line: `python -m cli COMMAND`.

    upgrade                 apply the Alembic migrations to DATABASE_URL (or the embedded SQLite file)
    seed-demo               fill an empty database with the deterministic demo parks
    info                    print the database (password hidden), its revision and row counts
    risk-run                run the risk rules for every park (or --park CODE) at the last reported month, then outlooks
    template                write a blank Excel template for a kind of report
    import                  check a file and import it whole, or nothing
    feed                    load the energy-carbon platform feed (a file or a folder), incrementally
    feed-simulate           write realistic hourly feed files for a demo park
    briefing                write the 零碳金融简报 of a month as a Word document (--period 2026-10 [--institution CODE])
    create-admin            create an admin account on the server (the web app never does)
    park-method             set a park's electricity conversion method (calorific 当量值 | coal_equivalent 等价值)
    outlooks                compute and store the 2030 outlooks the pages read (every load does it; risk-run too)
    meter-partitions        PostgreSQL: create meter_reading's monthly partitions ahead (run monthly from cron)
    notify                  send new alerts and briefings to their subscribers, once each (run from cron)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sqlalchemy import func, select

from data_access import db, demo, settings
from data_access.models import Base, Park


def _progress(fraction: float, message: str) -> None:
    print(f"\r[{fraction * 100:5.1f}%] {message:<60}", end="", file=sys.stderr, flush=True)


def _database(args):
    """The engine of --database-url, migrated to the current schema."""
    engine = db.make_engine(args.database_url)
    db.ensure_schema(engine)
    return engine


def _exists(path: Path, found: bool, what: str) -> bool:
    """False, after saying so on stderr, when `path` is not there."""
    if not found:
        print(f"error: no such {what}: {path}", file=sys.stderr)
    return found


def cmd_upgrade(args) -> int:
    engine = db.make_engine(args.database_url)
    db.upgrade(engine)
    print(f"database at head: {settings.redact(engine.url.render_as_string(hide_password=False))}")
    return 0


def cmd_seed_demo(args) -> int:
    engine = _database(args)
    if not db.is_empty(engine):
        print("error: the database already holds parks; seed-demo only fills an empty database", file=sys.stderr)
        return 2
    today = dt.date.fromisoformat(args.today) if args.today else None
    counts = demo.seed_demo(engine, today=today, hourly_months=args.hourly_months, progress=_progress)
    print(file=sys.stderr)
    for table, n in counts.items():
        print(f"{table:28s} {n:>12,d}")
    return cmd_risk_run(argparse.Namespace(database_url=args.database_url, park=None))  # rules run after every load


def cmd_risk_run(args) -> int:
    # The checks live in dashboard/ (they use the indicator and carbon computations); imported here only.
    from dashboard.checks import after_load
    from data_access.queries import load_parks

    engine = _database(args)
    with db.writing(engine) as conn:
        if args.park and args.park not in set(load_parks(conn)["code"]):
            print(f"error: no park with code {args.park!r}", file=sys.stderr)
            return 2
        for code, period, added in after_load(conn, park_code=args.park):
            print(f"{code}: no data, nothing to check" if period is None
                  else f"{code}: guideline applied and rules run for {period:%Y-%m}, {added} new alerts")
    return cmd_outlooks(args)  # after every load: the 2030 outlooks the pages read


def cmd_outlooks(args) -> int:
    from dashboard import stored_outlooks

    engine = _database(args)
    with engine.connect() as conn:
        if args.park and args.park not in set(conn.execute(select(Park.code)).scalars()):
            print(f"error: no park with code {args.park!r}", file=sys.stderr)
            return 2
    stored_outlooks.refresh(engine, park_code=args.park, progress=lambda line: print(f"{line}", flush=True))
    return 0


def cmd_template(args) -> int:
    from data_access.ingest.kinds import KINDS
    from data_access.ingest.templates import template_bytes

    if args.list or not args.kind:
        for k in KINDS.values():
            print(f"{k.code:18s} {k.zh} · {k.en}")
        return 0
    if args.kind not in KINDS:
        print(f"error: unknown kind {args.kind!r}; `template --list` shows the kinds", file=sys.stderr)
        return 2
    out = Path(args.out or f"{args.kind}.xlsx")
    out.write_bytes(template_bytes(args.kind))
    print(f"template written: {out}")
    return 0


def cmd_import(args) -> int:
    """Import a file; on any problem print every one, write nothing and exit 1."""
    from sqlalchemy import select

    from data_access.ingest.kinds import KINDS
    from data_access.ingest.load import run_import
    from data_access.models import AppUser

    if args.kind not in KINDS:
        print(f"error: unknown kind {args.kind!r}; `template --list` shows the kinds", file=sys.stderr)
        return 2
    path = Path(args.file)
    if not _exists(path, path.is_file(), "file"):
        return 2
    engine = _database(args)
    actor, institution_id = "cli", None
    if args.as_user:
        with engine.connect() as conn:
            user = conn.execute(select(AppUser.username, AppUser.role, AppUser.institution_id)
                                .where(AppUser.username == args.as_user, AppUser.is_active.is_(True))).first()
        if user is None:
            print(f"error: no active user {args.as_user!r}", file=sys.stderr)
            return 2
        actor = user.username
        institution_id = user.institution_id if user.role == "institution_reporter" else None
    result = run_import(engine, args.kind, path.read_bytes(), path.name, actor=actor, institution_id=institution_id)
    if not result.ok:
        print(f"refused: {len(result.problems)} problem(s) in {path.name}; nothing was written", file=sys.stderr)
        for p in result.problems:
            print(f"  {p.line()}", file=sys.stderr)
        return 1
    print(f"imported {path.name}: {result.rows} rows, {result.added} added, {result.changed} changed (old values kept), "
          f"{result.unchanged} unchanged; upload {result.upload_id}, sha256 {result.sha256[:12]}")
    for c in result.changes[:50]:
        print(f"  changed {c['key']} {c['period']} {c['column']}: {c['old']} -> {c['new']}")
    if result.added or result.changed:
        return cmd_risk_run(argparse.Namespace(database_url=args.database_url, park=None))  # checks run after every load
    return 0


def cmd_feed(args) -> int:
    from data_access.feed import REASONS, load_feed

    path = Path(args.path)
    if not _exists(path, path.exists(), "file or folder"):
        return 2
    engine = _database(args)
    r = load_feed(engine, path)
    print(f"feed {path}: {r.files} file(s), {r.lines} lines, {r.added} readings added, {r.duplicates} already stored, "
          f"{r.conflicts} conflicting (stored value kept), {r.rejected} rejected lines, rollups refreshed for {r.days} day(s)")
    for reason, n in sorted(r.reasons.items(), key=lambda kv: -kv[1]):
        print(f"  quarantined: {n} line(s), {REASONS[reason][1]} (table feed_rejection)")
    for name, error in r.failed:
        print(f"error: feed file {name} could not be read ({error}); the other files were loaded", file=sys.stderr)
    if r.added:
        code = cmd_risk_run(argparse.Namespace(database_url=args.database_url, park=None))  # checks run after every load
        return code or (1 if r.failed else 0)
    return 1 if r.failed else 0


def cmd_feed_simulate(args) -> int:
    from data_access.feed import simulate

    engine = _database(args)
    files = simulate(engine, Path(args.out), park_code=args.park, hours=args.hours)
    print(f"wrote {len(files)} hourly feed file(s) to {args.out}" + (f": {files[0].name} .. {files[-1].name}" if files else ""))
    return 0


def cmd_info(args) -> int:
    engine = db.make_engine(args.database_url)
    print(f"database: {settings.redact(engine.url.render_as_string(hide_password=False))}")
    print(f"schema current: {db.schema_is_current(engine)}")
    if not db.schema_is_current(engine):
        return 0
    with engine.connect() as conn:
        print(f"data version: {db.data_version(conn)}")
        for table in Base.metadata.sorted_tables:
            n = conn.execute(select(func.count()).select_from(table)).scalar_one()
            print(f"{table.name:28s} {n:>12,d}")
    return 0


def cmd_briefing(args) -> int:
    # The briefing is composed in dashboard/ (indicators, sentences, charts); imported here only.
    from dashboard import briefing, exports
    from data_access.queries import load_institutions, load_parks
    from data_access.scope import Scope

    try:
        period = dt.date.fromisoformat(f"{args.period}-01")
    except ValueError:
        print(f"error: --period must be YYYY-MM, not {args.period!r}", file=sys.stderr)
        return 2
    engine = _database(args)
    with engine.connect() as conn:
        parks = load_parks(conn)
        if parks.empty:
            print("error: the database holds no parks (run seed-demo or import data first)", file=sys.stderr)
            return 2
        code = args.park or str(parks["code"].iloc[0])
        if code not in set(parks["code"]):
            print(f"error: no park with code {code!r}; parks: {', '.join(parks['code'])}", file=sys.stderr)
            return 2
        park_id = int(parks.set_index("code").loc[code, "id"])
        scope = Scope("pboc_analyst")
        if args.institution:
            inst = load_institutions(conn)
            match = inst[inst["code"] == args.institution]
            if match.empty:
                print(f"error: no institution with code {args.institution!r}", file=sys.stderr)
                return 2
            scope = Scope("institution_reporter", int(match["id"].iloc[0]))
        content, bundle = briefing.gather_compose(conn, park_id=park_id, period=period, scope=scope, lang=args.lang)
    if content is None:
        print(f"error: no credit data for {code} in {args.period}; the last month with data is "
              f"{bundle.data_end.get('credit') or 'none'}", file=sys.stderr)
        return 2
    try:
        document = briefing.document(content)
    except exports.ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out or briefing.file_name(content))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(document)
    for sentence in content["sentences"] + content["ledgers"]:
        print(sentence)
    print(f"written: {out} ({len(document):,d} bytes)")
    return 0


def cmd_park_method(args) -> int:
    from data_access.queries import set_park_electricity_method

    engine = _database(args)
    try:
        with db.writing(engine) as conn:
            old = set_park_electricity_method(conn, park_code=args.park, method=args.method, actor="cli")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.park}: electricity conversion {old} -> {args.method}; the core band and target follow it")
    return cmd_risk_run(argparse.Namespace(database_url=args.database_url, park=args.park))  # targets changed


def cmd_meter_partitions(args) -> int:
    from data_access import partitions

    engine = _database(args)
    with db.writing(engine, bump=False) as conn:  # no data changes: pages keep their caches
        if not partitions.is_partitioned(conn):
            print("meter_reading is one plain table on this database (SQLite); nothing to do")
            return 0
        created = partitions.ensure_ahead(conn, ahead=args.ahead)
        have = partitions.existing(conn)
    print(f"created {len(created)} monthly partition(s){': ' + ', '.join(created) if created else ''}; "
          f"{len(have)} in all, {partitions.DEFAULT} included")
    return 0


def cmd_notify(args) -> int:
    """Send what is new to its subscribers, once; exit 1 when a message failed (it is retried on the next run)."""
    from cli import notify

    channels = notify.Channels.from_settings()
    report = notify.run(_database(args), channels)
    print(f"sent: {report.sent['email']} e-mail(s), {report.sent['webhook']} webhook message(s)")
    for channel, setting in (("email", "NOTIFY_SMTP_HOST"), ("webhook", "NOTIFY_WEBHOOK_URL")):
        if report.waiting_for_channel[channel]:
            print(f"{channel} is off ({setting} not set): {report.waiting_for_channel[channel]} alert message(s) wait for it")
    for line in report.failed:
        print(f"failed (tried again next run): {line}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_create_admin(args) -> int:
    """Create an admin account. The password comes from ADMIN_PASSWORD, from standard input (--password-stdin) or
    from a prompt; it is never an argument (it would stay in the shell history and the process list)."""
    import getpass
    import os

    from data_access import auth

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif os.environ.get("ADMIN_PASSWORD"):
        password = os.environ["ADMIN_PASSWORD"]
    else:
        password = getpass.getpass("admin password: ")
        if getpass.getpass("again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    engine = _database(args)
    try:
        with db.writing(engine) as conn:
            user = auth.create_user(conn, actor="cli", username=args.username, display_name=args.display_name,
                                    role="admin", password=password)
    except auth.AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"admin {user.username!r} created")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="overrides DATABASE_URL and secrets.toml")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_upgrade)
    seed = sub.add_parser("seed-demo", help="fill an empty database with demo data")
    seed.add_argument("--hourly-months", type=int, default=24, help="months of hourly meter data (default 24)")
    seed.add_argument("--today", help="pretend today is this date (YYYY-MM-DD), for reproducible data sets")
    seed.set_defaults(func=cmd_seed_demo)
    sub.add_parser("info", help="show the database and row counts").set_defaults(func=cmd_info)
    risk = sub.add_parser("risk-run", help="run the risk rules and record new alerts")
    risk.add_argument("--park", help="park code (default: every park)")
    risk.set_defaults(func=cmd_risk_run)
    ol = sub.add_parser("outlooks", help="compute and store the 2030 outlooks the pages read (risk-run does it too)")
    ol.add_argument("--park", help="park code (default: every park)")
    ol.set_defaults(func=cmd_outlooks)
    tpl = sub.add_parser("template", help="write a blank Excel template for a kind of report")
    tpl.add_argument("kind", nargs="?", help="kind (see --list)")
    tpl.add_argument("out", nargs="?", help="output .xlsx (default KIND.xlsx)")
    tpl.add_argument("--list", action="store_true", help="list the kinds")
    tpl.set_defaults(func=cmd_template)
    imp = sub.add_parser("import", help="check a file and import it whole, or nothing")
    imp.add_argument("kind")
    imp.add_argument("file")
    imp.add_argument("--as", dest="as_user", help="import as this user (a reporter may only send its institution's rows)")
    imp.set_defaults(func=cmd_import)
    feed = sub.add_parser("feed", help="load the energy-carbon platform feed (a file or a folder), incrementally")
    feed.add_argument("path")
    feed.set_defaults(func=cmd_feed)
    sim = sub.add_parser("feed-simulate", help="write realistic hourly feed files for a demo park")
    sim.add_argument("--park", default="YQ-HTZ", help="park code (default YQ-HTZ)")
    sim.add_argument("--hours", type=int, default=24, help="hours to write after the last stored reading (default 24)")
    sim.add_argument("--out", default="data/feed", help="folder (default data/feed)")
    sim.set_defaults(func=cmd_feed_simulate)
    br = sub.add_parser("briefing", help="write the 零碳金融简报 of a month as a Word document")
    br.add_argument("--period", required=True, help="month, YYYY-MM")
    br.add_argument("--institution", help="institution code (default: the park-wide PBOC briefing)")
    br.add_argument("--park", help="park code (default: the first park)")
    br.add_argument("--lang", choices=("zh", "en"), default="zh")
    br.add_argument("--out", help="output .docx (default 零碳金融简报_<who>_<period>.docx)")
    br.set_defaults(func=cmd_briefing)
    ca = sub.add_parser("create-admin", help="create an admin account (the web app never creates one)")
    ca.add_argument("--username", default="admin")
    ca.add_argument("--display-name", default="系统管理员")
    ca.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    ca.set_defaults(func=cmd_create_admin)
    pm = sub.add_parser("park-method", help="set a park's electricity conversion method (a park setting)")
    pm.add_argument("park", help="park code")
    pm.add_argument("method", choices=("calorific", "coal_equivalent"), help="calorific = 当量值, coal_equivalent = 等价值")
    pm.set_defaults(func=cmd_park_method)
    mp = sub.add_parser("meter-partitions", help="PostgreSQL: create meter_reading's monthly partitions ahead")
    mp.add_argument("--ahead", type=int, default=12, help="months after this one (default 12)")
    mp.set_defaults(func=cmd_meter_partitions)
    sub.add_parser("notify", help="send new alerts and briefings to their subscribers (run from cron every few minutes)"
                   ).set_defaults(func=cmd_notify)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
