# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Stores: opening, reading and local changes through the binding."""

import datetime as dt

import pytest

import ioreplication as ior
from conftest import post


def test_sqlite_store_persists_identity_and_objects(sqlite_uri):
    uri = sqlite_uri("org")
    with ior.Store.open(uri) as s:
        replica = s.replica
        root = s.create_root("Contoso")
        s.create_item(s.create_folder(root, "Sales"), post("Q3"))
    with ior.Store.open(uri) as s:
        assert s.replica == replica and s.epoch == 0
        assert s.counts() == ior.StoreCounts(folders=2, items=1, tombstones=0)
        [item] = s.items(s.find_folder("/sales"))  # names ignore case
        assert item.subject == "Q3"
        s.mark_restored()
        assert s.replica != replica and s.epoch == 1


def test_folder_changes(store):
    root = store.root
    a = store.create_folder(root, "A")
    b = store.create_folder(root, "B")
    assert a.parent == root.key and a.name == "A"
    with pytest.raises(ior.AlreadyExistsError):
        store.create_folder(root, "a")
    renamed = store.rename_folder(a, "Alpha")
    assert renamed.key == a.key and renamed.name == "Alpha"
    assert renamed.change_key != a.change_key
    moved = store.move_folder(b, a)
    assert moved.parent == a.key
    with pytest.raises(ior.InvalidArgumentError):
        store.move_folder(a, b)  # into its own subtree
    assert [p for p, _ in store.walk()] == ["/", "/Alpha", "/Alpha/B"]
    assert [f.name for f in store.subfolders(a)] == ["B"]
    deep = store.make_folders("/Alpha/B/C/D")
    assert store.find_folder("/Alpha/B/C/D").key == deep.key
    with pytest.raises(ior.StateError):
        store.delete_folder(root)
    store.delete_folder(a)
    assert [p for p, _ in store.walk()] == ["/"]
    assert store.counts().tombstones == 4
    with pytest.raises(ior.NotFoundError):
        store.folder(a)


def test_folder_names_with_slashes(store):
    # MS-OXOPFFB names free/busy site folders "EX:/o=Org/ou=Site".
    site = store.make_folders("/SCHEDULE+ FREE BUSY/EX:%2Fo=Contoso%2Fou=Site")
    assert site.name == "EX:/o=Contoso/ou=Site"
    path = ior.join_folder_path("SCHEDULE+ FREE BUSY", "EX:/o=Contoso/ou=Site")
    assert path == "/SCHEDULE+ FREE BUSY/EX:%2Fo=Contoso%2Fou=Site"
    assert store.find_folder(path).key == site.key
    assert dict(store.walk())[path].key == site.key
    assert ior.split_folder_path(path) == ["SCHEDULE+ FREE BUSY",
                                          "EX:/o=Contoso/ou=Site"]
    # One list names the components, as the arguments do (it used to give "/AB").
    assert ior.join_folder_path(["A", "B"]) == "/A/B"
    assert ior.join_folder_path(("A", "B/C")) == "/A/B%2FC"
    assert ior.join_folder_path() == "/" == ior.join_folder_path([])
    with pytest.raises(ior.InvalidArgumentError, match="is empty"):
        ior.join_folder_path("A", "")
    with pytest.raises(ior.InvalidArgumentError, match="not a str"):
        ior.join_folder_path(["A", 3])
    assert ior.escape_folder_name("100% done") == "100% done"
    assert ior.split_folder_path("/" + ior.escape_folder_name("a%2Fb")) == ["a%2Fb"]
    with pytest.raises(ior.InvalidArgumentError, match="empty component"):
        ior.split_folder_path("/a//b")
    with pytest.raises(ior.InvalidArgumentError, match="must start"):
        store.make_folders("Sales")


def test_folder_properties_and_acl(store):
    f = store.create_folder(store.root, "F")
    f = store.set_folder_property(f, ior.PR_DISPLAY_NAME, "Shown")
    assert f.props == {ior.PR_DISPLAY_NAME: "Shown"}
    f = store.set_folder_property(f, ior.PR_DISPLAY_NAME, None)
    assert f.props == {}
    f = store.set_acl(f, "alice@contoso.com", 0x7FB)
    f = store.set_acl(f, "bob@contoso.com", 0)
    assert f.acl == {"alice@contoso.com": 0x7FB, "bob@contoso.com": 0}
    f = store.remove_acl(f, "bob@contoso.com")
    assert f.acl == {"alice@contoso.com": 0x7FB}
    with pytest.raises(ior.NotFoundError):
        store.remove_acl(f, "bob@contoso.com")


