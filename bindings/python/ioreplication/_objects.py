# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Folders, items, property bags and item content."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any, Union

from ioreplication._errors import InvalidArgumentError, UnsupportedError, check
from ioreplication._calls import ffi, lib
from ioreplication._types import (
    FileTime,
    Key,
    PropType,
    _utf8,
    _utf8_sized,
    key_or_none,
)

__all__ = [
    "PropValue",
    "Folder",
    "Item",
    "Attachment",
    "Content",
    "prop_type",
    "PR_SUBJECT",
    "PR_BODY",
    "PR_IMPORTANCE",
    "PR_DISPLAY_NAME",
    "PR_SENDER_NAME",
    "PR_MESSAGE_DELIVERY_TIME",
]

# A few common property tags (MS-OXPROPS); any tag with a supported type
# works.
PR_IMPORTANCE = 0x00170003
PR_SUBJECT = 0x0037001F
PR_SENDER_NAME = 0x0C1A001F
PR_MESSAGE_DELIVERY_TIME = 0x0E060040
PR_BODY = 0x1000001F
PR_DISPLAY_NAME = 0x3001001F

# What a property holds in Python, by its type:
#   INT32, INT64: int          BOOLEAN: bool     STRING: str
#   TIME: FileTime (an int; a datetime is accepted when setting)
#   BINARY: bytes              MV_*: a list of the single-valued form
PropValue = Union[int, bool, str, bytes, FileTime, list]


def prop_type(tag: int) -> PropType:
    """The type of a property tag (its low 16 bits)."""
    try:
        return PropType(tag & 0xFFFF)
    except ValueError:
        raise InvalidArgumentError(
            f"property tag 0x{tag:08X} has an unsupported type 0x{tag & 0xFFFF:04X}",
            lib.IOREPL_EINVAL,
        ) from None


def _borrowed_bytes(data, length) -> bytes:
    return bytes(ffi.buffer(data[0], length[0])) if length[0] else b""


def props_to_dict(cprops) -> dict[int, PropValue]:
    """Reads a C property bag into a dict (tag -> value), in tag order."""
    out: dict[int, PropValue] = {}
    tag_out = ffi.new("uint32_t*")
    i32 = ffi.new("int32_t*")
    i64 = ffi.new("int64_t*")
    u64 = ffi.new("uint64_t*")
    flag = ffi.new("int*")
    data = ffi.new("const uint8_t**")
    text = ffi.new("const char**")
    length = ffi.new("size_t*")
    for i in range(lib.iorepl_props_count(cprops)):
        check(lib.iorepl_props_tag_at(tag_out, cprops, i))
        tag = int(tag_out[0])
        kind = tag & 0xFFFF
        if kind == PropType.INT32:
            check(lib.iorepl_props_get_int32(i32, cprops, tag))
            out[tag] = int(i32[0])
        elif kind == PropType.INT64:
            check(lib.iorepl_props_get_int64(i64, cprops, tag))
            out[tag] = int(i64[0])
        elif kind == PropType.BOOLEAN:
            check(lib.iorepl_props_get_bool(flag, cprops, tag))
            out[tag] = bool(flag[0])
        elif kind == PropType.TIME:
            check(lib.iorepl_props_get_time(u64, cprops, tag))
            out[tag] = FileTime(u64[0])
        elif kind == PropType.STRING:
            check(lib.iorepl_props_get_string(text, length, cprops, tag))
            out[tag] = ffi.unpack(text[0], length[0]).decode("utf-8")
        elif kind == PropType.BINARY:
            check(lib.iorepl_props_get_binary(data, length, cprops, tag))
            out[tag] = _borrowed_bytes(data, length)
        else:
            out[tag] = _mv_to_list(cprops, tag, kind)
    return out


