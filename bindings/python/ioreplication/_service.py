# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""The service: sessions run on their schedules in the host's process."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from collections.abc import Callable, Sequence

from ioreplication._calls import ffi, lib
from ioreplication._errors import StateError, check
from ioreplication._session import (
    Config,
    LogHandler,
    Statistics,
    _LogBox,
    _report_unraisable,
    _string,
)
from ioreplication._types import LogLevel

__all__ = ["PassReport", "Service", "SessionStatus"]

_RESULTS = {
    lib.IOREPL_PASS_OK: "ok",
    lib.IOREPL_PASS_ERRORS: "errors",
    lib.IOREPL_PASS_FAILED: "failed",
    lib.IOREPL_PASS_INTERRUPTED: "interrupted",
}
_NEVER = 2**63 - 1


def _time(ms: int) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(ms / 1000, tz=_dt.timezone.utc)


@dataclasses.dataclass(frozen=True)
class PassReport:
    """How one pass of one session ended.

    ``result`` is "ok", "errors" (some objects were refused: counted, and
    retried on the next pass), "failed" (a store failed; ``error`` says why)
    or "interrupted" (stopped; the next pass continues). ``statistics``
    counts every subscriber together, including what a failed pass committed.
    """

    session: str
    start: _dt.datetime
    result: str
    error: str
    statistics: Statistics

    @classmethod
    def _from_c(cls, c) -> PassReport:
        line = _string(c.statistics_line)
        return cls(
            session=_string(c.session),
            start=_time(int(c.start_unix_ms)),
            result=_RESULTS.get(c.result, "failed"),
            error=_string(c.error),
            statistics=Statistics._from_c(c.stats, line),
        )


@dataclasses.dataclass(frozen=True)
class SessionStatus:
    """What the service knows of one session: whether a pass runs, when the
    next is due (None without a schedule interval, or while one runs), and
    the last pass (this service's, or else the status file's)."""

    session: str
    running: bool
    next_run: _dt.datetime | None
    last_pass: PassReport | None


class _PassBox:
    def __init__(self, fn: Callable[[PassReport], object]) -> None:
        self.fn = fn
        self.handle = ffi.new_handle(self)


def _pass_error(exc_type, exc_value, tb) -> None:
    _report_unraisable(exc_value, "Exception in an ioreplication pass callback")


@ffi.def_extern(onerror=_pass_error)
def _iorepl_py_pass(user, report):
    ffi.from_handle(user).fn(PassReport._from_c(report))


def _configs(configs: Sequence[Config]):
    handles = [c._handle for c in configs]
    return ffi.new("iorepl_config*[]", handles or [ffi.NULL]), len(handles)


class Service:
    """Runs sessions the way ``iorepl run`` does (it is the same code):
    each session with a schedule interval when it is due (at once the first
    time), never overlapping itself, its subscribers served by up to
    ``max_tasks`` tasks, tasks that write the same folders taking turns (also
    across processes that name the same ``lock_directory``), and every pass
    recorded in ``status_file`` when one is given::

        with ior.Service([config], status_file="iorepl.status",
                         on_pass=lambda r: print(r.statistics.line)) as svc:
            svc.start()
            ...            # passes run on the service's threads
        # leaving the block stops the service after the current batches

    ``on_pass`` and ``log`` are called on the service's threads, possibly
    at the same time; an exception they raise goes to sys.unraisablehook.
    They must not call stop(), reload() or close().
    """

    def __init__(
        self,
        configs: Sequence[Config],
        *,
        status_file: str | os.PathLike | None = None,
        lock_directory: str | os.PathLike | None = None,
        tick: float = 0.1,
        utc: bool = False,
        on_pass: Callable[[PassReport], object] | None = None,
        log: LogHandler | None = None,
        log_level: LogLevel = LogLevel.INFO,
    ) -> None:
        options = ffi.new("iorepl_service_options*")
        check(lib.iorepl_service_options_init(
            options, ffi.sizeof("iorepl_service_options")))
        keep = []
        if status_file is not None:
            keep.append(ffi.new("char[]", os.fsencode(status_file)))
            options.status_file = keep[-1]
        if lock_directory is not None:
            keep.append(ffi.new("char[]", os.fsencode(lock_directory)))
            options.lock_directory = keep[-1]
        ms = int(round(tick * 1000))
        if ms < 1 or ms > 0xFFFFFFFF:
            raise ValueError(f"tick is at least 0.001 s, not {tick!r}")
        options.tick_ms = ms
        options.utc = 1 if utc else 0
        array, count = _configs(configs)
        out = ffi.new("iorepl_service**")
        check(lib.iorepl_service_new(out, array, count, options))
        self._handle = ffi.gc(out[0], lib.iorepl_service_free)
        self._names = [c.name for c in configs]
        self._pass: _PassBox | None = None
        self._log: _LogBox | None = None
        if on_pass is not None:
            self._pass = _PassBox(on_pass)
            check(lib.iorepl_service_set_pass_callback(
                self._handle, lib._iorepl_py_pass, self._pass.handle))
        if log is not None:
            self._log = _LogBox(log)
            check(lib.iorepl_service_set_log(
                self._handle, lib._iorepl_py_log, self._log.handle, log_level))

    def _h(self):
        if self._handle is None:
            raise StateError("the service is closed", lib.IOREPL_ESTATE)
        return self._handle

    def run_once(self, session: str | None = None) -> None:
        """Runs ``session`` (None: every session) once, now, and returns
        when the passes have ended (on_pass hears of each). Raises
        StorageError when a pass failed, CancelledError when stop() came
        first, NotFoundError for an unknown session."""
        name = ffi.NULL if session is None else ffi.new(
            "char[]", session.encode("utf-8"))
        check(lib.iorepl_service_run_once(self._h(), name))

    def start(self) -> None:
        """Starts the scheduler (StateError when it runs already or the
        service was stopped)."""
        check(lib.iorepl_service_start(self._h()))

    def stop(self) -> None:
        """Lets running passes finish their current batch and returns when
        they have; a stopped service stays stopped. Idempotent."""
        check(lib.iorepl_service_stop(self._h()))

    def request_stop(self) -> None:
        """Like stop(), but returns at once (e.g. from a signal handler)."""
        check(lib.iorepl_service_request_stop(self._h()))

    def reload(self, configs: Sequence[Config]) -> None:
        """Replaces the sessions (validated; on an error nothing changes).
        Sessions that stay keep their last start."""
        array, count = _configs(configs)
        check(lib.iorepl_service_reload(self._h(), array, count))
        self._names = [c.name for c in configs]

    def status(self) -> list[SessionStatus]:
        """Each configured session, in configuration order."""
        out = ffi.new("iorepl_service_status**")
        check(lib.iorepl_service_status_get(out, self._h()))
        listed = ffi.gc(out[0], lib.iorepl_service_status_free)
        entry = ffi.new("iorepl_session_status*")
        entry.struct_size = ffi.sizeof("iorepl_session_status")
        result = []
        for i in range(lib.iorepl_service_status_size(listed)):
            check(lib.iorepl_service_status_at(entry, listed, i))
            next_ms = int(entry.next_run_unix_ms)
            result.append(SessionStatus(
                session=_string(entry.session),
                running=bool(entry.running),
                next_run=None if next_ms == _NEVER else _time(next_ms),
                last_pass=(PassReport._from_c(entry.last_pass)
                           if entry.has_last_pass else None),
            ))
        return result

    def close(self) -> None:
        """Stops the service (as stop()) and frees it. Idempotent."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            ffi.release(handle)
            self._pass = self._log = None

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._handle is None else "open"
        return f"<Service {self._names!r} ({state})>"
