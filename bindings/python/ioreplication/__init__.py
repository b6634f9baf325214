# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""ioreplication: replicate public folders between mail organizations.

A Python binding over the library's C ABI (libioreplication.so.1)::

    import ioreplication as ior

    with ior.Store.open("sqlite:contoso.db") as contoso:
        root = contoso.create_root("Contoso")
        sales = contoso.create_folder(root, "Sales")
        contoso.create_item(sales, ior.Content("IPM.Post", body="Q3 numbers",
                                               props={ior.PR_SUBJECT: "Q3"}))

    config = ior.Config("Sales share")
    config.publisher = "sqlite:contoso.db"
    config.add_subscriber("sqlite:fabrikam.db")
    config.add_mapping("/Sales", "/Contoso/Sales")
    with ior.Session(config) as session:
        print(session.run().line)

Errors raise a subclass of ior.Error, one per C result code, carrying the
library's message. Objects read from stores are immutable snapshots
(Folder, Item); changes go through Store methods.
"""

from ioreplication._native import lib as _lib
from ioreplication._errors import (
    AccessDeniedError,
    AlreadyExistsError,
    CallbackError,
    CancelledError,
    CorruptError,
    Error,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfMemoryError,
    RangeError,
    StateError,
    StorageError,
    TooBigError,
    UnsupportedError,
    VersionError,
)
from ioreplication._types import (
    ConflictPolicy,
    Direction,
    FileTime,
    Key,
    KeyLike,
    Kind,
    LogLevel,
    PclOrder,
    PropType,
    SessionType,
)
from ioreplication._objects import (
    PR_BODY,
    PR_DISPLAY_NAME,
    PR_IMPORTANCE,
    PR_MESSAGE_DELIVERY_TIME,
    PR_SENDER_NAME,
    PR_SUBJECT,
    Attachment,
    Content,
    Folder,
    Item,
    PropValue,
    prop_type,
)
from ioreplication._paths import escape_folder_name, join_folder_path, split_folder_path
from ioreplication._store import Store, StoreCounts
from ioreplication._session import (
    Config,
    Conflict,
    ConflictChoice,
    ConflictEntry,
    Difference,
    Mapping,
    Refusal,
    Schedule,
    VerifyReport,
    LogHandler,
    Progress,
    Session,
    SessionOptions,
    Statistics,
    set_log,
)
from ioreplication._service import PassReport, Service, SessionStatus
from ioreplication._codec import IdSet, pcl_compare, pcl_merge
from ioreplication._host import HostStore, Record

from ioreplication._native import ffi as _ffi

#: The library's version ("0.1.0"), which may differ from the headers the
#: binding was generated from (__header_version__).
__version__: str = _ffi.string(_lib.iorepl_version_string()).decode()
__header_version__: str = (
    f"{_lib.IOREPL_VERSION_MAJOR}.{_lib.IOREPL_VERSION_MINOR}."
    f"{_lib.IOREPL_VERSION_PATCH}"
)
#: The N of libioreplication.so.N the binding runs on.
abi_version: int = _lib.iorepl_abi_version()

__all__ = [
    "AccessDeniedError", "AlreadyExistsError", "CallbackError", "CancelledError",
    "CorruptError", "Error", "InternalError", "InvalidArgumentError",
    "NotFoundError", "OutOfMemoryError", "RangeError", "StateError",
    "StorageError", "TooBigError", "UnsupportedError", "VersionError",
    "ConflictPolicy", "Direction", "FileTime", "Key", "KeyLike", "Kind",
    "LogLevel", "PclOrder", "PropType", "SessionType",
    "PR_BODY", "PR_DISPLAY_NAME", "PR_IMPORTANCE", "PR_MESSAGE_DELIVERY_TIME",
    "PR_SENDER_NAME", "PR_SUBJECT", "Attachment", "Content", "Folder", "Item",
    "PropValue", "prop_type",
    "Store", "StoreCounts",
    "escape_folder_name", "join_folder_path", "split_folder_path",
    "Config", "Conflict", "ConflictChoice", "ConflictEntry", "Difference",
    "LogHandler", "Mapping", "Progress", "Refusal", "Session", "SessionOptions",
    "VerifyReport",
    "Statistics", "set_log",
    "PassReport", "Schedule", "Service", "SessionStatus",
    "IdSet", "pcl_compare", "pcl_merge",
    "HostStore", "Record",
    "abi_version",
]

if _lib.iorepl_abi_version() != 1 or (
    _lib.iorepl_version_number() // 10000 != _lib.IOREPL_VERSION_MAJOR
):
    raise ImportError(
        f"ioreplication: the binding was built for ABI 1, version "
        f"{__header_version__}, but the library is ABI "
        f"{_lib.iorepl_abi_version()}, version {__version__}"
    )
