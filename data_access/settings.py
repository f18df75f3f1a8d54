"""Settings have one way in: environment variable, then `.streamlit/secrets.toml`, then a default."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"  # git-ignored
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'zcpark.db'}"


def _secrets(path: Path = SECRETS_FILE) -> dict:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def setting(name: str, default: str | None = None, *, secrets_path: Path = SECRETS_FILE) -> str | None:
    """Read a setting: the environment variable `name`, else `name` (top level) in secrets.toml, else default."""
    if os.environ.get(name):
        return os.environ[name]
    value = _secrets(secrets_path).get(name)
    return str(value) if value is not None else default


def database_url(*, secrets_path: Path = SECRETS_FILE) -> str:
    """The database URL: DATABASE_URL from the environment or secrets.toml, else the embedded SQLite file."""
    return setting("DATABASE_URL", DEFAULT_DATABASE_URL, secrets_path=secrets_path) or DEFAULT_DATABASE_URL


def redact(url: str) -> str:
    """A URL fit for logs and pages: the password is replaced by ***."""
    return make_url(url).render_as_string(hide_password=True)


def notify_channels_on() -> dict[str, bool]:
    """Which channels of `python -m cli notify` are configured: e-mail (NOTIFY_SMTP_HOST), the group webhook
    (NOTIFY_WEBHOOK_URL). Both are off by default."""
    return {"email": bool(setting("NOTIFY_SMTP_HOST")), "webhook": bool(setting("NOTIFY_WEBHOOK_URL"))}
