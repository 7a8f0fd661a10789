"""The product's database: SQLite (WAL) by default under var/, PostgreSQL by URL; one engine
per URL and process, shared by the ticket store and the handoff queue."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Optional

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import declarative_base
from sqlalchemy.pool import QueuePool

from common.paths import VAR_DIR

Base = declarative_base()


def default_db_url() -> str:
    url = os.environ.get("INTAKE_DB_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(VAR_DIR) / 'tickets.db'}"


@lru_cache(maxsize=8)
def engine_for(url: Optional[str] = None) -> Engine:
    """The engine for ``url`` with every table of the product created."""
    url = url or default_db_url()
    kwargs = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
        if _sqlite_file(url):
            # SQLAlchemy 1.4 opens and closes a file database's connection for every session
            # (NullPool); closing the last connection checkpoints the WAL. Under load (issue 12)
            # that was a quarter of the action server's time. Kept connections instead, each used
            # by one thread at a time (the pool's rule), so any thread may take one.
            kwargs["poolclass"] = QueuePool
            kwargs["connect_args"]["check_same_thread"] = False
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_wal)
    # the tables register themselves on Base when their modules are imported
    import dispatch.handoffs  # noqa: F401
    import dispatch.history  # noqa: F401
    import dispatch.media  # noqa: F401
    import dispatch.outbox  # noqa: F401
    import dispatch.ratings  # noqa: F401
    import dispatch.store  # noqa: F401
    Base.metadata.create_all(engine)
    add_missing_columns(engine)
    return engine


def add_missing_columns(engine: Engine) -> None:
    """Columns a newer release added to an existing table (all nullable), added in place: a
    database filed into by the previous release keeps its tickets and keeps working. Changes that
    are not additions (a renamed or retyped column) need a written migration."""
    existing = inspect(engine)
    tables = set(existing.get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in tables:
            continue
        have = {c["name"] for c in existing.get_columns(table.name)}
        added = [column for column in table.columns if column.name not in have]
        for column in added:
            if not column.nullable:
                raise RuntimeError(f"{table.name}.{column.name} is new and NOT NULL: write a migration for it")
            kind = column.type.compile(dialect=engine.dialect)
            with engine.begin() as connection:
                connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
        for index in table.indexes:
            if any(column in added for column in index.columns):
                index.create(engine, checkfirst=True)


def _sqlite_file(url: str) -> bool:
    database = make_url(url).database
    return bool(database) and database != ":memory:" and not database.startswith("file::memory:")


def _sqlite_wal(dbapi_connection, _record) -> None:
    # WAL lets the app server read while the action server files
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
