"""Hot, fixed SQL statements, prepared once per database connection on PostgreSQL.

Django's PostgreSQL cursors bind parameters on the client, so the server parses
and plans every statement again; for the statements a respondent triggers on
every request (bench/submissions.py) that was a large share of the work. Here
they run on a server-binding psycopg cursor of the same connection and
transaction, prepared when the connection allows it (settings:
DATABASE_PREPARED_STATEMENTS), and still pass through Django's execute
wrappers and debug log (tests that count queries see them) and its error mapping
(a unique violation is still django.db.IntegrityError). Elsewhere (SQLite)
this is an ordinary cursor.execute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper

Params = Mapping[str, Any] | Sequence[Any]


def table(model: Any) -> str:
    """A model's table name, quoted for this database, for hand-written SQL."""
    return str(connection.ops.quote_name(model._meta.db_table))


def columns(*names: str) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _rows(sql: str, params: Params, *, one: bool) -> Any:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchone() if one else cursor.fetchall()
        import psycopg

        with psycopg.Cursor(cursor.cursor.connection) as prepared:

            def executor(sql: str, params: Any, many: bool, context: Any) -> Any:
                with connection.wrap_database_errors:
                    return prepared.execute(sql, params, prepare=None)

            # In DEBUG (and in tests that capture queries) Django's debug cursor logs what it runs.
            logged = cursor.debug_sql(sql, params) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
            with logged:
                cursor._execute_with_wrappers(sql, params, many=False, executor=executor)
            return prepared.fetchone() if one else prepared.fetchall()


def fetchone(sql: str, params: Params) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = _rows(sql, params, one=True)
    return row


def fetchall(sql: str, params: Params) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = _rows(sql, params, one=False)
    return rows
