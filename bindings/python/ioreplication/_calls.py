# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""The native library as the rest of the binding calls it.

``lib`` is the cffi module's, except that an integer argument outside its C
type's range raises InvalidArgumentError, as every other bad argument does,
instead of cffi's OverflowError. Each function is wrapped once, on first use.
"""

from __future__ import annotations

from typing import Any, Callable

from ioreplication._errors import InvalidArgumentError
from ioreplication._native import ffi
from ioreplication._native import lib as _native

__all__ = ["ffi", "lib", "out_of_range"]


def out_of_range(what: str, error: OverflowError) -> InvalidArgumentError:
    """The InvalidArgumentError for an integer cffi could not convert."""
    return InvalidArgumentError(
        f"{what}: integer out of range ({error})", _native.IOREPL_EINVAL
    )


def _guarded(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        try:
            return function(*args)
        except OverflowError as e:
            raise out_of_range(name, e) from None

    call.__name__ = name
    call.__doc__ = getattr(function, "__doc__", None)
    return call


class _Lib:
    def __getattr__(self, name: str) -> Any:
        value = getattr(_native, name)
        # The binding's own extern "Python" callbacks stay C function
        # pointers: they go into vtables, not into calls.
        if callable(value) and not name.startswith("_"):
            value = _guarded(value, name)
        setattr(self, name, value)  # found directly from now on
        return value


lib: Any = _Lib()
