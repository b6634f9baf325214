# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Session configurations, sessions, statistics, progress and logging."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Union

from ioreplication._errors import (
    InvalidArgumentError,
    StateError,
    check,
    error_for,
    note_callback_exception,
    take_callback_exception,
)
from ioreplication._calls import ffi, lib, out_of_range
from ioreplication._objects import Item
from ioreplication._store import Store
from ioreplication._types import (
    ConflictPolicy,
    Direction,
    Key,
    KeyLike,
    LogLevel,
    SessionType,
    _utf8,
    _utf8_sized,
    c_key,
)

__all__ = [
    "Config",
    "Schedule",
    "Mapping",
    "SessionOptions",
    "Session",
    "Statistics",
    "Progress",
    "LogHandler",
    "Conflict",
    "ConflictChoice",
    "ConflictEntry",
    "Difference",
    "Refusal",
    "VerifyReport",
    "set_log",
]


def _string(c) -> str:
    """A borrowed C string as str ("" for NULL)."""
    return "" if c == ffi.NULL else ffi.string(c).decode("utf-8")


class Mapping(NamedTuple):
    """One folder mapping of a Config."""

    publisher_path: str
    subscriber_path: str
    direction: Direction = Direction.ONE_WAY


@dataclasses.dataclass
class SessionOptions:
    """How a session replicates (the defaults are the library's).

    Attributes:
      replicate_deletions: deletions travel too.
      replicate_permissions: ACLs travel too.
      conflict_policy: see ConflictPolicy.
      batch_size: changes per transaction.
      batch_bytes: item bytes per transaction.
      max_item_size: larger items are ignored (counted as ignores).
      replication_account: with require_matching_rights, a folder replicates
        only where this account has the same rights on both sides.
      require_matching_rights: see replication_account.
      log_level: LogLevel.INFO (reconciliations and errors) or
        LogLevel.DEBUG (also every ignore with its reason).
      verify_interval_seconds: when positive, a pass that ends at least this
        long after the last verify (recorded in the stores) runs
        Session.verify(repair=True) after it; differences count in the
        statistics. 0 (the default): never.
    """

    replicate_deletions: bool = True
    replicate_permissions: bool = False
    conflict_policy: ConflictPolicy = ConflictPolicy.KEEP_BOTH
    batch_size: int = 1000
    batch_bytes: int = 16 << 20
    max_item_size: int = 64 << 20
    replication_account: str | None = None
    require_matching_rights: bool = False
    log_level: LogLevel = LogLevel.INFO
    verify_interval_seconds: int = 0


class _LiveOptions(SessionOptions):
    """Config.options: a SessionOptions whose fields, when assigned, take
    effect in the Config at once (``config.options.batch_size = 7``). A
    value the library refuses raises InvalidArgumentError and leaves both
    as they were."""

    def __init__(self, config: Config, **fields: Any) -> None:
        object.__setattr__(self, "_config", None)
        super().__init__(**fields)
        object.__setattr__(self, "_config", config)

    def __setattr__(self, name: str, value: Any) -> None:
        config = self.__dict__.get("_config")
        if config is None:
            object.__setattr__(self, name, value)
            return
        old = getattr(self, name)
        object.__setattr__(self, name, value)
        try:
            config.options = self
        except BaseException:
            object.__setattr__(self, name, old)
            raise

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SessionOptions):
            return NotImplemented
        names = [f.name for f in dataclasses.fields(SessionOptions)]
        return [getattr(self, n) for n in names] == [getattr(other, n) for n in names]

    __hash__ = None  # type: ignore[assignment]  # mutable, like SessionOptions

    def __repr__(self) -> str:
        return "SessionOptions" + super().__repr__()[len(type(self).__name__) :]