def test_every_property_type_round_trips(store):
    when = dt.datetime(2026, 11, 22, 9, 30, 15, 123456, tzinfo=dt.timezone.utc)
    props = {
        0x66000003: -7,                       # INT32
        0x6601000B: True,                     # BOOLEAN
        0x66020014: -(1 << 62),               # INT64
        0x6603001F: "Grüße, 世界",              # STRING
        0x66040040: when,                     # TIME, from a datetime
        0x66050040: ior.FileTime(133_000_000_000_000_001),  # exact ticks
        0x66060102: b"\x00\xff",              # BINARY
        0x66071003: [1, -2, 3],               # MV_INT32
        0x66081014: [1 << 40],                # MV_INT64
        0x6609101F: ["a", "", "ü"],           # MV_STRING
        0x660A1040: [0, 1],                   # MV_TIME
        0x660B1102: [b"", b"xy"],             # MV_BINARY
    }
    item = store.create_item(store.root, ior.Content("IPM.Note", body="b", props=props))
    got = store.item(item.key).props
    assert got[0x66040040].datetime == when
    assert got[0x66050040] == 133_000_000_000_000_001
    expected = {**props, 0x66040040: ior.FileTime.from_datetime(when)}
    assert got == expected
    assert all(isinstance(v, ior.FileTime) for v in got[0x660A1040])


def test_item_changes(store):
    a = store.create_folder(store.root, "A")
    b = store.create_folder(store.root, "B")
    item = store.create_item(a, ior.Content(
        "IPM.Post", body="first", props={ior.PR_SUBJECT: "S"},
        attachments=[ior.Attachment("n.txt", b"\x01\x02", "text/plain")]))
    assert item.folder == a.key
    assert item.attachments == (ior.Attachment("n.txt", b"\x01\x02", "text/plain"),)
    assert item.last_modified.datetime.year >= 2026
    edit = ior.Content.from_item(item)
    edit.body = "second"
    edited = store.modify_item(item, edit)
    assert edited.body == "second" and edited.props == item.props
    assert ior.pcl_compare(edited.pcl, item.pcl) == ior.PclOrder.NEWER
    moved = store.move_item(edited, b)
    assert moved.folder == b.key
    assert [i.key for i in store.items(b)] == [item.key]
    assert list(store.items(a)) == []
    store.delete_item(moved)
    with pytest.raises(ior.NotFoundError):
        store.item(item.key)
    with pytest.raises(ior.NotFoundError):
        store.delete_item(item.key)
    assert store.counts().items == 0


def test_size_limit():
    with ior.Store.open("memory:", max_item_size=100) as s:
        root = s.create_root("R")
        s.create_item(root, ior.Content(body="x" * 50))
        with pytest.raises(ior.TooBigError):
            s.create_item(root, ior.Content(body="x" * 500))
        assert s.counts().items == 1


def test_keys():
    with ior.Store.open("memory:") as s:
        root = s.create_root("R")
    key = root.key
    assert ior.Key.parse(str(key)) == key
    assert ior.Key.make(key.replica, key.counter) == key
    assert ior.Key(key.raw) == key and hash(ior.Key(key.raw)) == hash(key)
    assert str(key).startswith("{" + str(key.replica).upper() + "}:")
    assert len({key, ior.Key(key.raw)}) == 1


def test_nul_in_any_c_string_argument_is_refused(tmp_path, store):
    # 'nul.db\x00.x' used to open nul.db: C strings end at the NUL.
    with pytest.raises(ior.InvalidArgumentError, match="NUL"):
        ior.Store.open(f"sqlite:{tmp_path}/nul.db\x00.x")
    assert not (tmp_path / "nul.db").exists()
    root = store.root
    calls = [
        lambda: store.create_folder(root, "A\x00B"),
        lambda: store.find_folder("/A\x00"),
        lambda: store.make_folders("/X/\x00"),
        lambda: store.set_acl(root, "alice\x00@x", 1),
        lambda: store.create_item(root, ior.Content("IPM.Post\x00x")),
        lambda: store.create_item(
            root,
            ior.Content("IPM.Post", attachments=[ior.Attachment("a\x00.txt", b"")]),
        ),
        lambda: ior.Config("name\x00"),
        lambda: ior.Config("ok").add_subscriber("memory:\x00"),
        lambda: ior.Config("ok").add_mapping("/A\x00", "/B"),
    ]
    before = store.counts()
    for call in calls:
        with pytest.raises(ior.InvalidArgumentError, match="NUL"):
            call()
    assert store.counts() == before
    # Bodies and string properties carry their length: a NUL is content.
    item = store.create_item(root, ior.Content("IPM.Post", body="a\x00b"))
    assert store.item(item).body == "a\x00b"


def test_integers_out_of_range_are_invalid_arguments(store):
    for rights in (-1, 1 << 32):
        with pytest.raises(ior.InvalidArgumentError, match="out of range"):
            store.set_acl(store.root, "alice@contoso.com", rights)
