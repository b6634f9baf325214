# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Exceptions: one class per C ABI result code, each with the library's message."""

from __future__ import annotations

import threading

from ioreplication._native import ffi, lib

__all__ = [
    "Error",
    "InvalidArgumentError",
    "NotFoundError",
    "AlreadyExistsError",
    "StateError",
    "StorageError",
    "OutOfMemoryError",
    "CancelledError",
    "CallbackError",
    "VersionError",
    "CorruptError",
    "TooBigError",
    "RangeError",
    "AccessDeniedError",
    "UnsupportedError",
    "InternalError",
]


class Error(Exception):
    """Base of every ioreplication error.

    Attributes:
      code: the C ABI's result code (a negative IOREPL_E* value).
      message: the library's explanation, as ``str(error)`` gives it.
    """

    code: int = 0

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidArgumentError(Error, ValueError):
    """IOREPL_EINVAL: an argument is invalid (a bad name, URI, tag, ...)."""

    code = lib.IOREPL_EINVAL


class NotFoundError(Error, LookupError):
    """IOREPL_ENOTFOUND: the folder, item, file or setting does not exist."""

    code = lib.IOREPL_ENOTFOUND


class AlreadyExistsError(Error):
    """IOREPL_EEXISTS: a source key or a sibling name is taken."""

    code = lib.IOREPL_EEXISTS


class StateError(Error):
    """IOREPL_ESTATE: the objects do not allow the call now (a missing
    parent, a folder with children, a closed handle)."""

    code = lib.IOREPL_ESTATE


class StorageError(Error):
    """IOREPL_EIO: a file or database could not be read or written; often
    worth retrying."""

    code = lib.IOREPL_EIO


class OutOfMemoryError(Error, MemoryError):
    """IOREPL_ENOMEM."""

    code = lib.IOREPL_ENOMEM


class CancelledError(Error):
    """IOREPL_ECANCELLED: a progress callback stopped the pass.

    ``statistics`` holds what the pass did before it stopped (committed work
    stays committed; the next pass continues)."""

    code = lib.IOREPL_ECANCELLED
    statistics = None


class CallbackError(Error):
    """IOREPL_ECALLBACK: a host callback failed. When the callback was Python
    code, the exception it raised is this one's ``__cause__``."""

    code = lib.IOREPL_ECALLBACK


class VersionError(Error):
    """IOREPL_EVERSION: a struct sets fields this library does not know."""

    code = lib.IOREPL_EVERSION


class CorruptError(Error, ValueError):
    """IOREPL_ECORRUPT: a wire blob, a record or a state is malformed."""

    code = lib.IOREPL_ECORRUPT


class TooBigError(Error):
    """IOREPL_ETOOBIG: a size limit was exceeded."""

    code = lib.IOREPL_ETOOBIG


class RangeError(Error, ValueError):
    """IOREPL_ERANGE: a counter or value is out of its range."""

    code = lib.IOREPL_ERANGE


class AccessDeniedError(Error):
    """IOREPL_EPERM: the operating system refused access."""

    code = lib.IOREPL_EPERM


class UnsupportedError(Error):
    """IOREPL_EUNSUPPORTED: not supported by this build or kind of store."""

    code = lib.IOREPL_EUNSUPPORTED


class InternalError(Error):
    """IOREPL_EINTERNAL: a bug in ioreplication; please report the message."""

    code = lib.IOREPL_EINTERNAL


_BY_CODE: dict[int, type[Error]] = {
    cls.code: cls
    for cls in (
        InvalidArgumentError,
        NotFoundError,
        AlreadyExistsError,
        StateError,
        StorageError,
        OutOfMemoryError,
        CancelledError,
        CallbackError,
        VersionError,
        CorruptError,
        TooBigError,
        RangeError,
        AccessDeniedError,
        UnsupportedError,
        InternalError,
    )
}

# The exception a Python callback raised on this thread, kept until the C
# call that ran the callback returns, so that it can become the __cause__ of
# the error that call raises (or be raised itself, for progress callbacks).
_pending = threading.local()


def note_callback_exception(exc: BaseException) -> None:
    """Keeps the exception a Python callback raised on this thread."""
    _pending.exc = exc


def take_callback_exception() -> BaseException | None:
    """The kept exception, if any, forgetting it."""
    exc = getattr(_pending, "exc", None)
    _pending.exc = None
    return exc


def last_message() -> str:
    """iorepl_error_message(): what the last call on this thread reported."""
    return ffi.string(lib.iorepl_error_message()).decode("utf-8", "replace")


def error_for(rc: int) -> Error:
    """The exception for result code ``rc`` with this thread's message."""
    cls = _BY_CODE.get(rc, Error)
    return cls(last_message() or ffi.string(lib.iorepl_rc_str(rc)).decode(), rc)


def check(rc: int) -> None:
    """Raises the exception for ``rc`` unless it is IOREPL_OK."""
    if rc == 0:
        return
    error = error_for(rc)
    cause = take_callback_exception()
    if cause is not None and rc in (lib.IOREPL_ECALLBACK, lib.IOREPL_ECANCELLED):
        raise error from cause
    raise error