@dataclasses.dataclass(frozen=True)
class Schedule:
    """When a Service runs a session: every ``interval`` from the start of
    its last pass (zero: only Service.run_once), on the allowed ``days``
    ("mon" .. "sun"; empty: every day), inside the daily window
    ``window_start`` .. ``window_end`` ("HH:MM"; an end before the start
    wraps past midnight; None: no window)."""

    interval: _dt.timedelta = _dt.timedelta(0)
    days: tuple[str, ...] = ()
    window_start: str | None = None
    window_end: str | None = None


class Config:
    """A session's configuration: a name, a publisher store URI, subscriber
    URIs and folder mappings, and options.

    Build one field by field::

        config = Config("Sales share")
        config.publisher = "sqlite:contoso.db"
        config.add_subscriber("sqlite:fabrikam.db")
        config.add_mapping("/Sales", "/Contoso/Sales")

    or parse the body of a configuration file's ``session { ... }`` block
    with ``Config.parse(text)`` (docs/config.md).
    """

    def __init__(self, name: str) -> None:
        out = ffi.new("iorepl_config**")
        check(lib.iorepl_config_new(out, _utf8(name)))
        self._handle = ffi.gc(out[0], lib.iorepl_config_free)

    @classmethod
    def parse(cls, text: str) -> Config:
        """Parses one session's configuration. InvalidArgumentError names the
        line and column of a syntax error, and lists every problem
        validate() finds."""
        raw = _utf8_sized(text)
        out = ffi.new("iorepl_config**")
        check(lib.iorepl_config_parse(out, raw, len(raw)))
        config = cls.__new__(cls)
        config._handle = ffi.gc(out[0], lib.iorepl_config_free)
        return config

    @property
    def name(self) -> str:
        """The session's name, as the statistics line shows it."""
        return ffi.string(lib.iorepl_config_name(self._handle)).decode("utf-8")

    def __repr__(self) -> str:
        return (
            f"<Config {self.name!r} {self.type.name.lower()}: "
            f"{self.publisher or '(no publisher)'} -> "
            f"{', '.join(self.subscribers) or '(no subscribers)'}, "
            f"{len(self.mappings)} mapping{'' if len(self.mappings) == 1 else 's'}>"
        )

    @property
    def publisher(self) -> str:
        """The publisher's store URI ("" until set)."""
        return _string(lib.iorepl_config_publisher(self._handle))

    @publisher.setter
    def publisher(self, uri: str) -> None:
        """Sets the publisher's store URI."""
        check(lib.iorepl_config_set_publisher(self._handle, _utf8(uri)))

    @property
    def subscribers(self) -> tuple[str, ...]:
        """The subscribers' store URIs, in order (add with add_subscriber)."""
        n = lib.iorepl_config_subscriber_count(self._handle)
        return tuple(
            _string(lib.iorepl_config_subscriber(self._handle, i)) for i in range(n)
        )

    @property
    def mappings(self) -> tuple[Mapping, ...]:
        """The folder mappings, in order (add with add_mapping)."""
        out = []
        pub = ffi.new("const char**")
        sub = ffi.new("const char**")
        direction = ffi.new("int*")
        for i in range(lib.iorepl_config_mapping_count(self._handle)):
            check(lib.iorepl_config_mapping(pub, sub, direction, self._handle, i))
            out.append(Mapping(_string(pub[0]), _string(sub[0]), Direction(direction[0])))
        return tuple(out)

    @property
    def type(self) -> SessionType:
        """Public folders or free/busy (set in the configuration text)."""
        return SessionType(lib.iorepl_config_type(self._handle))

    def add_subscriber(self, uri: str) -> None:
        """Adds a subscriber's store URI (each store appears once)."""
        check(lib.iorepl_config_add_subscriber(self._handle, _utf8(uri)))

    def add_mapping(
        self,
        publisher_path: str,
        subscriber_path: str,
        direction: Direction = Direction.ONE_WAY,
    ) -> None:
        """Maps a publisher folder onto a subscriber folder (absolute paths
        from each store's root)."""
        check(
            lib.iorepl_config_add_mapping(
                self._handle, _utf8(publisher_path), _utf8(subscriber_path), direction
            )
        )

    @property
    def options(self) -> SessionOptions:
        """The options. Assigning a field changes it in this Config at once
        (``config.options.batch_size = 7``); so does assigning a whole
        SessionOptions (``config.options = SessionOptions(...)``)."""
        c = ffi.new("iorepl_session_options*")
        c.struct_size = ffi.sizeof("iorepl_session_options")
        check(lib.iorepl_config_get_options(c, self._handle))
        account = c.replication_account
        return _LiveOptions(
            self,
            replicate_deletions=bool(c.replicate_deletions),
            replicate_permissions=bool(c.replicate_permissions),
            conflict_policy=ConflictPolicy(c.conflict_policy),
            batch_size=int(c.batch_size),
            batch_bytes=int(c.batch_bytes),
            max_item_size=int(c.max_item_size),
            replication_account=(
                None if account == ffi.NULL else ffi.string(account).decode("utf-8")
            ),
            require_matching_rights=bool(c.require_matching_rights),
            log_level=LogLevel(c.log_level),
            verify_interval_seconds=int(c.verify_interval_seconds),
        )

    @options.setter
    def options(self, options: SessionOptions) -> None:
        """Replaces the options (InvalidArgumentError for a bad value)."""
        c = ffi.new("iorepl_session_options*")
        check(lib.iorepl_session_options_init(c, ffi.sizeof("iorepl_session_options")))
        fields = {
            "replicate_deletions": int(options.replicate_deletions),
            "replicate_permissions": int(options.replicate_permissions),
            "conflict_policy": int(options.conflict_policy),
            "batch_size": options.batch_size,
            "batch_bytes": options.batch_bytes,
            "max_item_size": options.max_item_size,
            "require_matching_rights": int(options.require_matching_rights),
            "log_level": int(options.log_level),
            "verify_interval_seconds": options.verify_interval_seconds,
        }
        for name, value in fields.items():
            if not isinstance(value, int):
                raise InvalidArgumentError(
                    f"options.{name}: expected int, not {type(value).__name__}",
                    lib.IOREPL_EINVAL,
                )
            try:
                setattr(c, name, value)
            except OverflowError as e:
                raise out_of_range(f"options.{name}", e) from None
        keep = None
        if options.replication_account is not None:
            keep = ffi.new("char[]", _utf8(options.replication_account))
            c.replication_account = keep
        check(lib.iorepl_config_set_options(self._handle, c))
        del keep

    @property
    def schedule(self) -> Schedule:
        """When a Service runs the session (Schedule). Assigning one checks
        it: InvalidArgumentError lists every problem and keeps the old one."""
        c = ffi.new("iorepl_schedule*")
        c.struct_size = ffi.sizeof("iorepl_schedule")
        check(lib.iorepl_config_get_schedule(c, self._handle))
        days = _string(c.days)
        return Schedule(
            interval=_dt.timedelta(seconds=int(c.interval_seconds)),
            days=tuple(days.split(",")) if days else (),
            window_start=None if c.window_start == ffi.NULL else _string(c.window_start),
            window_end=None if c.window_end == ffi.NULL else _string(c.window_end),
        )

    @schedule.setter
    def schedule(self, schedule: Schedule) -> None:
        seconds = schedule.interval.total_seconds()
        if seconds < 0 or seconds != int(seconds):
            raise InvalidArgumentError(
                f"schedule.interval is whole seconds, at least 0, not {schedule.interval}",
                lib.IOREPL_EINVAL)
        c = ffi.new("iorepl_schedule*")
        c.struct_size = ffi.sizeof("iorepl_schedule")
        c.interval_seconds = int(seconds)
        keep = []
        for field, value in (("days", ",".join(schedule.days) or None),
                             ("window_start", schedule.window_start),
                             ("window_end", schedule.window_end)):
            if value is not None:
                keep.append(ffi.new("char[]", _utf8(value)))
                setattr(c, field, keep[-1])
        check(lib.iorepl_config_set_schedule(self._handle, c))

    @property
    def max_tasks(self) -> int:
        """Subscribers a Service serves at the same time (1 .. the number
        of subscribers)."""
        return int(lib.iorepl_config_max_tasks(self._handle))

    @max_tasks.setter
    def max_tasks(self, n: int) -> None:
        if not isinstance(n, int) or n < 1 or n > 0xFFFFFFFF:
            raise InvalidArgumentError(f"max_tasks is at least 1, not {n!r}",
                                       lib.IOREPL_EINVAL)
        check(lib.iorepl_config_set_max_tasks(self._handle, n))

    def validate(self) -> None:
        """InvalidArgumentError listing every problem, one per line, unless the
        configuration can run."""
        check(lib.iorepl_config_validate(self._handle))


