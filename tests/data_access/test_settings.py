"""Settings: environment first, then secrets.toml, then the embedded default; passwords never printed."""

from data_access import settings


def test_environment_wins_over_secrets(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "postgresql+psycopg://u:p@from-secrets/db"\n', encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    assert settings.database_url(secrets_path=secrets) == "sqlite:///from-env.db"


def test_secrets_file_is_read(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "postgresql+psycopg://u:p@from-secrets/db"\n', encoding="utf-8")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert settings.database_url(secrets_path=secrets) == "postgresql+psycopg://u:p@from-secrets/db"


def test_default_is_the_embedded_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = settings.database_url(secrets_path=tmp_path / "absent.toml")
    assert url.startswith("sqlite:///") and url.endswith("data/zcpark.db")


def test_redact_hides_the_password():
    shown = settings.redact("postgresql+psycopg://zcpark:s3cret@db:5432/zcpark")
    assert "s3cret" not in shown and "***" in shown
