# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Identifiers, times and the small enumerations of the C ABI."""

from __future__ import annotations

import datetime as _dt
import enum
import uuid
from typing import Protocol, Union

from ioreplication._errors import InvalidArgumentError, RangeError, check
from ioreplication._calls import ffi, lib

__all__ = [
    "Key",
    "KeyLike",
    "FileTime",
    "Direction",
    "SessionType",
    "ConflictPolicy",
    "LogLevel",
    "PclOrder",
    "Kind",
    "PropType",
]

_KEY_SIZE = 22


class Key:
    """A source key: a replica GUID and a 48-bit counter, held in its 22-byte
    XID wire form (MS-OXCFXICS 2.2.2.2), the form MAPI's PidTagSourceKey
    holds. Keys identify folders and items for their whole life, everywhere.

    ``str(key)`` is the text form ``{GUID}:COUNTER``; ``Key.parse`` reads it.
    Keys compare and hash by their bytes.
    """

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        """Wraps the 22 wire bytes of a key."""
        raw = bytes(raw)
        if len(raw) != _KEY_SIZE:
            raise InvalidArgumentError(
                f"a key has {_KEY_SIZE} bytes, not {len(raw)}", lib.IOREPL_EINVAL
            )
        self._raw = raw

    @classmethod
    def parse(cls, text: str) -> Key:
        """Parses ``{GUID}:COUNTER``; InvalidArgumentError for anything else."""
        out = ffi.new("iorepl_key*")
        check(lib.iorepl_key_from_string(out, _utf8(text)))
        return cls._from_c(out)

    @classmethod
    def make(cls, replica: uuid.UUID, counter: int) -> Key:
        """The key of ``counter`` (1..2^48-1; RangeError otherwise) issued by
        ``replica``."""
        out = ffi.new("iorepl_key*")
        if not 0 <= counter < 1 << 64:
            raise RangeError(f"counter {counter} is not in 1..2^48-1", lib.IOREPL_ERANGE)
        check(lib.iorepl_key_make(out, _c_guid(replica), counter))
        return cls._from_c(out)

    @classmethod
    def _from_c(cls, ckey) -> Key:
        key = cls.__new__(cls)
        key._raw = bytes(ffi.buffer(ckey.bytes, _KEY_SIZE))
        return key

    def _c(self):
        out = ffi.new("iorepl_key*")
        ffi.memmove(out.bytes, self._raw, _KEY_SIZE)
        return out

    @property
    def raw(self) -> bytes:
        """The 22 wire bytes."""
        return self._raw

    @property
    def replica(self) -> uuid.UUID:
        """The GUID of the replica that issued the key."""
        guid = ffi.new("iorepl_guid*")
        check(lib.iorepl_key_parts(guid, ffi.NULL, self._c()))
        return uuid.UUID(bytes_le=bytes(ffi.buffer(guid.bytes, 16)))

    @property
    def counter(self) -> int:
        """The key's counter within its replica."""
        counter = ffi.new("uint64_t*")
        check(lib.iorepl_key_parts(ffi.NULL, counter, self._c()))
        return int(counter[0])

    def __str__(self) -> str:
        buf = ffi.new("char[]", lib.IOREPL_KEY_STRING_SIZE)
        check(lib.iorepl_key_to_string(buf, self._c()))
        return ffi.string(buf).decode()

    def __repr__(self) -> str:
        return f"Key.parse({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and other._raw == self._raw

    def __hash__(self) -> int:
        return hash(self._raw)


class _HasKey(Protocol):
    @property
    def key(self) -> Key: ...


# Where a key is expected, a Key, its text form, or an object with a `key`
# (a Folder, an Item) will do.
KeyLike = Union[Key, str, _HasKey]


def c_key(value: KeyLike):
    """An iorepl_key* for a KeyLike."""
    if isinstance(value, Key):
        return value._c()
    if isinstance(value, str):
        return Key.parse(value)._c()
    key = getattr(value, "key", None)
    if isinstance(key, Key):
        return key._c()
    raise InvalidArgumentError(
        f"expected a Key, its text or an object with a key, not "
        f"{type(value).__name__}",
        lib.IOREPL_EINVAL,
    )


def key_or_none(ckey, rc: int) -> Key | None:
    """The key a getter filled, or None when it answered ENOTFOUND."""
    if rc == lib.IOREPL_ENOTFOUND:
        return None
    check(rc)
    return Key._from_c(ckey)


def _c_guid(value: uuid.UUID):
    if not isinstance(value, uuid.UUID):
        raise InvalidArgumentError(
            f"expected a uuid.UUID, not {type(value).__name__}", lib.IOREPL_EINVAL
        )
    out = ffi.new("iorepl_guid*")
    ffi.memmove(out.bytes, value.bytes_le, 16)
    return out


def guid_from_c(cguid) -> uuid.UUID:
    """A uuid.UUID for an iorepl_guid."""
    # MS-OXCDATA GUIDs are stored little-endian in their first three fields:
    # exactly uuid's bytes_le.
    return uuid.UUID(bytes_le=bytes(ffi.buffer(cguid.bytes, 16)))