@dataclasses.dataclass(frozen=True)
class Statistics:
    """What one pass did.

    The counters are those of the classic statistics line; ``line`` is that
    line, exactly. The ``*_reasons`` dicts break ignores and errors down by
    reason ("already_present", "write_failed", ...), listing only reasons
    that occurred.
    """

    message_changes: int
    message_deletions: int
    message_ignores: int
    message_errors: int
    folder_changes: int
    folder_deletions: int
    folder_ignores: int
    folder_errors: int
    conflicts: int
    bytes: int
    reconciliations: int
    duration: _dt.timedelta
    message_ignore_reasons: dict[str, int]
    message_error_reasons: dict[str, int]
    folder_ignore_reasons: dict[str, int]
    folder_error_reasons: dict[str, int]
    line: str

    @classmethod
    def _from_c(cls, c, line: str) -> Statistics:
        def reasons(array) -> dict[str, int]:
            out = {}
            for i in range(lib.IOREPL_REASON_SLOTS):
                if array[i]:
                    name = lib.iorepl_reason_name(i)
                    label = f"reason_{i}" if name == ffi.NULL else ffi.string(name).decode()
                    out[label] = int(array[i])
            return out

        return cls(
            message_changes=int(c.message_changes),
            message_deletions=int(c.message_deletions),
            message_ignores=int(c.message_ignores),
            message_errors=int(c.message_errors),
            folder_changes=int(c.folder_changes),
            folder_deletions=int(c.folder_deletions),
            folder_ignores=int(c.folder_ignores),
            folder_errors=int(c.folder_errors),
            conflicts=int(c.conflicts),
            bytes=int(c.bytes),
            reconciliations=int(c.reconciliations),
            duration=_dt.timedelta(microseconds=int(c.duration_us)),
            message_ignore_reasons=reasons(c.message_ignore_reasons),
            message_error_reasons=reasons(c.message_error_reasons),
            folder_ignore_reasons=reasons(c.folder_ignore_reasons),
            folder_error_reasons=reasons(c.folder_error_reasons),
            line=line,
        )

    def __str__(self) -> str:
        return self.line