def _mv_to_list(cprops, tag: int, kind: int) -> list:
    count = ffi.new("size_t*")
    check(lib.iorepl_props_mv_count(count, cprops, tag))
    values: list = []
    for i in range(count[0]):
        if kind == PropType.MV_INT32:
            v = ffi.new("int32_t*")
            check(lib.iorepl_props_mv_int32(v, cprops, tag, i))
            values.append(int(v[0]))
        elif kind == PropType.MV_INT64:
            v = ffi.new("int64_t*")
            check(lib.iorepl_props_mv_int64(v, cprops, tag, i))
            values.append(int(v[0]))
        elif kind == PropType.MV_TIME:
            v = ffi.new("uint64_t*")
            check(lib.iorepl_props_mv_time(v, cprops, tag, i))
            values.append(FileTime(v[0]))
        elif kind == PropType.MV_STRING:
            text = ffi.new("const char**")
            length = ffi.new("size_t*")
            check(lib.iorepl_props_mv_string(text, length, cprops, tag, i))
            values.append(ffi.unpack(text[0], length[0]).decode("utf-8"))
        elif kind == PropType.MV_BINARY:
            data = ffi.new("const uint8_t**")
            length = ffi.new("size_t*")
            check(lib.iorepl_props_mv_binary(data, length, cprops, tag, i))
            values.append(_borrowed_bytes(data, length))
        else:  # A type the library added after this binding.
            raise UnsupportedError(
                f"property 0x{tag:08X} has a type this binding does not know",
                lib.IOREPL_EUNSUPPORTED,
            )
    return values


