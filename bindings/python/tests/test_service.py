# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""The service from Python: run once, on a schedule, status, reload, stop,
schedules and max_tasks on a Config, and callbacks on the service's
threads."""

import datetime as dt
import threading
import time

import pytest

import ioreplication as ior
from conftest import post


def _publisher(uri: str, posts: int) -> None:
    with ior.Store.open(uri) as s:
        sales = s.create_folder(s.create_root("Contoso"), "Sales")
        for i in range(posts):
            s.create_item(sales, post(f"Post {i}"))


def _items(uri: str, path: str) -> int:
    with ior.Store.open(uri) as s:
        try:
            folder = s.find_folder(path)
        except ior.NotFoundError:
            return 0
        return len(list(s.items(folder)))


def _config(name: str, pub: str, sub: str, interval: int = 0) -> ior.Config:
    config = ior.Config(name)
    config.publisher = pub
    config.add_subscriber(sub)
    config.add_mapping("/Sales", "/In")
    if interval:
        config.schedule = ior.Schedule(interval=dt.timedelta(seconds=interval))
    return config


def _wait(done, limit: float = 20.0) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if done():
            return True
        time.sleep(0.02)
    return done()


def test_schedule_and_max_tasks_round_trip_and_are_checked(sqlite_uri):
    config = _config("S", sqlite_uri("p"), sqlite_uri("s"))
    assert config.schedule == ior.Schedule()
    wanted = ior.Schedule(dt.timedelta(minutes=15), ("mon", "fri"), "22:00", "06:00")
    config.schedule = wanted
    assert config.schedule == wanted
    with pytest.raises(ior.InvalidArgumentError, match="caturday"):
        config.schedule = ior.Schedule(dt.timedelta(minutes=1), ("caturday",))
    assert config.schedule == wanted  # unchanged
    with pytest.raises(ior.InvalidArgumentError):
        config.schedule = ior.Schedule(dt.timedelta(seconds=1.5))
    assert config.max_tasks == 1
    with pytest.raises(ior.InvalidArgumentError):
        config.max_tasks = 0
    config.max_tasks = 2
    with pytest.raises(ior.InvalidArgumentError, match="max_tasks"):
        config.validate()  # one subscriber


def test_run_once_status_and_records(sqlite_uri, tmp_path):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, 4)
    reports = []
    with ior.Service([_config("Sales", pub, sub)],
                     status_file=tmp_path / "status",
                     lock_directory=tmp_path / "locks",
                     on_pass=reports.append) as service:
        with pytest.raises(ior.NotFoundError):
            service.run_once("Nobody")
        service.run_once()
        assert [r.result for r in reports] == ["ok"]
        assert reports[0].session == "Sales"
        assert reports[0].statistics.message_changes == 4
        assert "[4 Message Changes" in reports[0].statistics.line
        [status] = service.status()
        assert status.session == "Sales" and not status.running
        assert status.next_run is None  # no interval
        assert status.last_pass.statistics.message_changes == 4
    assert _items(sub, "/In") == 4
    # A new service reads the last pass from the status file.
    with ior.Service([_config("Sales", pub, sub)],
                     status_file=tmp_path / "status") as again:
        [status] = again.status()
        assert status.last_pass is not None
        assert status.last_pass.result == "ok"
        assert status.last_pass.statistics.message_changes == 4


def test_scheduler_runs_reloads_and_stops(sqlite_uri, tmp_path):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, 2)
    seen = []
    threads = set()
    lock = threading.Lock()

    def on_pass(report):
        with lock:
            seen.append(report)
            threads.add(threading.get_ident())

    service = ior.Service([_config("Sales", pub, sub, interval=1)],
                          tick=0.02, on_pass=on_pass)
    service.start()
    with pytest.raises(ior.StateError):
        service.start()
    assert _wait(lambda: _items(sub, "/In") == 2)
    with ior.Store.open(pub) as s:
        s.create_item(s.find_folder("/Sales"), post("Late"))
    assert _wait(lambda: _items(sub, "/In") == 3)
    # A bad reload changes nothing; a good one is taken.
    with pytest.raises(ior.InvalidArgumentError):
        service.reload([_config("Sales", pub, sub), _config("Sales", pub, sub)])
    service.reload([_config("Sales", pub, sub, interval=1),
                    _config("Copy", pub, sqlite_uri("copy"), interval=1)])
    assert _wait(lambda: _items(sqlite_uri("copy"), "/In") == 3)
    assert [s.session for s in service.status()] == ["Sales", "Copy"]
    service.stop()
    with lock:
        count = len(seen)
    time.sleep(1.2)
    assert len(seen) == count  # nothing runs after stop()
    assert all(r.result == "ok" for r in seen)
    assert threading.get_ident() not in threads  # the service's own threads
    with pytest.raises(ior.StateError):
        service.start()
    service.close()
    with pytest.raises(ior.StateError):
        service.status()


def test_a_raising_callback_is_reported_not_fatal(sqlite_uri, monkeypatch):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, 1)
    caught = []
    monkeypatch.setattr("sys.unraisablehook", caught.append)

    def bad(report):
        raise RuntimeError("host bug")

    with ior.Service([_config("Sales", pub, sub)], on_pass=bad) as service:
        service.run_once()
    assert _items(sub, "/In") == 1
    assert len(caught) == 1 and isinstance(caught[0].exc_value, RuntimeError)


def test_request_stop_interrupts_a_long_pass(sqlite_uri):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, 300)
    config = _config("Big", pub, sub)
    config.options.batch_size = 1
    service = ior.Service([config], tick=0.01)
    stopper = threading.Timer(0.05, service.request_stop)
    stopper.start()
    with pytest.raises(ior.CancelledError):
        service.run_once()
    stopper.join()
    copied = _items(sub, "/In")
    assert 0 < copied < 300
    service.close()
    with ior.Service([config]) as next_service:
        next_service.run_once()
    assert _items(sub, "/In") == 300
