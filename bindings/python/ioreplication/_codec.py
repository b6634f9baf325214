# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""The wire codecs: predecessor change lists and IDSETs (MS-OXCFXICS)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from ioreplication._errors import InvalidArgumentError, RangeError, check
from ioreplication._calls import ffi, lib
from ioreplication._types import PclOrder, _c_guid, _utf8

__all__ = ["pcl_compare", "pcl_merge", "IdSet"]


def _bytes(value: bytes | bytearray | memoryview, name: str):
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidArgumentError(
            f"{name}: expected bytes, not {type(value).__name__}", lib.IOREPL_EINVAL
        )
    return ffi.from_buffer("uint8_t[]", value), len(value)


def pcl_compare(a: bytes, b: bytes) -> PclOrder:
    """How version ``a`` relates to version ``b``, given their PCLs in wire
    form (PidTagPredecessorChangeList). CorruptError for a malformed PCL."""
    order = ffi.new("int*")
    check(lib.iorepl_pcl_compare(order, *_bytes(a, "a"), *_bytes(b, "b")))
    return PclOrder(order[0])


def pcl_merge(a: bytes, b: bytes) -> bytes:
    """The union of two PCLs, in wire form."""
    out = ffi.new("uint8_t**")
    length = ffi.new("size_t*")
    check(lib.iorepl_pcl_merge(out, length, *_bytes(a, "a"), *_bytes(b, "b")))
    try:
        return bytes(ffi.buffer(out[0], length[0]))
    finally:
        lib.iorepl_free(out[0])


class IdSet:
    """A set of (replica GUID, counter) pairs: the IDSET of MS-OXCFXICS
    2.2.2.4 in its GUID-keyed form.

    ``IdSet.decode(blob)`` and ``encode()`` convert the wire form;
    ``IdSet.parse(text)`` and ``str()`` the text form
    ("{GUID}: 1-5,9", one line per replica). ``(guid, counter) in s``,
    ``len(s)`` and ``s | other`` work as for sets.
    """

    def __init__(self) -> None:
        out = ffi.new("iorepl_idset**")
        check(lib.iorepl_idset_new(out))
        self._handle = ffi.gc(out[0], lib.iorepl_idset_free)

    @classmethod
    def _wrap(cls, handle) -> IdSet:
        s = cls.__new__(cls)
        s._handle = ffi.gc(handle, lib.iorepl_idset_free)
        return s

    @classmethod
    def decode(cls, blob: bytes) -> IdSet:
        """Decodes a serialized IDSET that fills ``blob`` exactly
        (CorruptError naming the byte offset otherwise)."""
        out = ffi.new("iorepl_idset**")
        check(lib.iorepl_idset_decode(out, *_bytes(blob, "blob")))
        return cls._wrap(out[0])

    @classmethod
    def parse(cls, text: str) -> IdSet:
        """Parses the text form (InvalidArgumentError naming the line)."""
        out = ffi.new("iorepl_idset**")
        check(lib.iorepl_idset_parse(out, _utf8(text)))
        return cls._wrap(out[0])

    def encode(self) -> bytes:
        """The serialized IDSET (empty for an empty set)."""
        out = ffi.new("uint8_t**")
        length = ffi.new("size_t*")
        check(lib.iorepl_idset_encode(out, length, self._handle))
        try:
            return bytes(ffi.buffer(out[0], length[0]))
        finally:
            lib.iorepl_free(out[0])

    def add(self, replica: uuid.UUID, low: int, high: int | None = None) -> None:
        """Adds counters ``low..high`` (inclusive; just ``low`` when high is
        None) of ``replica``; 1 <= low <= high < 2^48 (RangeError
        otherwise)."""
        high = low if high is None else high
        check(lib.iorepl_idset_insert(self._handle, _c_guid(replica),
                                      _u48(low), _u48(high)))

    def update(self, pairs: Iterable[tuple[uuid.UUID, int]]) -> None:
        """Adds each (replica, counter) pair."""
        for replica, counter in pairs:
            self.add(replica, counter)

    def __contains__(self, pair: object) -> bool:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            return False
        replica, counter = pair
        if not isinstance(replica, uuid.UUID) or not isinstance(counter, int):
            return False
        if not 1 <= counter < 1 << 48:  # no key has such a counter
            return False
        out = ffi.new("int*")
        check(lib.iorepl_idset_contains(out, self._handle, _c_guid(replica), counter))
        return bool(out[0])

    def __len__(self) -> int:
        out = ffi.new("uint64_t*")
        check(lib.iorepl_idset_count(out, self._handle))
        return int(out[0])

    def __ior__(self, other: IdSet) -> IdSet:
        check(lib.iorepl_idset_union(self._handle, other._handle))
        return self

    def __or__(self, other: IdSet) -> IdSet:
        result = IdSet()
        result |= self
        result |= other
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdSet) and self.encode() == other.encode()

    __hash__ = None  # mutable

    def __str__(self) -> str:
        out = ffi.new("char**")
        check(lib.iorepl_idset_to_string(out, self._handle))
        try:
            return ffi.string(out[0]).decode("utf-8")
        finally:
            lib.iorepl_free(out[0])

    def __repr__(self) -> str:
        return f"IdSet.parse({str(self)!r})"


def _u48(value: int) -> int:
    if not isinstance(value, int) or not 0 <= value < 1 << 64:
        raise RangeError(f"counter {value!r} is out of range",
                                   lib.IOREPL_ERANGE)
    return value