@dataclasses.dataclass(frozen=True)
class Progress:
    """Where a pass is: the mapping ("publisher_path -> subscriber_path"),
    the direction ("publisher -> subscriber 1" or back) and the changes
    handled in that direction so far."""

    mapping: str
    direction: str
    done: int


@dataclasses.dataclass(frozen=True)
class Conflict:
    """One item conflict, for a conflict callback: the destination's version
    (``local``) and the one that arrived (``incoming``), either None when
    that side deleted the item, and which of them is the publisher's."""

    local: Item | None
    incoming: Item | None
    local_from_publisher: bool
    incoming_from_publisher: bool


@dataclasses.dataclass(frozen=True)
class ConflictChoice:
    """A conflict callback's answer: whether the incoming version wins, and
    whether the losing one is kept as a conflict item (with a notice)."""

    incoming_wins: bool
    keep_loser: bool = False


class _ConflictBox:
    def __init__(self, fn: Callable[[Conflict], ConflictChoice]) -> None:
        self.fn = fn
        self.handle = ffi.new_handle(self)


def _conflict_error(exc_type, exc_value, tb) -> int:
    _report_unraisable(exc_value, "Exception in an ioreplication conflict callback")
    return 1  # a Message Error; the item is retried on the next pass


@ffi.def_extern(onerror=_conflict_error)
def _iorepl_py_conflict(user, conflict, incoming_wins, keep_loser):
    box = ffi.from_handle(user)
    choice = box.fn(
        Conflict(
            local=None if conflict.local == ffi.NULL else Item._read(conflict.local),
            incoming=(
                None if conflict.incoming == ffi.NULL
                else Item._read(conflict.incoming)
            ),
            local_from_publisher=bool(conflict.local_from_publisher),
            incoming_from_publisher=bool(conflict.incoming_from_publisher),
        )
    )
    if not isinstance(choice, ConflictChoice):
        raise TypeError(
            f"a conflict callback returns a ConflictChoice, not {type(choice).__name__}"
        )
    incoming_wins[0] = 1 if choice.incoming_wins else 0
    keep_loser[0] = 1 if choice.keep_loser else 0
    return 0


