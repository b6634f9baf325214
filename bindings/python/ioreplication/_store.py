# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Stores: reading them and making local changes."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ioreplication._errors import Error, NotFoundError, StateError, check
from ioreplication._calls import ffi, lib
from ioreplication._paths import escape_folder_name, split_folder_path
from ioreplication._objects import Content, Folder, Item, PropValue, new_props
from ioreplication._types import Key, KeyLike, c_key, guid_from_c, _utf8

if TYPE_CHECKING:
    from ioreplication._host import HostStore

__all__ = ["Store", "StoreCounts"]


@dataclasses.dataclass(frozen=True)
class StoreCounts:
    """How many objects a store holds."""

    folders: int
    items: int
    tombstones: int


def _options(max_item_size: int | None, credential: str | None):
    if max_item_size is None and credential is None:
        return ffi.NULL, []
    options = ffi.new("iorepl_store_options*")
    check(lib.iorepl_store_options_init(options, ffi.sizeof("iorepl_store_options")))
    keep = []
    if max_item_size is not None:
        options.max_item_size = max_item_size
    if credential is not None:
        keep.append(ffi.new("char[]", _utf8(credential)))
        options.credential = keep[-1]
    return options, keep


class Store:
    """A store of one organization's public folders.

    Open one with ``Store.open(uri)`` (built-in stores) or
    ``Store.from_host(host)`` (a store written in Python, see HostStore).
    Use it as a context manager, or call close(); a session that uses the
    store keeps it open until the session closes.

    Every change goes through the methods below, never straight into the
    store: each runs in one transaction and does the bookkeeping replication
    depends on (change numbers, change keys, PCLs, tombstones). Methods that
    change an object return a snapshot of it as written. Errors raise the
    exception of their code: NotFoundError, StateError (a missing parent, a
    move of the root), AlreadyExistsError (a sibling of that name),
    InvalidArgumentError (a bad name), TooBigError.

    A store is used by one thread at a time.
    """

    def __init__(self, handle, label: str = "host") -> None:
        """Wraps an iorepl_store* the caller owns. Use open() or from_host()."""
        self._handle = ffi.gc(handle, lib.iorepl_store_free)
        self._label = label

    def __repr__(self) -> str:
        if self._handle is None:
            return f"<Store {self._label} (closed)>"
        try:
            identity = f"replica {{{str(self.replica).upper()}}} epoch {self.epoch}"
        except Error as e:  # a repr must not raise
            identity = f"(identity unreadable: {e})"
        return f"<Store {self._label} {identity}>"

    @classmethod
    def open(
        cls,
        uri: str,
        *,
        max_item_size: int | None = None,
        credential: str | None = None,
    ) -> Store:
        """Opens a built-in store: ``memory:[NAME]`` (new and empty) or
        ``sqlite:PATH`` (created if missing).

        Args:
          uri: which store.
          max_item_size: the largest item accepted, in bytes (default 64 MiB).
          credential: a secret for stores that authenticate (the built-in
            ones take none).

        Raises:
          InvalidArgumentError: a malformed or unknown URI.
          AccessDeniedError, StorageError: the file cannot be opened.
          CorruptError: the file is not a store.
        """
        options, _keep = _options(max_item_size, credential)
        out = ffi.new("iorepl_store**")
        raw = _utf8(uri)
        check(lib.iorepl_store_open(out, raw, options))
        # A URI that opened holds no password (the library refuses those).
        return cls(out[0], uri)

    @classmethod
    def from_host(cls, host: HostStore, *, max_item_size: int | None = None) -> Store:
        """A store over ``host``'s records (see HostStore). A new host table
        gets an identity at once. ``host.close()`` is called exactly once, when
        no store or session uses it any more."""
        from ioreplication._host import new_host_store

        options, _keep = _options(max_item_size, None)
        return cls(new_host_store(host, options))

    # ---- Lifetime ----

    def close(self) -> None:
        """Releases the store (sessions that use it keep it open). Calling
        close() again does nothing; other methods then raise StateError."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            ffi.release(handle)

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._handle is None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _h(self):
        if self._handle is None:
            raise StateError("the store is closed", lib.IOREPL_ESTATE)
        return self._handle

    # ---- Identity and counts ----

    @property
    def replica(self) -> uuid.UUID:
        """The store's replica GUID (it takes a new one when restored)."""
        guid = ffi.new("iorepl_guid*")
        check(lib.iorepl_store_identity(guid, ffi.NULL, self._h()))
        return guid_from_c(guid)

    @property
    def epoch(self) -> int:
        """The count of replica GUIDs the store has had."""
        epoch = ffi.new("uint32_t*")
        check(lib.iorepl_store_identity(ffi.NULL, epoch, self._h()))
        return int(epoch[0])

    def mark_restored(self) -> None:
        """The operator's statement that the store was restored from a
        backup: it takes a new replica GUID and the next epoch, so that its
        new change numbers cannot collide with ones it issued before."""
        check(lib.iorepl_store_mark_restored(self._h()))

    def counts(self) -> StoreCounts:
        """Counts the store's folders, items and tombstones."""
        out = ffi.new("iorepl_store_counts*")
        out.struct_size = ffi.sizeof("iorepl_store_counts")
        check(lib.iorepl_store_count(out, self._h()))
        return StoreCounts(int(out.folders), int(out.items), int(out.tombstones))

    # ---- Reading ----

    def folder(self, key: KeyLike) -> Folder:
        """The folder with source key ``key`` (NotFoundError if none)."""
        out = ffi.new("iorepl_folder**")
        check(lib.iorepl_store_get_folder(out, self._h(), c_key(key)))
        return Folder._take(out[0])

    def find_folder(self, path: str) -> Folder:
        """The folder at ``path`` ("/" is the root, "/Sales/EMEA" two levels
        down; names compare ignoring case). NotFoundError if none."""
        out = ffi.new("iorepl_folder**")
        check(lib.iorepl_store_find_folder(out, self._h(), _utf8(path)))
        return Folder._take(out[0])

    def item(self, key: KeyLike) -> Item:
        """The item with source key ``key`` (NotFoundError if none)."""
        out = ffi.new("iorepl_item**")
        check(lib.iorepl_store_get_item(out, self._h(), c_key(key)))
        return Item._take(out[0])

    @property
    def root(self) -> Folder:
        """The root folder (NotFoundError when the store has none yet)."""
        return self.find_folder("/")

    def subfolders(self, parent: KeyLike | None = None) -> Iterator[Folder]:
        """The subfolders of ``parent`` (None: the root level, which holds
        the root), in key order. The keys are read first; a folder deleted
        while iterating is skipped."""
        parent_c = ffi.NULL if parent is None else c_key(parent)
        for key in self._keys(lib.iorepl_store_list_folders, parent_c):
            try:
                yield self.folder(key)
            except NotFoundError:
                continue

    def items(self, folder: KeyLike) -> Iterator[Item]:
        """The items in ``folder``, in key order (read as for subfolders)."""
        for key in self._keys(lib.iorepl_store_list_items, c_key(folder)):
            try:
                yield self.item(key)
            except NotFoundError:
                continue

    def walk(self, top: str = "/") -> Iterator[tuple[str, Folder]]:
        """Each folder under ``top`` (``top`` included) with its path, parents
        before children. Yields nothing when the store has no such folder."""
        try:
            start = self.find_folder(top)
        except NotFoundError:
            return
        prefix = "" if top.rstrip("/") == "" else top.rstrip("/")
        stack = [(prefix or "/", start)]
        while stack:
            path, folder = stack.pop()
            yield path, folder
            children = list(self.subfolders(folder.key))
            for child in reversed(children):
                base = "" if path == "/" else path
                stack.append((f"{base}/{escape_folder_name(child.name)}", child))

    def _keys(self, list_fn, arg) -> list[Key]:
        out = ffi.new("iorepl_key_list**")
        check(list_fn(out, self._h(), arg))
        keys = ffi.gc(out[0], lib.iorepl_key_list_free)
        key = ffi.new("iorepl_key*")
        result = []
        for i in range(lib.iorepl_key_list_count(keys)):
            check(lib.iorepl_key_list_at(key, keys, i))
            result.append(Key._from_c(key))
        ffi.release(keys)
        return result

    # ---- Local changes: folders ----

    def create_root(self, name: str) -> Folder:
        """Creates the root of the folder tree (AlreadyExistsError if the
        store has one)."""
        return self._folder_change(lib.iorepl_folder_create_root, _utf8(name))

    def create_folder(self, parent: KeyLike, name: str) -> Folder:
        """Creates folder ``name`` under ``parent``."""
        return self._folder_change(lib.iorepl_folder_create, c_key(parent), _utf8(name))

    def make_folders(self, path: str) -> Folder:
        """The folder at ``path``, creating it and any missing ancestors
        under the existing root (StateError when there is no root)."""
        names = split_folder_path(path)
        for name in names:
            _utf8(name)  # every name is checked before anything is created
        folder = self.root
        walked = ""
        for name in names:
            walked += "/" + escape_folder_name(name)
            try:
                folder = self.find_folder(walked)
            except NotFoundError:
                folder = self.create_folder(folder, name)
        return folder

    def rename_folder(self, folder: KeyLike, name: str) -> Folder:
        """Renames ``folder`` (AlreadyExistsError if a sibling has ``name``)."""
        return self._folder_change(lib.iorepl_folder_rename, c_key(folder), _utf8(name))

    def move_folder(self, folder: KeyLike, new_parent: KeyLike) -> Folder:
        """Moves ``folder`` (with its subtree) under ``new_parent``."""
        return self._folder_change(
            lib.iorepl_folder_move, c_key(folder), c_key(new_parent)
        )

    def set_folder_property(
        self, folder: KeyLike, tag: int, value: PropValue | None
    ) -> Folder:
        """Sets property ``tag`` of the folder, or removes it when ``value``
        is None. One change."""
        values = new_props({} if value is None else {tag: value})
        return self._folder_change(
            lib.iorepl_folder_set_property, c_key(folder), values, tag
        )

    def set_acl(self, folder: KeyLike, member: str, rights: int) -> Folder:
        """Grants ``member`` exactly ``rights`` (MS-OXCPERM bits)."""
        return self._folder_change(
            lib.iorepl_folder_set_acl, c_key(folder), _utf8(member), rights
        )

    def remove_acl(self, folder: KeyLike, member: str) -> Folder:
        """Drops ``member`` from the ACL (NotFoundError if not listed)."""
        return self._folder_change(
            lib.iorepl_folder_remove_acl, c_key(folder), _utf8(member)
        )

    def delete_folder(self, folder: KeyLike) -> None:
        """Deletes the folder with its subtree and items, leaving tombstones
        (StateError for the root)."""
        check(lib.iorepl_folder_delete(self._h(), c_key(folder)))

    # ---- Local changes: items ----

    def create_item(self, folder: KeyLike, content: Content) -> Item:
        """Creates an item in ``folder``."""
        return self._item_change(lib.iorepl_item_create, c_key(folder), content._c())

    def modify_item(self, item: KeyLike, content: Content) -> Item:
        """Replaces the item's content."""
        return self._item_change(lib.iorepl_item_modify, c_key(item), content._c())

    def move_item(self, item: KeyLike, new_folder: KeyLike) -> Item:
        """Moves ``item`` into ``new_folder`` (same key, a new change)."""
        return self._item_change(lib.iorepl_item_move, c_key(item), c_key(new_folder))

    def delete_item(self, item: KeyLike) -> None:
        """Deletes the item, leaving a tombstone."""
        check(lib.iorepl_item_delete(self._h(), c_key(item)))

    def _folder_change(self, fn, *args) -> Folder:
        out = ffi.new("iorepl_folder**")
        check(fn(out, self._h(), *args))
        return Folder._take(out[0])

    def _item_change(self, fn, *args) -> Item:
        out = ffi.new("iorepl_item**")
        check(fn(out, self._h(), *args))
        return Item._take(out[0])

