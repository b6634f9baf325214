# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Versions, the exception classes, and bad arguments raising the right
exception without changing anything."""

import uuid

import pytest

import ioreplication as ior
from ioreplication._native import lib


def test_versions():
    assert ior.__version__ == ior.__header_version__
    assert ior.abi_version == 1
    assert lib.iorepl_version_number() == lib.IOREPL_VERSION_NUMBER


def test_one_class_per_code():
    classes = [ior.InvalidArgumentError, ior.NotFoundError, ior.AlreadyExistsError,
               ior.StateError, ior.StorageError, ior.OutOfMemoryError,
               ior.CancelledError, ior.CallbackError, ior.VersionError,
               ior.CorruptError, ior.TooBigError, ior.RangeError,
               ior.AccessDeniedError, ior.UnsupportedError, ior.InternalError]
    # The C codes are -1..-15 in this order, and each class has its own.
    assert [c.code for c in classes] == list(range(-1, -16, -1))
    assert all(issubclass(c, ior.Error) for c in classes)
    assert issubclass(ior.InvalidArgumentError, ValueError)
    assert issubclass(ior.NotFoundError, LookupError)


def test_error_carries_the_library_message_and_code():
    with pytest.raises(ior.InvalidArgumentError) as e:
        ior.Store.open("bogus:x")
    assert e.value.code == -1
    assert 'unknown scheme "bogus"' in str(e.value)
    assert e.value.message == str(e.value)


def test_not_found_and_access_denied(tmp_path):
    with pytest.raises(ior.NotFoundError, match="no folder"):
        with ior.Store.open("memory:") as s:
            s.find_folder("/nowhere")
    # A directory that does not exist is not found (it used to read as
    # AccessDeniedError, SQLite's "unable to open database file").
    with pytest.raises(ior.NotFoundError, match="missing-dir does not exist"):
        ior.Store.open(f"sqlite:{tmp_path}/missing-dir/y.db")
    # One that exists and takes no files (as root too, which permission
    # bits would not stop).
    with pytest.raises(ior.AccessDeniedError) as e:
        ior.Store.open("sqlite:/proc/iorepl-test.db")
    assert e.value.code == -13


def test_bad_arguments_change_nothing(store):
    before = store.counts()
    with pytest.raises(ior.InvalidArgumentError, match="expected str"):
        store.create_folder(store.root, None)
    with pytest.raises(ior.InvalidArgumentError, match="UTF-8"):
        store.create_folder(store.root, "bad \udc80 surrogate")
    with pytest.raises(ior.InvalidArgumentError, match="name"):
        store.create_folder(store.root, "a\tb")
    # One rule for every way a folder gets a name: what no import would
    # take, the local API refuses too.
    for reserved in (".", ".."):
        with pytest.raises(ior.InvalidArgumentError, match="is reserved"):
            store.create_folder(store.root, reserved)
    with pytest.raises(ior.InvalidArgumentError, match="control character"):
        store.create_folder(store.root, "C1 \u0085 next line")
    with pytest.raises(ior.InvalidArgumentError, match="22 bytes"):
        ior.Key(b"short")
    with pytest.raises(ior.InvalidArgumentError):
        ior.Key.parse("{not a guid}:1")
    with pytest.raises(ior.InvalidArgumentError, match="expected a Key"):
        store.folder(42)
    with pytest.raises(ior.RangeError):
        ior.Key.make(uuid.uuid4(), 1 << 48)
    with pytest.raises(ior.InvalidArgumentError, match="takes str"):
        store.create_item(store.root, ior.Content(props={ior.PR_SUBJECT: 7}))
    with pytest.raises(ior.InvalidArgumentError, match="32 bits"):
        store.create_item(store.root, ior.Content(props={ior.PR_IMPORTANCE: 1 << 40}))
    with pytest.raises(ior.InvalidArgumentError, match="unsupported type"):
        store.create_item(store.root, ior.Content(props={0x00370002: 1}))
    with pytest.raises(ior.InvalidArgumentError):
        store.create_item(store.root, ior.Content(message_class="has space"))
    assert store.counts() == before
    store.create_folder(store.root, "no\u00a0break")  # U+00A0 is printable


def test_closed_objects_raise_state_error():
    s = ior.Store.open("memory:")
    s.close()
    s.close()  # idempotent
    assert s.closed
    with pytest.raises(ior.StateError, match="closed"):
        s.counts()