_DIFFERENCE_KINDS = {
    lib.IOREPL_MISSING_AT_SUBSCRIBER: "missing_at_subscriber",
    lib.IOREPL_MISSING_AT_PUBLISHER: "missing_at_publisher",
    lib.IOREPL_DIFFERENT_VERSION: "different_version",
    lib.IOREPL_DIFFERENT_PLACE: "different_place",
}


@dataclasses.dataclass(frozen=True)
class Difference:
    """One difference Session.verify found: the mapping, the subscriber's
    index, the folder's path below the mapped folder ("" for it), whether
    the object is a folder, its key, the kind ("missing_at_subscriber",
    "missing_at_publisher", "different_version", "different_place") and
    the change keys seen."""

    mapping: str
    subscriber: int
    path: str
    folder: bool
    key: Key
    kind: str
    detail: str


@dataclasses.dataclass(frozen=True)
class VerifyReport:
    """What Session.verify compared (folders, item versions, folders
    compared item by item) and every difference."""

    folders: int
    items: int
    differing_folders: int
    differences: tuple[Difference, ...]


@dataclasses.dataclass(frozen=True)
class Refusal:
    """An object the last complete pass of a direction refused (an error,
    or an item above max_item_size). It is sent again and counted on every
    pass until it is taken, changed at its source, or skipped."""

    mapping: str
    direction: str
    key: Key
    folder: bool
    reason: str
    why: str
    change_key: Key
    skipped: bool


@dataclasses.dataclass(frozen=True)
class ConflictEntry:
    """A conflict item keep_both left in one store of the session, and the
    item it lost to as that store holds it (None when gone)."""

    store: str
    mapping: str
    conflict_item: Item
    item: Item | None


_KEEP = {"mine": lib.IOREPL_KEEP_MINE, "theirs": lib.IOREPL_KEEP_THEIRS,
         "both": lib.IOREPL_KEEP_BOTH_ITEMS}


# A log handler: called with (level, subsystem, message), or a
# logging.Logger that gets the lines at the matching logging level.
LogHandler = Union[Callable[[LogLevel, str, str], None], logging.Logger]

_PY_LEVELS = {
    LogLevel.ERROR: logging.ERROR,
    LogLevel.WARNING: logging.WARNING,
    LogLevel.INFO: logging.INFO,
    LogLevel.DEBUG: logging.DEBUG,
}


class _LogBox:
    """Holds a log handler alive while C may call it."""

    def __init__(self, handler: LogHandler) -> None:
        self.handler = handler
        self.handle = ffi.new_handle(self)

    def emit(self, level: int, subsystem: str, message: str) -> None:
        handler = self.handler
        if isinstance(handler, logging.Logger):
            handler.log(_PY_LEVELS.get(LogLevel(level), logging.INFO), "%s: %s",
                        subsystem, message)
        else:
            handler(LogLevel(level), subsystem, message)


class _Unraisable:
    # The argument sys.unraisablehook takes.
    def __init__(self, exc: BaseException, message: str) -> None:
        self.exc_type = type(exc)
        self.exc_value = exc
        self.exc_traceback = exc.__traceback__
        self.err_msg = message
        self.object = None


