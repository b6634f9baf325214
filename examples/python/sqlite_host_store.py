# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""A host store in Python over the standard library's sqlite3: what a
Python mail application does to keep ioreplication's objects in its own
database. The same schema as examples/c_host/sqlite_host_store.c."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import ioreplication as ior

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
  local_cn INTEGER PRIMARY KEY,
  key BLOB NOT NULL UNIQUE,
  kind INTEGER NOT NULL,
  parent BLOB,
  data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS records_by_parent ON records (parent, kind);
CREATE TABLE IF NOT EXISTS host_values (name TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


class SqliteHostStore(ior.HostStore):
    """Records and values in an SQLite file, in WAL mode, every commit
    durable."""

    def __init__(self, path: str) -> None:
        # Transactions are ours (isolation_level=None: no implicit BEGIN).
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.executescript(_SCHEMA)

    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        self.db.execute("ROLLBACK")

    @staticmethod
    def _record(row) -> ior.Record:
        local_cn, kind, parent, key, data = row
        return ior.Record(
            kind=ior.Kind(kind),
            key=ior.Key(key),
            parent=None if parent is None else ior.Key(parent),
            local_cn=local_cn,
            data=data or b"",
        )

    def get(self, key, with_data):
        data = "data" if with_data else "NULL"
        row = self.db.execute(
            f"SELECT local_cn, kind, parent, key, {data} FROM records WHERE key = ?",
            (key.raw,),
        ).fetchone()
        return None if row is None else self._record(row)

    def put(self, record) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO records (local_cn, key, kind, parent, data) "
            "VALUES (?, ?, ?, ?, ?)",
            (record.local_cn, record.key.raw, int(record.kind),
             None if record.parent is None else record.parent.raw, record.data),
        )

    def remove(self, key) -> None:
        self.db.execute("DELETE FROM records WHERE key = ?", (key.raw,))

    def list(self, parent, kinds, limit, with_data) -> Iterator[ior.Record]:
        data = "data" if with_data else "NULL"
        rows = self.db.execute(
            f"SELECT local_cn, kind, parent, key, {data} FROM records "
            "WHERE parent IS ? AND (kind & ?) != 0 LIMIT ?",
            (None if parent is None else parent.raw, int(kinds), limit or -1),
        )
        return map(self._record, rows)

    def scan(self, first, last, kinds, max_count, max_bytes):
        rows = self.db.execute(
            "SELECT local_cn, kind, parent, key, data FROM records "
            "WHERE local_cn BETWEEN ? AND ? AND (kind & ?) != 0 "
            "ORDER BY local_cn LIMIT ?",
            (first, min(last, 2**63 - 1), int(kinds), max_count),
        )
        size = 0
        for row in rows:
            yield self._record(row)
            size += len(row[4])
            if size >= max_bytes:
                return

    def count(self, kind) -> int:
        return self.db.execute(
            "SELECT count(*) FROM records WHERE kind = ?", (int(kind),)
        ).fetchone()[0]

    def get_value(self, name):
        row = self.db.execute(
            "SELECT data FROM host_values WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else row[0]

    def put_value(self, name, data) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO host_values (name, data) VALUES (?, ?)",
            (name, data),
        )

    def close(self) -> None:
        self.db.close()