def _ticks(value: Any) -> int:
    if isinstance(value, _dt.datetime):
        return FileTime.from_datetime(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidArgumentError(
        f"a time is a FileTime, an int or an aware datetime, not "
        f"{type(value).__name__}",
        lib.IOREPL_EINVAL,
    )


def _expect(value: Any, types: tuple, tag: int) -> Any:
    if not isinstance(value, types) or (
        bool not in types and isinstance(value, bool)
    ):
        names = " or ".join(t.__name__ for t in types)
        raise InvalidArgumentError(
            f"property 0x{tag:08X} takes {names}, not {type(value).__name__}",
            lib.IOREPL_EINVAL,
        )
    return value


def set_prop(cprops, tag: int, value: PropValue) -> None:
    """Sets one property of a C bag from its Python value."""
    kind = prop_type(tag)
    if kind == PropType.INT32:
        check(lib.iorepl_props_set_int32(cprops, tag, _int(value, tag, 32)))
    elif kind == PropType.INT64:
        check(lib.iorepl_props_set_int64(cprops, tag, _int(value, tag, 64)))
    elif kind == PropType.BOOLEAN:
        check(lib.iorepl_props_set_bool(cprops, tag, int(_expect(value, (bool,), tag))))
    elif kind == PropType.TIME:
        check(lib.iorepl_props_set_time(cprops, tag, _u64(_ticks(value), tag)))
    elif kind == PropType.STRING:
        raw = _utf8_sized(_expect(value, (str,), tag))
        check(lib.iorepl_props_set_string(cprops, tag, raw, len(raw)))
    elif kind == PropType.BINARY:
        raw = bytes(_expect(value, (bytes, bytearray, memoryview), tag))
        check(lib.iorepl_props_set_binary(cprops, tag, raw, len(raw)))
    else:
        _set_mv(cprops, tag, kind, _expect(value, (list, tuple), tag))


def _int(value: Any, tag: int, bits: int) -> int:
    value = _expect(value, (int,), tag)
    if not -(1 << (bits - 1)) <= value < 1 << (bits - 1):
        raise InvalidArgumentError(
            f"property 0x{tag:08X}: {value} does not fit in {bits} bits",
            lib.IOREPL_EINVAL,
        )
    return value


def _u64(value: int, tag: int) -> int:
    if not 0 <= value < 1 << 64:
        raise InvalidArgumentError(
            f"property 0x{tag:08X}: time {value} is out of range", lib.IOREPL_EINVAL
        )
    return value


def _set_mv(cprops, tag: int, kind: PropType, values: Iterable) -> None:
    values = list(values)
    n = len(values)
    if kind == PropType.MV_INT32:
        arr = ffi.new("int32_t[]", [_int(v, tag, 32) for v in values] or [0])
        check(lib.iorepl_props_set_mv_int32(cprops, tag, arr, n))
    elif kind == PropType.MV_INT64:
        arr = ffi.new("int64_t[]", [_int(v, tag, 64) for v in values] or [0])
        check(lib.iorepl_props_set_mv_int64(cprops, tag, arr, n))
    elif kind == PropType.MV_TIME:
        arr = ffi.new("uint64_t[]", [_u64(_ticks(v), tag) for v in values] or [0])
        check(lib.iorepl_props_set_mv_time(cprops, tag, arr, n))
    else:
        if kind == PropType.MV_STRING:
            raws = [_utf8(_expect(v, (str,), tag)) for v in values]
        else:
            raws = [bytes(_expect(v, (bytes, bytearray, memoryview), tag)) for v in values]
        keep = [ffi.from_buffer(r) for r in raws]
        ctype = "const char*[]" if kind == PropType.MV_STRING else "const uint8_t*[]"
        ptrs = ffi.new(ctype, [ffi.cast(ctype[:-2], k) for k in keep] or [ffi.NULL])
        lens = ffi.new("size_t[]", [len(r) for r in raws] or [0])
        if kind == PropType.MV_STRING:
            check(lib.iorepl_props_set_mv_string(cprops, tag, ptrs, lens, n))
        else:
            check(lib.iorepl_props_set_mv_binary(cprops, tag, ptrs, lens, n))


def new_props(values: Mapping[int, PropValue]):
    """A free-standing C bag holding ``values`` (freed with the cdata)."""
    out = ffi.new("iorepl_props**")
    check(lib.iorepl_props_new(out))
    bag = ffi.gc(out[0], lib.iorepl_props_free)
    for tag, value in values.items():
        set_prop(bag, tag, value)
    return bag


@dataclasses.dataclass(frozen=True)
class Attachment:
    """An item's attachment."""

    file_name: str
    data: bytes
    mime_type: str = ""


@dataclasses.dataclass(frozen=True)
class Folder:
    """A snapshot of a folder, as the store held it when read.

    Attributes:
      key: the folder's source key.
      parent: the parent's key; None for the root.
      name: the display name.
      change_key: the key of the folder's last change.
      last_modified: when it last changed.
      pcl: its predecessor change list, in wire form.
      props: its properties (tag -> value).
      acl: member name -> rights (MS-OXCPERM bits).
    """

    key: Key
    parent: Key | None
    name: str
    change_key: Key
    last_modified: FileTime
    pcl: bytes
    props: dict[int, PropValue]
    acl: dict[str, int]

    @classmethod
    def _take(cls, cfolder) -> Folder:
        """Reads a C snapshot and frees it."""
        try:
            return cls._read(cfolder)
        finally:
            lib.iorepl_folder_free(cfolder)

    @classmethod
    def _read(cls, cfolder) -> Folder:
        key = ffi.new("iorepl_key*")
        check(lib.iorepl_folder_key(key, cfolder))
        parent = ffi.new("iorepl_key*")
        parent_key = key_or_none(parent, lib.iorepl_folder_parent(parent, cfolder))
        change = ffi.new("iorepl_key*")
        check(lib.iorepl_folder_change_key(change, cfolder))
        when = ffi.new("uint64_t*")
        check(lib.iorepl_folder_last_modified(when, cfolder))
        data = ffi.new("const uint8_t**")
        length = ffi.new("size_t*")
        check(lib.iorepl_folder_pcl(data, length, cfolder))
        pcl = _borrowed_bytes(data, length)
        acl = {}
        member = ffi.new("const char**")
        rights = ffi.new("uint32_t*")
        for i in range(lib.iorepl_folder_acl_count(cfolder)):
            check(lib.iorepl_folder_acl_at(member, rights, cfolder, i))
            acl[ffi.string(member[0]).decode("utf-8")] = int(rights[0])
        return cls(
            key=Key._from_c(key),
            parent=parent_key,
            name=ffi.string(lib.iorepl_folder_name(cfolder)).decode("utf-8"),
            change_key=Key._from_c(change),
            last_modified=FileTime(when[0]),
            pcl=pcl,
            props=props_to_dict(lib.iorepl_folder_props(cfolder)),
            acl=acl,
        )


@dataclasses.dataclass(frozen=True)
class Item:
    """A snapshot of an item (a message), as the store held it when read.

    Attributes:
      key: the item's source key.
      folder: the key of the folder that holds it.
      change_key, last_modified, pcl: its version (see Folder).
      message_class: "IPM.Post", "IPM.Appointment", ...
      body: the text body.
      props: its properties (tag -> value).
      attachments: its attachments, in order.
    """

    key: Key
    folder: Key
    change_key: Key
    last_modified: FileTime
    pcl: bytes
    message_class: str
    body: str
    props: dict[int, PropValue]
    attachments: tuple[Attachment, ...]

    @property
    def subject(self) -> str | None:
        """PidTagSubject, when the item has one."""
        value = self.props.get(PR_SUBJECT)
        return value if isinstance(value, str) else None

    @classmethod
    def _take(cls, citem) -> Item:
        try:
            return cls._read(citem)
        finally:
            lib.iorepl_item_free(citem)

    @classmethod
    def _read(cls, citem) -> Item:
        key = ffi.new("iorepl_key*")
        check(lib.iorepl_item_key(key, citem))
        folder = ffi.new("iorepl_key*")
        check(lib.iorepl_item_folder(folder, citem))
        change = ffi.new("iorepl_key*")
        check(lib.iorepl_item_change_key(change, citem))
        when = ffi.new("uint64_t*")
        check(lib.iorepl_item_last_modified(when, citem))
        data = ffi.new("const uint8_t**")
        length = ffi.new("size_t*")
        check(lib.iorepl_item_pcl(data, length, citem))
        pcl = _borrowed_bytes(data, length)
        text = ffi.new("const char**")
        check(lib.iorepl_item_body(text, length, citem))
        body = ffi.unpack(text[0], length[0]).decode("utf-8")
        attachments = []
        name = ffi.new("const char**")
        mime = ffi.new("const char**")
        for i in range(lib.iorepl_item_attachment_count(citem)):
            check(lib.iorepl_item_attachment_at(name, mime, data, length, citem, i))
            attachments.append(
                Attachment(
                    file_name=ffi.string(name[0]).decode("utf-8"),
                    mime_type=ffi.string(mime[0]).decode("utf-8"),
                    data=_borrowed_bytes(data, length),
                )
            )
        return cls(
            key=Key._from_c(key),
            folder=Key._from_c(folder),
            change_key=Key._from_c(change),
            last_modified=FileTime(when[0]),
            pcl=pcl,
            message_class=ffi.string(lib.iorepl_item_message_class(citem)).decode(),
            body=body,
            props=props_to_dict(lib.iorepl_item_props(citem)),
            attachments=tuple(attachments),
        )


@dataclasses.dataclass
class Content:
    """What a local author writes into an item (Store.create_item,
    Store.modify_item).

    message_class is 1..255 printable ASCII characters without spaces.
    ``Content.from_item(item)`` copies an item's content to edit it.
    """

    message_class: str = "IPM.Note"
    body: str = ""
    props: dict[int, PropValue] = dataclasses.field(default_factory=dict)
    attachments: list[Attachment] = dataclasses.field(default_factory=list)

    @classmethod
    def from_item(cls, item: Item) -> Content:
        """A copy of ``item``'s content (exact: times stay in ticks)."""
        return cls(
            message_class=item.message_class,
            body=item.body,
            props=dict(item.props),
            attachments=list(item.attachments),
        )

    def _c(self):
        """The C content (freed with the cdata)."""
        out = ffi.new("iorepl_content**")
        check(lib.iorepl_content_new(out, _utf8(self.message_class)))
        content = ffi.gc(out[0], lib.iorepl_content_free)
        body = _utf8_sized(self.body)
        check(lib.iorepl_content_set_body(content, body, len(body)))
        bag = lib.iorepl_content_props(content)
        for tag, value in self.props.items():
            set_prop(bag, tag, value)
        for a in self.attachments:
            data = bytes(a.data)
            check(
                lib.iorepl_content_add_attachment(
                    content, _utf8(a.file_name), _utf8(a.mime_type), data, len(data)
                )
            )
        return content
