# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""A store written in Python (conftest.DictHostStore) taking part in local
changes and sessions."""

import gc

import pytest

import ioreplication as ior
from conftest import DictHostStore, post


def test_local_changes_land_as_records():
    host = DictHostStore()
    with ior.Store.from_host(host) as store:
        assert "identity" in host.values  # a new table gets one at once
        root = store.create_root("Hosted")
        item = store.create_item(root, post("Hello"))
        record = host.records[item.key]
        assert record.kind == ior.Kind.ITEM and record.parent == root.key
        assert record.item().subject == "Hello"
        assert host.records[root.key].folder().name == "Hosted"
        with pytest.raises(ior.InvalidArgumentError):
            record.folder()
        assert store.counts() == ior.StoreCounts(1, 1, 0)
        assert host.saved is None  # every transaction ended
    assert host.closed == 1


def test_host_stores_in_a_bidirectional_session():
    pub_host, sub_host = DictHostStore(), DictHostStore()
    pub = ior.Store.from_host(pub_host)
    sub = ior.Store.from_host(sub_host)
    projects = pub.create_folder(pub.create_root("P"), "Projects")
    for i in range(25):
        pub.create_item(projects, post(f"Post {i}"))
    config = ior.Config("Hosted share")
    config.publisher = "host:pub"
    config.add_subscriber("host:sub")
    config.add_mapping("/Projects", "/Projects", ior.Direction.BIDIRECTIONAL)
    with pytest.raises(ior.StateError, match="names a store the host supplies"):
        ior.Session(config)  # host: URIs cannot be opened by URI
    session = ior.Session(config, publisher=pub, subscribers=[sub])
    assert session.run().message_changes == 25
    kinds = [r.kind for r in sub_host.records.values()]
    assert kinds.count(ior.Kind.ITEM) == 25

    # A failing callback: CallbackError naming the slot and the exception,
    # which is its cause; nothing half done; the next pass completes.
    sub_folder = sub.find_folder("/Projects")
    for i in range(3):
        sub.create_item(sub_folder, post(f"Back {i}"))
    pub_host.fail_next = "put"
    before = dict(pub_host.records)
    with pytest.raises(ior.CallbackError) as e:
        session.run()
    assert "put" in str(e.value) and "injected failure in put" in str(e.value)
    assert isinstance(e.value.__cause__, RuntimeError)
    assert pub_host.records == before and pub_host.saved is None
    assert session.run().message_changes == 3

    # The session keeps its stores: closing ours does not close the hosts.
    pub.close()
    sub.close()
    assert pub_host.closed == sub_host.closed == 0
    assert session.run().message_changes == 0
    session.close()
    gc.collect()
    assert pub_host.closed == sub_host.closed == 1


def test_an_error_raised_by_a_host_keeps_its_code():
    host = DictHostStore()
    store = ior.Store.from_host(host)
    root = store.create_root("R")

    def refuse(*args):
        raise ior.StorageError("disk full", -5)

    host.put = refuse
    with pytest.raises(ior.CallbackError, match="disk full") as e:
        store.create_folder(root, "F")
    assert "-5" in str(e.value)
    assert isinstance(e.value.__cause__, ior.StorageError)
    del host.put
    store.create_folder(root, "F")  # the store still works
    store.close()


def test_contract_violations_are_refused():
    class Unordered(DictHostStore):
        def scan(self, *args):
            return list(reversed(list(super().scan(*args))))

    host = Unordered()
    pub = ior.Store.from_host(host)
    folder = pub.create_folder(pub.create_root("R"), "F")
    for i in range(3):
        pub.create_item(folder, post(f"{i}"))
    config = ior.Config("S")
    config.publisher = "memory:p"
    config.add_subscriber("memory:s")
    config.add_mapping("/F", "/F")
    with ior.Store.open("memory:s") as sub:
        with ior.Session(config, publisher=pub, subscribers=[sub]) as session:
            with pytest.raises(ior.Error, match="order"):
                session.run()
    pub.close()


def test_from_host_refuses_other_objects_and_failed_creation_closes():
    with pytest.raises(TypeError):
        ior.Store.from_host(object())
    host = DictHostStore()
    host.fail_next = "put_value"  # the identity cannot be written
    with pytest.raises(ior.CallbackError):
        ior.Store.from_host(host)
    assert host.closed == 1


def test_sessions_on_threads_each_with_a_python_host():
    # The library runs without the GIL and retakes it for each callback: two
    # threads replicating at once into Python host stores both finish.
    import threading

    results, errors = [], []

    def replicate(n: int) -> None:
        try:
            host = DictHostStore()
            with ior.Store.open("memory:") as pub, ior.Store.from_host(host) as sub:
                folder = pub.create_folder(pub.create_root("P"), "F")
                for i in range(50):
                    pub.create_item(folder, post(f"{n}-{i}"))
                config = ior.Config(f"T{n}")
                config.publisher = "host:pub"
                config.add_subscriber("host:sub")
                config.add_mapping("/F", "/F")
                with ior.Session(config, publisher=pub, subscribers=[sub]) as s:
                    results.append(s.run().message_changes)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=replicate, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and results == [50, 50, 50, 50]


class FillingHostStore(DictHostStore):
    """Commits `room` transactions, then fails every commit (a full disk)."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def commit(self) -> None:
        if self.room == 0:
            raise OSError(28, "No space left on device")
        self.room -= 1
        super().commit()


def test_a_failed_pass_says_what_it_committed(sqlite_uri):
    # It used to raise with nothing to say how far the pass had come.
    pub_uri = sqlite_uri("pub")
    with ior.Store.open(pub_uri) as pub:
        root = pub.create_root("Public")
        sales = pub.create_folder(root, "Sales")
        for i in range(20):
            pub.create_item(sales, post(f"Post {i}"))
    host = FillingHostStore(room=1000)
    config = ior.Config("Filling")
    config.publisher = pub_uri
    config.add_subscriber("host:filling")
    config.add_mapping("/Sales", "/Sales")
    config.options.batch_size = 3
    with ior.Store.open(pub_uri) as pub, ior.Store.from_host(host) as sub:
        sub.create_root("Hosted")
        host.room = 4
        with ior.Session(config, publisher=pub, subscribers=[sub]) as session:
            with pytest.raises(ior.CallbackError) as e:
                session.run()
            committed = len(list(sub.items(sub.find_folder("/Sales"))))
            assert 0 < committed < 20
            assert e.value.statistics.message_changes == committed
            assert isinstance(e.value.__cause__, OSError)
            host.room = 1000
            assert session.run().message_changes == 20 - committed
