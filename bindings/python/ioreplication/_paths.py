# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Folder paths: "/" is the root, "/Sales/EMEA" two levels down.

Folder names may contain '/' (MS-OXOPFFB's free/busy site folders are named
"EX:/o=Org/ou=Site"). Inside a path such a '/' is written "%2F"; "%2F" (or
"%2f") always stands for '/' and "%25" for '%', and any other '%' stands for
itself. These are the rules of ioreplication/folder_path.h, which the library
applies to every path it is given.
"""

from __future__ import annotations

from collections.abc import Iterable

from ioreplication._errors import InvalidArgumentError

_ESCAPES = {"2F": "/", "2f": "/", "25": "%"}


def escape_folder_name(name: str) -> str:
    """``name`` as one component of a path."""
    out = []
    for i, c in enumerate(name):
        if c == "/":
            out.append("%2F")
        elif c == "%" and name[i + 1 : i + 3] in _ESCAPES:
            out.append("%25")
        else:
            out.append(c)
    return "".join(out)


def _unescape(part: str) -> str:
    out = []
    i = 0
    while i < len(part):
        if part[i] == "%" and part[i + 1 : i + 3] in _ESCAPES:
            out.append(_ESCAPES[part[i + 1 : i + 3]])
            i += 3
        else:
            out.append(part[i])
            i += 1
    return "".join(out)


def split_folder_path(path: str) -> list[str]:
    """The folder names along ``path``, unescaped (``"/"`` gives none).

    Raises InvalidArgumentError (a ValueError) for a path that does not start with '/' or has an
    empty component; the library checks the names themselves."""
    if not path.startswith("/"):
        raise InvalidArgumentError(f'folder path "{path}" must start with \'/\'')
    if path == "/":
        return []
    parts = path[1:].split("/")
    if any(p == "" for p in parts):
        raise InvalidArgumentError(f'folder path "{path}" has an empty component')
    return [_unescape(p) for p in parts]


def join_folder_path(*names: str | Iterable[str]) -> str:
    """The path reached by ``names`` from the root (``"/"`` for none).

    The names come as arguments (``join_folder_path("A", "B")``) or as one list or tuple
    (``join_folder_path(["A", "B"])``); both give ``"/A/B"``. Raises InvalidArgumentError for a
    name that is not a ``str`` or is empty."""
    if len(names) == 1 and not isinstance(names[0], str):
        names = tuple(names[0])
    for n in names:
        if not isinstance(n, str):
            raise InvalidArgumentError(f"folder name {n!r} is not a str")
        if not n:
            raise InvalidArgumentError("a folder name is empty")
    return "/" + "/".join(escape_folder_name(n) for n in names)
