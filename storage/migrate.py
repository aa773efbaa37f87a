"""Alembic, driven from code: ``copbot db upgrade`` and the self-migrating embedded default."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

# Tables in our database that other libraries own: Slack's OAuth stores (made by revision
# 0002, kept in the layout slack_sdk uses) and APScheduler's job store (made by APScheduler).
# Autogenerate and the schema check leave them alone.
EXTERNAL_TABLES = frozenset(
    {"slack_installations", "slack_bots", "slack_oauth_states", "apscheduler_jobs"}
)


# The full-text index lives beside the models: SQLite's FTS5 table (and the shadow tables
# FTS5 makes for it) and PostgreSQL's expression index, both made by revision 0007.
FULL_TEXT_PREFIXES = ("knowledge_fts", "knowledge_vocab", "ix_knowledge_docs_tsv")


def ours(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: everything but the external tables and the
    full-text index."""
    if name is not None and name.startswith(FULL_TEXT_PREFIXES):
        return False
    return not (type_ == "table" and name in EXTERNAL_TABLES)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def current(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
