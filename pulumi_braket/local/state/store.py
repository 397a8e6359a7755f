"""SQLite persistence for the local Braket service: one connection, one lock, no lost updates."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    arn TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    client_token TEXT NOT NULL,
    digest TEXT NOT NULL,
    ends_at REAL NOT NULL,
    record TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_token ON resources (kind, region, client_token);
CREATE INDEX IF NOT EXISTS resources_active ON resources (kind, region, ends_at);
CREATE TABLE IF NOT EXISTS tags (
    arn TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (arn, key)
);
CREATE TABLE IF NOT EXISTS buckets (
    name TEXT PRIMARY KEY,
    region TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    etag TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE TABLE IF NOT EXISTS calls (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    operation TEXT NOT NULL,
    status INTEGER NOT NULL,
    code TEXT
);
"""


@dataclass
class Row:
    """A stored job or quantum task."""

    seq: int
    arn: str
    kind: str
    region: str
    client_token: str
    digest: str
    ends_at: float
    record: dict[str, Any]


class Store:
    """All state of the service. Every public method is one transaction under one lock.

    A single connection behind a lock is how SQLite is used safely from many threads:
    it can never answer "database is locked", and the work per call is microseconds.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path or ":memory:"
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; callers compose reads and writes inside it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @staticmethod
    def _row(values: tuple[Any, ...]) -> Row:
        seq, arn, kind, region, token, digest, ends_at, record = values
        return Row(seq, arn, kind, region, token, digest, ends_at, json.loads(record))

    _COLUMNS = "seq, arn, kind, region, client_token, digest, ends_at, record"

    def get(self, db: sqlite3.Connection, arn: str) -> Row | None:
        found = db.execute(
            f"SELECT {self._COLUMNS} FROM resources WHERE arn = ?", (arn,)
        ).fetchone()
        return self._row(found) if found else None

    def by_token(self, db: sqlite3.Connection, kind: str, region: str, token: str) -> Row | None:
        found = db.execute(
            f"SELECT {self._COLUMNS} FROM resources"
            " WHERE kind = ? AND region = ? AND client_token = ?",
            (kind, region, token),
        ).fetchone()
        return self._row(found) if found else None

    def insert(self, db: sqlite3.Connection, row: Row) -> None:
        db.execute(
            "INSERT INTO resources (arn, kind, region, client_token, digest, ends_at, record)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row.arn,
                row.kind,
                row.region,
                row.client_token,
                row.digest,
                row.ends_at,
                json.dumps(row.record),
            ),
        )

    def update(self, db: sqlite3.Connection, row: Row) -> None:
        db.execute(
            "UPDATE resources SET ends_at = ?, record = ? WHERE arn = ?",
            (row.ends_at, json.dumps(row.record), row.arn),
        )

    def delete(self, db: sqlite3.Connection, arn: str) -> None:
        db.execute("DELETE FROM resources WHERE arn = ?", (arn,))
        db.execute("DELETE FROM tags WHERE arn = ?", (arn,))

    def count_active(self, db: sqlite3.Connection, kind: str, region: str, now: float) -> int:
        (count,) = db.execute(
            "SELECT COUNT(*) FROM resources WHERE kind = ? AND region = ? AND ends_at > ?",
            (kind, region, now),
        ).fetchone()
        return int(count)

    def unfinished(self, db: sqlite3.Connection) -> list[Row]:
        """Executed rows still waiting for an end (their ends_at is +inf until they have one)."""
        cursor = db.execute(
            f"SELECT {self._COLUMNS} FROM resources WHERE ends_at > 1e300 ORDER BY seq"
        )
        return [self._row(values) for values in cursor.fetchall()]

    def scan(self, db: sqlite3.Connection, kind: str, region: str, after: int) -> Iterator[Row]:
        """Rows in insertion order after ``after``: new rows only ever come later."""
        cursor = db.execute(
            f"SELECT {self._COLUMNS} FROM resources WHERE kind = ? AND region = ? AND seq > ?"
            " ORDER BY seq",
            (kind, region, after),
        )
        for values in cursor.fetchall():
            yield self._row(values)

    def tags(self, db: sqlite3.Connection, arn: str) -> dict[str, str]:
        rows = db.execute("SELECT key, value FROM tags WHERE arn = ? ORDER BY key", (arn,))
        return {key: value for key, value in rows.fetchall()}

    def set_tags(self, db: sqlite3.Connection, arn: str, tags: dict[str, str]) -> None:
        db.executemany(
            "INSERT INTO tags (arn, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value",
            [(arn, key, value) for key, value in tags.items()],
        )

    def remove_tags(self, db: sqlite3.Connection, arn: str, keys: list[str]) -> None:
        db.executemany("DELETE FROM tags WHERE arn = ? AND key = ?", [(arn, key) for key in keys])

    @property
    def persistent(self) -> bool:
        return self.path != ":memory:"

    def saved_buckets(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._db.execute("SELECT name, region FROM buckets ORDER BY name"))

    def saved_objects(self) -> Iterator[tuple[str, str, bytes]]:
        with self._lock:
            rows = self._db.execute("SELECT bucket, key, body FROM objects ORDER BY bucket, key")
            found = rows.fetchall()
        for bucket, key, body in found:
            yield bucket, key, bytes(body)

    def save_objects(
        self,
        buckets: list[tuple[str, str]],
        changed: list[tuple[str, str, str, bytes]],
        removed: list[tuple[str, str]],
    ) -> None:
        """Mirror S3: the bucket list whole, changed objects written, removed ones deleted."""
        with self.transaction() as db:
            db.execute("DELETE FROM buckets")
            db.executemany("INSERT INTO buckets (name, region) VALUES (?, ?)", buckets)
            db.executemany(
                "INSERT INTO objects (bucket, key, etag, body) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (bucket, key) DO UPDATE SET etag = excluded.etag,"
                " body = excluded.body",
                changed,
            )
            db.executemany("DELETE FROM objects WHERE bucket = ? AND key = ?", removed)

    def log_call(self, at: float, operation: str, status: int, code: str | None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO calls (at, operation, status, code) VALUES (?, ?, ?, ?)",
                (at, operation, status, code),
            )

    def calls(self, since: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, at, operation, status, code FROM calls WHERE seq > ? ORDER BY seq",
                (since,),
            ).fetchall()
        return [
            {"seq": seq, "at": at, "operation": op, "status": status, "code": code}
            for seq, at, op, status, code in rows
        ]