def _utf8_sized(text: str) -> bytes:
    """``text`` as UTF-8 for a C argument passed with its length (a body, a
    string property, configuration text): any character, NUL included."""
    if not isinstance(text, str):
        raise InvalidArgumentError(
            f"expected str, not {type(text).__name__}", lib.IOREPL_EINVAL
        )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:  # lone surrogates
        raise InvalidArgumentError(f"not valid UTF-8: {e}", lib.IOREPL_EINVAL) from e


def _utf8(text: str) -> bytes:
    """``text`` as UTF-8 for a NUL-terminated C string (names, paths, URIs,
    message classes, ACL members). A NUL inside would end the string there
    and silently name something else ('nul.db\\x00.x' would open nul.db), so
    it is an InvalidArgumentError. Every string argument of that kind goes
    through here."""
    raw = _utf8_sized(text)
    if b"\x00" in raw:
        raise InvalidArgumentError(
            f"{text!r} holds a NUL character, which a C string cannot carry",
            lib.IOREPL_EINVAL,
        )
    return raw


_FILETIME_EPOCH = _dt.datetime(1601, 1, 1, tzinfo=_dt.timezone.utc)


class FileTime(int):
    """A time as FILETIME ticks (100 ns since 1601-01-01 UTC), the form MAPI
    and the library keep. An int, so that it round-trips exactly;
    ``.datetime`` and ``FileTime.from_datetime`` convert (datetimes hold
    microseconds, so the last tick digit is dropped)."""

    @property
    def datetime(self) -> _dt.datetime:
        """The time as an aware UTC datetime."""
        return _FILETIME_EPOCH + _dt.timedelta(microseconds=int(self) // 10)

    @classmethod
    def from_datetime(cls, value: _dt.datetime) -> FileTime:
        """The ticks of an aware datetime (naive ones are refused)."""
        if value.tzinfo is None:
            raise InvalidArgumentError(
                "a naive datetime has no time zone; give it one", lib.IOREPL_EINVAL
            )
        delta = value - _FILETIME_EPOCH
        return cls(
            (delta.days * 86_400 + delta.seconds) * 10_000_000
            + delta.microseconds * 10
        )

    def __repr__(self) -> str:
        return f"FileTime({int(self)})"


class Direction(enum.IntEnum):
    """How a mapping replicates."""

    ONE_WAY = lib.IOREPL_ONE_WAY
    BIDIRECTIONAL = lib.IOREPL_BIDIRECTIONAL


class SessionType(enum.IntEnum):
    """What a session replicates (a configuration's ``type``)."""

    PUBLIC_FOLDER = lib.IOREPL_PUBLIC_FOLDER
    FREE_BUSY = lib.IOREPL_FREE_BUSY


class ConflictPolicy(enum.IntEnum):
    """What happens when both sides changed one item (docs/sync.md)."""

    KEEP_BOTH = lib.IOREPL_KEEP_BOTH
    LAST_WRITER_WINS = lib.IOREPL_LAST_WRITER_WINS
    PUBLISHER_WINS = lib.IOREPL_PUBLISHER_WINS
    CALLBACK = lib.IOREPL_CALLBACK  # Session.set_conflict_callback decides


class LogLevel(enum.IntEnum):
    """Log levels; a lower number is more severe."""

    ERROR = lib.IOREPL_LOG_ERROR
    WARNING = lib.IOREPL_LOG_WARNING
    INFO = lib.IOREPL_LOG_INFO
    DEBUG = lib.IOREPL_LOG_DEBUG


class PclOrder(enum.IntEnum):
    """How version A of an object relates to version B."""

    EQUAL = lib.IOREPL_PCL_EQUAL
    NEWER = lib.IOREPL_PCL_NEWER
    OLDER = lib.IOREPL_PCL_OLDER
    CONFLICT = lib.IOREPL_PCL_CONFLICT


class Kind(enum.IntFlag):
    """Host store record kinds; a set of kinds is their OR."""

    FOLDER = lib.IOREPL_KIND_FOLDER
    ITEM = lib.IOREPL_KIND_ITEM
    TOMBSTONE = lib.IOREPL_KIND_TOMBSTONE
    ALL = lib.IOREPL_KIND_ALL


class PropType(enum.IntEnum):
    """Property types: the low 16 bits of a property tag (MAPI codes)."""

    INT32 = lib.IOREPL_PT_INT32
    BOOLEAN = lib.IOREPL_PT_BOOLEAN
    INT64 = lib.IOREPL_PT_INT64
    STRING = lib.IOREPL_PT_STRING
    TIME = lib.IOREPL_PT_TIME
    BINARY = lib.IOREPL_PT_BINARY
    MV_INT32 = lib.IOREPL_PT_MV_INT32
    MV_INT64 = lib.IOREPL_PT_MV_INT64
    MV_STRING = lib.IOREPL_PT_MV_STRING
    MV_TIME = lib.IOREPL_PT_MV_TIME
    MV_BINARY = lib.IOREPL_PT_MV_BINARY
