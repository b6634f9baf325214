# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Host stores: a store whose records live in Python (or in whatever
storage Python code reaches)."""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Iterable

from ioreplication._errors import Error, check, note_callback_exception
from ioreplication._calls import ffi, lib
from ioreplication._objects import Folder, Item
from ioreplication._types import Key, Kind

__all__ = ["Record", "HostStore"]


@dataclasses.dataclass(frozen=True)
class Record:
    """One stored object of a host store.

    Attributes:
      kind: Kind.FOLDER, Kind.ITEM or Kind.TOMBSTONE.
      key: the source key; unique in the table.
      parent: the folder that holds the item, the parent of the folder, or
        the folder the deleted object was in; None for the root only.
      local_cn: the local change number: 1, 2, 3... in write order, never
        reused, unique in the table; what scan() orders by.
      data: the encoded object (opaque; folder() and item() decode it). Empty
        in records the library asked for without data.
    """

    kind: Kind
    key: Key
    parent: Key | None
    local_cn: int
    data: bytes = b""

    def folder(self) -> Folder:
        """Decodes a folder record (InvalidArgumentError for another kind,
        CorruptError for a malformed body)."""
        out = ffi.new("iorepl_folder**")
        with _c_record(self) as rec:
            check(lib.iorepl_record_folder(out, rec))
        return Folder._take(out[0])

    def item(self) -> Item:
        """Decodes an item record."""
        out = ffi.new("iorepl_item**")
        with _c_record(self) as rec:
            check(lib.iorepl_record_item(out, rec))
        return Item._take(out[0])


class HostStore(abc.ABC):
    """The records, named values and transactions of a store kept by Python
    code; ``Store.from_host(host)`` makes it a store like the built-in ones.

    The host stores records, not semantics: the library enforces the store
    contract (unique keys, existing parents, local change numbers in commit
    order, size limits, validation) itself. See include/iorepl/host_store.h
    for the full contract; in short:

    - begin/commit/rollback: a transaction excludes other writers, commit is
      durable and atomic, rollback undoes every put and remove since begin.
      Reads see the open transaction's writes and also happen outside
      transactions.
    - get, list and scan return Records; with ``with_data`` false the data
      may be left empty.
    - Methods run on the thread that called into the library, one at a time
      per store, and must not use the Store they serve.

    A method that raises fails the library call that ran it: that call
    raises CallbackError with the method's name and the exception's text,
    and the exception as its ``__cause__``. Raising an ioreplication Error
    passes its code through (NotFoundError from get() means "not found").
    """

    @abc.abstractmethod
    def begin(self) -> None:
        """Starts a transaction that excludes other writers until it ends."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Makes the transaction's writes durable, all at once."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Undoes every put and remove since begin()."""

    @abc.abstractmethod
    def get(self, key: Key, with_data: bool) -> Record | None:
        """The record stored under ``key``, or None."""

    @abc.abstractmethod
    def put(self, record: Record) -> None:
        """Stores ``record`` under record.key, inserting or replacing."""

    @abc.abstractmethod
    def remove(self, key: Key) -> None:
        """Removes the record under ``key`` (it exists)."""

    @abc.abstractmethod
    def list(
        self, parent: Key | None, kinds: Kind, limit: int, with_data: bool
    ) -> Iterable[Record]:
        """The records whose parent is ``parent`` (None: without a parent)
        and whose kind is in ``kinds``, in any order, at most ``limit`` of
        them (0: no limit)."""

    @abc.abstractmethod
    def scan(
        self, first: int, last: int, kinds: Kind, max_count: int, max_bytes: int
    ) -> Iterable[Record]:
        """The records with first <= local_cn <= last whose kind is in
        ``kinds``, in ascending local_cn order, stopping after ``max_count``
        records or once their data reaches ``max_bytes`` (at least one record
        when there is one)."""

    @abc.abstractmethod
    def count(self, kind: Kind) -> int:
        """The number of records of ``kind``."""

    @abc.abstractmethod
    def get_value(self, name: str) -> bytes | None:
        """The value stored under ``name``, or None."""

    @abc.abstractmethod
    def put_value(self, name: str, data: bytes) -> None:
        """Stores a value, inserting or replacing."""

    def close(self) -> None:
        """Called exactly once, when no store or session uses the host any
        more (or when Store.from_host fails)."""


class _c_record:
    """A C iorepl_record for a Record, valid inside the with block."""

    def __init__(self, record: Record) -> None:
        self._record = record

    def __enter__(self):
        r = self._record
        rec = ffi.new("iorepl_record*")
        rec.struct_size = ffi.sizeof("iorepl_record")
        rec.kind = int(r.kind)
        ffi.memmove(rec.key.bytes, r.key.raw, 22)
        if r.parent is not None:
            rec.has_parent = 1
            ffi.memmove(rec.parent.bytes, r.parent.raw, 22)
        rec.local_cn = r.local_cn
        self._data = ffi.from_buffer("uint8_t[]", r.data)
        rec.data = self._data
        rec.data_len = len(r.data)
        return rec

    def __exit__(self, *exc) -> None:
        self._data = None


def _record_from_c(rec, with_data: bool = True) -> Record:
    return Record(
        kind=Kind(rec.kind),
        key=Key._from_c(rec.key),
        parent=Key._from_c(rec.parent) if rec.has_parent else None,
        local_cn=int(rec.local_cn),
        data=bytes(ffi.buffer(rec.data, rec.data_len))
        if with_data and rec.data_len
        else b"",
    )


def _add_rows(rows, records: Iterable[Record] | None) -> None:
    if records is None:
        return
    for record in records:
        with _c_record(record) as rec:
            rc = lib.iorepl_rows_add(rows, rec)
        if rc != 0:
            raise Error(
                "iorepl_rows_add refused a record: "
                + ffi.string(lib.iorepl_error_message()).decode("utf-8", "replace"),
                rc,
            )


class _HostBox:
    """What the vtable's `user` points at; alive until destroy."""

    def __init__(self, host: HostStore) -> None:
        self.host = host
        self.handle = ffi.new_handle(self)