def _report_unraisable(exc: BaseException, message: str) -> None:
    """Reports an exception of a callback that cannot fail the work that ran
    it, the way Python reports others it cannot raise."""
    sys.unraisablehook(_Unraisable(exc, message))


def _log_error(exc_type, exc_value, tb) -> None:
    _report_unraisable(exc_value, "Exception in an ioreplication log handler")


@ffi.def_extern(onerror=_log_error)
def _iorepl_py_log(user, level, subsystem, message, length):
    box = ffi.from_handle(user)
    box.emit(
        level,
        ffi.string(subsystem).decode("utf-8", "replace"),
        ffi.unpack(message, length).decode("utf-8", "replace"),
    )


_process_log: _LogBox | None = None


def set_log(handler: LogHandler | None, max_level: LogLevel = LogLevel.INFO) -> None:
    """Sends the library's log lines at ``max_level`` or more severe to
    ``handler`` (a callable or a logging.Logger); None turns logging off.
    Sessions may have their own (Session.set_log). A handler must not raise;
    if it does, the exception goes to sys.unraisablehook."""
    global _process_log
    if handler is None:
        check(lib.iorepl_set_log(ffi.NULL, ffi.NULL, max_level))
        _process_log = None
        return
    box = _LogBox(handler)
    check(lib.iorepl_set_log(lib._iorepl_py_log, box.handle, max_level))
    _process_log = box


class _ProgressBox:
    def __init__(self, fn: Callable[[Progress], object]) -> None:
        self.fn = fn
        self.handle = ffi.new_handle(self)


def _progress_error(exc_type, exc_value, tb) -> int:
    note_callback_exception(exc_value)
    return 1  # stops the pass; Session.run raises the exception


@ffi.def_extern(onerror=_progress_error)
def _iorepl_py_progress(user, progress):
    box = ffi.from_handle(user)
    stop = box.fn(
        Progress(
            mapping=ffi.string(progress.mapping).decode("utf-8", "replace"),
            direction=ffi.string(progress.direction).decode("utf-8", "replace"),
            done=int(progress.done),
        )
    )
    return 1 if stop else 0


