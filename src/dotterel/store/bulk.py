"""Bulk writes for :meth:`Store.save_many <dotterel.store.sql.Store.save_many>`: rows go to the
driver as tuples in one ``executemany`` (SQLite) or one ``COPY`` (PostgreSQL) per table and
batch, inside the caller's transaction, without SQLAlchemy compiling parameters row by row.
Only the store's own tables and column names are ever put into the SQL text."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Table


def _cols(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def insert_rows(conn: Connection, table: Table, cols: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``cols``) into ``table``."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({_cols(cols)}) FROM STDIN') as copy:  # type: ignore[union-attr]  # psycopg 3
            for row in rows:
                copy.write_row(row)
        return
    if conn.dialect.name == "sqlite":
        sql = f'INSERT INTO "{table.name}" ({_cols(cols)}) VALUES ({", ".join("?" * len(cols))})'
        conn.connection.driver_connection.executemany(sql, rows)  # type: ignore[union-attr]  # sqlite3
        return
    conn.execute(table.insert(), [dict(zip(cols, r, strict=True)) for r in rows])


def add_rows(conn: Connection, table: Table, keys: Sequence[str], sums: Sequence[str], rows: Sequence[tuple]) -> None:
    """Upsert ``rows`` (``keys`` then ``sums``): a row whose key exists has the sums added."""
    if not rows:
        return
    cols = (*keys, *sums)
    update = ", ".join(f'"{c}" = "{table.name}"."{c}" + excluded."{c}"' for c in sums)
    conflict = f"ON CONFLICT ({_cols(keys)}) DO UPDATE SET {update}"
    if conn.dialect.name == "postgresql":
        tmp = f"tmp_{table.name}"
        conn.exec_driver_sql(f'CREATE TEMP TABLE IF NOT EXISTS "{tmp}" (LIKE "{table.name}") ON COMMIT DELETE ROWS')
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f'COPY "{tmp}" ({_cols(cols)}) FROM STDIN') as copy:  # type: ignore[union-attr]  # psycopg 3
            for row in rows:
                copy.write_row(row)
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({_cols(cols)}) SELECT {_cols(cols)} FROM "{tmp}" {conflict}')
        conn.exec_driver_sql(f'TRUNCATE "{tmp}"')
        return
    sql = f'INSERT INTO "{table.name}" ({_cols(cols)}) VALUES ({", ".join("?" * len(cols))}) {conflict}'
    conn.connection.driver_connection.executemany(sql, rows)  # type: ignore[union-attr]  # sqlite3


def fetch_in(conn: Connection, table: Table, cols: Sequence[str], key: str, values: Sequence, since: tuple[str, str] | None = None
             ) -> list[tuple]:
    """``SELECT cols FROM table WHERE key IN values [AND since[0] >= since[1]]`` through the
    driver's cursor (rows as plain tuples; no statement compiled per call)."""
    if not values:
        return []
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f'SELECT {_cols(cols)} FROM "{table.name}" WHERE "{key}" IN ({", ".join([mark] * len(values))})'
    params = list(values)
    if since is not None:
        sql += f' AND "{since[0]}" >= {mark}'
        params.append(since[1])
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(sql, params)
        return list(cur.fetchall())
    finally:
        cur.close()
