"""Opeka's settings: one object, read once from the environment (``OPEKA_*``) and passed in.

Embedded default: everything under ``./opeka-data`` — the SQLite database ``opeka.db``, the key
store ``keys.db`` (kept apart from the data so that a copy of the data outlives no key), and the
secrets under ``keys/``. Production: ``OPEKA_DATABASE_URL`` points at PostgreSQL (the key store is
then the schema ``<schema>_keys`` of the same database) and ``OPEKA_MASTER_KEY`` carries the master
key, which then never touches the disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from opeka.policy.loader import DEFAULT_POLICY_PATH


class SettingsError(ValueError):
    """The configuration is unsafe or inconsistent; the message names the variable to fix."""


class Settings(BaseSettings):
    """Every knob Opeka reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="OPEKA_", extra="ignore", frozen=True)

    data_dir: Path = Field(default=Path("opeka-data"))
    database_url: str | None = None
    database_schema: str = Field(default="opeka", pattern=r"^[a-z_][a-z0-9_]{0,40}$")
    master_key: SecretStr | None = None
    policy: Path = DEFAULT_POLICY_PATH
    environment: Literal["development", "production", "test"] = "development"
    checkpoint_every_entries: int = Field(default=1024, ge=1)
    checkpoint_every_seconds: float = Field(default=60.0, gt=0)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Outgoing mail (opeka.mail.build_mailer): SMTP when smtp_host is set, else a development
    # outbox of .eml files under <data dir>/outbox (refused in production).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    mail_from: str = "noreply@localhost"
    # Fonts of the PDF documents (opeka.documents.pdf): DejaVuSans.ttf and DejaVuSans-Bold.ttf,
    # Debian's fonts-dejavu-core; they carry the Cyrillic glyphs.
    pdf_font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")

    @field_validator("data_dir", "policy", "pdf_font_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def is_sqlite(self) -> bool:
        """True on the embedded default (no ``OPEKA_DATABASE_URL`` or a ``sqlite:`` one)."""
        return self.database_url is None or self.database_url.startswith("sqlite")

    @property
    def data_url(self) -> str:
        """SQLAlchemy URL of the data database."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'opeka.db').resolve()}"

    @property
    def keystore_url(self) -> str:
        """SQLAlchemy URL of the key store: a file of its own on SQLite, else the same server."""
        if self.is_sqlite:
            return f"sqlite:///{(self.data_dir / 'keys.db').resolve()}"
        return self.data_url

    @property
    def keystore_schema(self) -> str:
        """PostgreSQL schema of the key store (unused on SQLite)."""
        return f"{self.database_schema}_keys"

    @property
    def keys_dir(self) -> Path:
        """Where the key files live (mode 0700)."""
        return self.data_dir / "keys"

    @property
    def master_key_file(self) -> Path:
        """The master key file used when ``OPEKA_MASTER_KEY`` is not set."""
        return self.keys_dir / "master.key"

    @property
    def signing_key_file(self) -> Path:
        """The journal's Ed25519 signing key (outside the database)."""
        return self.keys_dir / "journal-signing.key"

    @property
    def checkpoint_file(self) -> Path:
        """The append-only copy of every signed journal checkpoint, outside the database."""
        return self.data_dir / "journal" / "checkpoints.log"

    @property
    def log_dir(self) -> Path:
        """Application logs (never personal data)."""
        return self.data_dir / "logs"

    def check_safe(self) -> None:
        """Refuse settings that are unsafe outside development."""
        if self.environment != "production":
            return
        if self.is_sqlite:
            raise SettingsError("production needs PostgreSQL: set OPEKA_DATABASE_URL")
        if self.master_key is None:
            raise SettingsError(
                "production needs the master key from the environment: set OPEKA_MASTER_KEY"
            )