class Session:
    """A replication session: passes that move what changed from the
    publisher to the subscribers (and back, for bidirectional mappings).

    ``Session(config)`` opens the stores the configuration's URIs name;
    ``Session(config, publisher=store, subscribers=[...])`` uses stores the
    caller opened (the URIs then only name the sync states). The session
    keeps those stores open until it closes. Use it as a context manager or
    call close().
    """

    def __init__(
        self,
        config: Config,
        *,
        publisher: Store | None = None,
        subscribers: Sequence[Store] | None = None,
    ) -> None:
        out = ffi.new("iorepl_session**")
        if publisher is None and subscribers is None:
            check(lib.iorepl_session_open(out, config._handle))
        else:
            if publisher is None or subscribers is None:
                raise TypeError("give both publisher and subscribers, or neither")
            subs = list(subscribers)
            array = ffi.new("iorepl_store*[]", [s._h() for s in subs] or [ffi.NULL])
            check(
                lib.iorepl_session_new(
                    out, config._handle, publisher._h(), array, len(subs)
                )
            )
        self._handle = ffi.gc(out[0], lib.iorepl_session_free)
        self._name = config.name
        self._progress: _ProgressBox | None = None
        self._log: _LogBox | None = None
        self._conflict: _ConflictBox | None = None

    def set_conflict_callback(
        self, fn: Callable[[Conflict], ConflictChoice] | None
    ) -> None:
        """Decides conflicts under ConflictPolicy.CALLBACK (None clears it;
        a session with that policy and no callback refuses to run, with
        StateError). ``fn`` gets a Conflict and returns a ConflictChoice. It
        must be a function of the two versions only, not of which one is
        local, or replicas will not converge. An exception it raises goes to
        sys.unraisablehook and makes the item a Message Error, retried on the
        next pass."""
        handle = self._h()
        if fn is None:
            check(lib.iorepl_session_set_conflict_callback(handle, ffi.NULL, ffi.NULL))
            self._conflict = None
            return
        box = _ConflictBox(fn)
        check(lib.iorepl_session_set_conflict_callback(
            handle, lib._iorepl_py_conflict, box.handle))
        self._conflict = box

    def verify(self, repair: bool = False) -> VerifyReport:
        """Compares each mapping's replicas by per-folder digests, without
        reading item content (docs/sync.md, "Anti-entropy"). With
        ``repair`` the next pass sends the differing objects again."""
        out = ffi.new("iorepl_verify_report**")
        check(lib.iorepl_session_verify(out, self._h(), 1 if repair else 0))
        report = ffi.gc(out[0], lib.iorepl_verify_report_free)
        counts = ffi.new("uint64_t[3]")
        check(lib.iorepl_verify_report_counts(counts, counts + 1, counts + 2, report))
        differences = []
        d = ffi.new("iorepl_difference*")
        d.struct_size = ffi.sizeof("iorepl_difference")
        for i in range(lib.iorepl_verify_report_size(report)):
            check(lib.iorepl_verify_report_at(d, report, i))
            differences.append(Difference(
                mapping=ffi.string(d.mapping).decode("utf-8"),
                subscriber=int(d.subscriber),
                path=ffi.string(d.path).decode("utf-8"),
                folder=bool(d.folder),
                key=Key._from_c(d.source_key),
                kind=_DIFFERENCE_KINDS[d.kind],
                detail=ffi.string(d.detail).decode("utf-8"),
            ))
        return VerifyReport(int(counts[0]), int(counts[1]), int(counts[2]),
                            tuple(differences))

    def refused(self) -> list[Refusal]:
        """What each direction's last complete pass refused."""
        out = ffi.new("iorepl_refused_list**")
        check(lib.iorepl_session_list_refused(out, self._h()))
        listed = ffi.gc(out[0], lib.iorepl_refused_list_free)
        r = ffi.new("iorepl_refusal*")
        r.struct_size = ffi.sizeof("iorepl_refusal")
        refusals = []
        for i in range(lib.iorepl_refused_list_size(listed)):
            check(lib.iorepl_refused_list_at(r, listed, i))
            refusals.append(Refusal(
                mapping=ffi.string(r.mapping).decode("utf-8"),
                direction=ffi.string(r.direction).decode("utf-8"),
                key=Key._from_c(r.source_key),
                folder=bool(r.folder),
                reason=ffi.string(r.reason).decode("utf-8"),
                why=ffi.string(r.why).decode("utf-8"),
                change_key=Key._from_c(r.change_key),
                skipped=bool(r.skipped),
            ))
        return refusals

    def skip_refused(self, key: KeyLike) -> None:
        """The next pass takes the refused version of ``key`` as seen, in
        every direction that refused it (NotFoundError when none did). A
        later version of the object is judged afresh."""
        check(lib.iorepl_session_skip_refused(self._h(), c_key(key)))

    def conflicts(self) -> list[ConflictEntry]:
        """The conflict items keep_both left, in every store of the session
        (a conflict item replicates, so a bidirectional pair has it twice)."""
        out = ffi.new("iorepl_conflict_list**")
        check(lib.iorepl_session_list_conflicts(out, self._h()))
        listed = ffi.gc(out[0], lib.iorepl_conflict_list_free)
        store = ffi.new("const char**")
        mapping = ffi.new("const char**")
        loser = ffi.new("const iorepl_item**")
        winner = ffi.new("const iorepl_item**")
        entries = []
        for i in range(lib.iorepl_conflict_list_size(listed)):
            check(lib.iorepl_conflict_list_at(store, mapping, loser, winner, listed, i))
            entries.append(ConflictEntry(
                store=ffi.string(store[0]).decode("utf-8"),
                mapping=ffi.string(mapping[0]).decode("utf-8"),
                conflict_item=Item._read(loser[0]),
                item=None if winner[0] == ffi.NULL else Item._read(winner[0]),
            ))
        return entries

    def resolve_conflict(self, conflict_item: KeyLike, keep: str) -> None:
        """An owner's choice about a conflict item, as local changes that
        replicate: keep "mine" (the item stays, the conflict item goes),
        "theirs" (the item takes the conflict item's content) or "both" (the
        conflict item becomes an ordinary item). The notice goes. Resolve a
        conflict once: the other stores hold the conflict item until the
        next pass."""
        if keep not in _KEEP:
            raise InvalidArgumentError(
                f'keep is "mine", "theirs" or "both", not {keep!r}',
                lib.IOREPL_EINVAL)
        check(lib.iorepl_session_resolve_conflict(
            self._h(), c_key(conflict_item), _KEEP[keep]))

    def __repr__(self) -> str:
        state = "closed" if self._handle is None else "open"
        return f"<Session {self._name!r} ({state})>"

    def close(self) -> None:
        """Frees the session and releases its stores. Idempotent."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            ffi.release(handle)
            self._progress = self._log = self._conflict = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _h(self):
        if self._handle is None:
            raise StateError("the session is closed", lib.IOREPL_ESTATE)
        return self._handle

    def run(self, progress: Callable[[Progress], object] | None = None) -> Statistics:
        """One pass over every mapping and subscriber.

        Per-object problems are counted in the statistics, not raised. An
        exception means a store failed and the pass stopped there (what was
        committed stays, and the next pass completes the rest):
        StorageError, CorruptError, CallbackError (a host store's callback
        failed; a Python callback's exception is its __cause__). Its
        ``statistics`` count what the pass committed before it stopped.

        Args:
          progress: called after each batch with a Progress. Return a true
            value to stop the pass: run() then raises CancelledError, whose
            ``statistics`` tell what was done. An exception the callback
            raises also stops the pass, and run() raises it.
        """
        handle = self._h()
        if progress is not None:
            self._progress = _ProgressBox(progress)
            check(lib.iorepl_session_set_progress(
                handle, lib._iorepl_py_progress, self._progress.handle))
        stats = ffi.new("iorepl_statistics*")
        stats.struct_size = ffi.sizeof("iorepl_statistics")
        try:
            rc = lib.iorepl_session_run(stats, handle)
        finally:
            if progress is not None:
                check(lib.iorepl_session_set_progress(handle, ffi.NULL, ffi.NULL))
                self._progress = None
        if rc == lib.IOREPL_ECANCELLED:
            error = error_for(rc)
            raised = take_callback_exception()
            if raised is not None:
                raise raised
            error.statistics = Statistics._from_c(stats, self._line(stats))
            raise error
        if rc != lib.IOREPL_OK:
            # What the pass committed before it stopped (that stays).
            error = error_for(rc)
            cause = take_callback_exception()
            error.statistics = Statistics._from_c(stats, self._line(stats))
            if cause is not None and rc == lib.IOREPL_ECALLBACK:
                raise error from cause
            raise error
        return Statistics._from_c(stats, self._line(stats))

    def _line(self, stats) -> str:
        out = ffi.new("char**")
        check(lib.iorepl_statistics_line(out, self._h(), stats))
        try:
            return ffi.string(out[0]).decode("utf-8")
        finally:
            lib.iorepl_free(out[0])

    def set_log(
        self, handler: LogHandler | None, max_level: LogLevel = LogLevel.INFO
    ) -> None:
        """Sends this session's log lines to ``handler`` instead of the
        process-wide one (set_log); None goes back to that one."""
        if handler is None:
            check(lib.iorepl_session_set_log(self._h(), ffi.NULL, ffi.NULL, max_level))
            self._log = None
            return
        box = _LogBox(handler)
        check(lib.iorepl_session_set_log(self._h(), lib._iorepl_py_log, box.handle,
                                         max_level))
        self._log = box