# Boxes of host stores the library may still call; destroy drops them.
_live: set[_HostBox] = set()


def _host_error(exc_type, exc_value, tb) -> int:
    note_callback_exception(exc_value)
    text = f"{exc_type.__name__}: {exc_value}"
    lib.iorepl_set_callback_error(text.encode("utf-8", "replace"))
    if isinstance(exc_value, Error) and exc_value.code < 0:
        return exc_value.code
    return lib.IOREPL_EIO


def _host(user) -> HostStore:
    return ffi.from_handle(user).host


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_begin(user):
    _host(user).begin()
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_commit(user):
    _host(user).commit()
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_rollback(user):
    _host(user).rollback()
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_get(user, key, with_data, rows):
    record = _host(user).get(Key._from_c(key), bool(with_data))
    if record is None:
        return lib.IOREPL_ENOTFOUND
    _add_rows(rows, (record,))
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_put(user, record):
    _host(user).put(_record_from_c(record))
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_remove(user, key):
    _host(user).remove(Key._from_c(key))
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_list(user, parent, kinds, limit, with_data, rows):
    parent_key = None if parent == ffi.NULL else Key._from_c(parent)
    _add_rows(rows, _host(user).list(parent_key, Kind(kinds), int(limit),
                                     bool(with_data)))
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_scan(user, first, last, kinds, max_count, max_bytes, rows):
    _add_rows(rows, _host(user).scan(int(first), int(last), Kind(kinds),
                                     int(max_count), int(max_bytes)))
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_count(user, kind, out):
    out[0] = int(_host(user).count(Kind(kind)))
    return 0


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_get_value(user, name, blob):
    value = _host(user).get_value(ffi.string(name).decode("utf-8"))
    if value is None:
        return lib.IOREPL_ENOTFOUND
    data = bytes(value)
    return lib.iorepl_blob_set(blob, ffi.from_buffer("uint8_t[]", data), len(data))


@ffi.def_extern(onerror=_host_error)
def _iorepl_py_put_value(user, name, data, length):
    _host(user).put_value(ffi.string(name).decode("utf-8"),
                          bytes(ffi.buffer(data, length)) if length else b"")
    return 0


def _destroy_error(exc_type, exc_value, tb) -> None:
    from ioreplication._session import _report_unraisable

    _report_unraisable(exc_value, "Exception in an ioreplication HostStore.close")


@ffi.def_extern(onerror=_destroy_error)
def _iorepl_py_destroy(user):
    box = ffi.from_handle(user)
    _live.discard(box)
    box.host.close()


def new_host_store(host: HostStore, options):
    """An iorepl_store* over ``host`` (the caller owns it)."""
    if not isinstance(host, HostStore):
        raise TypeError(f"expected a HostStore, not {type(host).__name__}")
    box = _HostBox(host)
    vtable = ffi.new("iorepl_host_store*")
    vtable.struct_size = ffi.sizeof("iorepl_host_store")
    vtable.user = box.handle
    vtable.begin = lib._iorepl_py_begin
    vtable.commit = lib._iorepl_py_commit
    vtable.rollback = lib._iorepl_py_rollback
    vtable.get = lib._iorepl_py_get
    vtable.put = lib._iorepl_py_put
    vtable.remove = lib._iorepl_py_remove
    vtable.list = lib._iorepl_py_list
    vtable.scan = lib._iorepl_py_scan
    vtable.count = lib._iorepl_py_count
    vtable.get_value = lib._iorepl_py_get_value
    vtable.put_value = lib._iorepl_py_put_value
    vtable.destroy = lib._iorepl_py_destroy
    _live.add(box)  # destroy removes it, also when the call below fails
    out = ffi.new("iorepl_store**")
    check(lib.iorepl_store_new_host(out, vtable, options))
    return out[0]
