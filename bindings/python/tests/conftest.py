# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Shared fixtures for the binding's tests, and a host store kept in Python
dicts that the host store tests run through sessions."""

from __future__ import annotations

import pytest

import ioreplication as ior


class DictHostStore(ior.HostStore):
    """Records and values in dicts; a transaction snapshots them at begin.
    `fail_next` makes the named method raise once; `closed` counts close()."""

    def __init__(self) -> None:
        self.records: dict[ior.Key, ior.Record] = {}
        self.values: dict[str, bytes] = {}
        self.saved = None
        self.fail_next: str | None = None
        self.closed = 0
        self.calls: dict[str, int] = {}

    def _enter(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1
        if self.fail_next == name:
            self.fail_next = None
            raise RuntimeError(f"injected failure in {name}")

    def begin(self) -> None:
        self._enter("begin")
        assert self.saved is None, "begin inside a transaction"
        self.saved = (dict(self.records), dict(self.values))

    def commit(self) -> None:
        self._enter("commit")
        assert self.saved is not None
        self.saved = None

    def rollback(self) -> None:
        self._enter("rollback")
        self.records, self.values = self.saved
        self.saved = None

    def get(self, key, with_data):
        self._enter("get")
        return self.records.get(key)

    def put(self, record) -> None:
        self._enter("put")
        assert self.saved is not None, "put outside a transaction"
        self.records[record.key] = record

    def remove(self, key) -> None:
        self._enter("remove")
        assert self.saved is not None, "remove outside a transaction"
        del self.records[key]

    def list(self, parent, kinds, limit, with_data):
        self._enter("list")
        found = [r for r in self.records.values()
                 if r.parent == parent and r.kind & kinds]
        return found[:limit] if limit else found

    def scan(self, first, last, kinds, max_count, max_bytes):
        self._enter("scan")
        found = sorted((r for r in self.records.values()
                        if first <= r.local_cn <= last and r.kind & kinds),
                       key=lambda r: r.local_cn)
        out, size = [], 0
        for r in found:
            if out and (len(out) >= max_count or size >= max_bytes):
                break
            out.append(r)
            size += len(r.data)
        return out

    def count(self, kind) -> int:
        self._enter("count")
        return sum(1 for r in self.records.values() if r.kind == kind)

    def get_value(self, name):
        self._enter("get_value")
        return self.values.get(name)

    def put_value(self, name, data) -> None:
        self._enter("put_value")
        self.values[name] = bytes(data)

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def store():
    with ior.Store.open("memory:test") as s:
        s.create_root("Root")
        yield s


@pytest.fixture
def sqlite_uri(tmp_path):
    def make(name: str) -> str:
        return f"sqlite:{tmp_path / name}.db"
    return make


def post(subject: str, body: str = "") -> ior.Content:
    return ior.Content("IPM.Post", body=body or f"Body of {subject}",
                       props={ior.PR_SUBJECT: subject})
