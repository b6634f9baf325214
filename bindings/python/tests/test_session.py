# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Configurations and sessions: runs, statistics, conflicts, progress and
logs."""

import logging

import sys

import pytest

import ioreplication as ior
from conftest import post

LINE = ("Statistics for Public Folder replication session '{name}' "
        "[{} Message Changes, {} Message Deletions, {} Message Ignores, "
        "{} Message Errors, {} Folder Changes, {} Folder Deletions, "
        "{} Folder Ignores, {} Folder Errors].")


def _publisher(uri: str, posts: int = 5) -> None:
    with ior.Store.open(uri) as s:
        sales = s.create_folder(s.create_root("Contoso"), "Sales")
        s.create_folder(sales, "EMEA")
        for i in range(posts):
            s.create_item(sales, post(f"Post {i}"))


def _config(pub: str, sub: str, direction=ior.Direction.ONE_WAY) -> ior.Config:
    config = ior.Config("Sales share")
    config.publisher = pub
    config.add_subscriber(sub)
    config.add_mapping("/Sales", "/Contoso/Sales", direction)
    return config


def test_run_replicates_and_reports(sqlite_uri):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub)
    with ior.Session(_config(pub, sub)) as session:
        stats = session.run()
        assert (stats.message_changes, stats.folder_changes) == (5, 1)
        assert stats.message_errors == stats.folder_errors == 0
        assert stats.bytes > 0 and stats.duration.total_seconds() >= 0
        assert stats.line == LINE.format(5, 0, 0, 0, 1, 0, 0, 0, name="Sales share")
        assert str(stats) == stats.line
        again = session.run()  # nothing changed since
        assert again.message_changes == again.folder_changes == 0
    with ior.Store.open(sub) as s:
        folder = s.find_folder("/Contoso/Sales")
        assert sorted(i.subject for i in s.items(folder)) == [
            f"Post {i}" for i in range(5)]
        assert s.find_folder("/Contoso/Sales/EMEA").parent == folder.key


def test_deletions_replicate(sqlite_uri):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, posts=2)
    with ior.Session(_config(pub, sub)) as session:
        session.run()
        with ior.Store.open(pub) as p:
            first = next(p.items(p.find_folder("/Sales")))
            p.delete_item(first)
        stats = session.run()
        assert stats.message_deletions == 1


def _edit_both(a: ior.Store, b: ior.Store, original, at_a: str, at_b: str):
    """Edits the item `original` at both organizations (a first), each giving
    it another subject: a conflict for the next pass."""
    edit = ior.Content.from_item(original)
    edit.props[ior.PR_SUBJECT] = at_a
    a.modify_item(original, edit)
    edit.props[ior.PR_SUBJECT] = at_b
    b.modify_item(original, edit)


def _joint(a: ior.Store, b: ior.Store):
    """Organization a shares /Shared (one post, "Kickoff") with b, both ways,
    over stores opened as memory:a and memory:b."""
    shared = a.create_folder(a.create_root("A"), "Shared")
    original = a.create_item(shared, post("Kickoff"))
    b.create_root("B")
    config = ior.Config("Joint")
    config.publisher = "memory:a"
    config.add_subscriber("memory:b")
    config.add_mapping("/Shared", "/Shared", ior.Direction.BIDIRECTIONAL)
    return shared, original, config


def test_session_over_open_stores_and_conflict():
    with ior.Store.open("memory:a") as a, ior.Store.open("memory:b") as b:
        shared, original, config = _joint(a, b)
        with pytest.raises(ior.InvalidArgumentError):
            ior.Session(config, publisher=a, subscribers=[a, b])  # count
        with ior.Session(config, publisher=a, subscribers=[b]) as session:
            assert session.run().message_changes == 1
            _edit_both(a, b, original, "Kickoff (A)", "Kickoff (B)")
            stats = session.run()
            assert stats.conflicts == 1
        # Keep-both: the winner under the original key, the loser kept, and
        # a notice telling the owners.
        items = list(b.items(b.find_folder("/Shared")))
        classes = sorted(i.message_class for i in items)
        assert classes == ["IPM.Conflict.Message", "IPM.Post", "IPM.Post"]
        subjects = {i.subject for i in items}
        assert {"Kickoff (A)", "Kickoff (B)"} <= subjects


def test_a_conflict_callback_decides(monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with ior.Store.open("memory:a") as a, ior.Store.open("memory:b") as b:
        shared, original, config = _joint(a, b)
        options = config.options
        options.conflict_policy = ior.ConflictPolicy.CALLBACK
        config.options = options
        assert config.options.conflict_policy == ior.ConflictPolicy.CALLBACK
        seen = []

        def longer_subject_wins(c: ior.Conflict) -> ior.ConflictChoice:
            seen.append(c)
            if len(seen) == 1:
                raise RuntimeError("not yet")  # a Message Error, retried
            return ior.ConflictChoice(
                incoming_wins=len(c.incoming.subject) > len(c.local.subject))

        with ior.Session(config, publisher=a, subscribers=[b]) as session:
            with pytest.raises(ior.StateError, match="no conflict callback"):
                session.run()
            session.set_conflict_callback(longer_subject_wins)
            assert session.run().message_changes == 1
            _edit_both(a, b, original, "Kickoff (A, longer)", "Kickoff (B)")
            # Down, at b, the callback fails: a Message Error. Back up, at a,
            # it decides (a's own, longer version stays).
            stats = session.run()
            assert (stats.message_errors, stats.conflicts) == (1, 1)
            assert [str(u.exc_value) for u in unraisable] == ["not yet"]
            assert seen[-1].local.subject == "Kickoff (A, longer)"
            assert seen[-1].incoming.subject == "Kickoff (B)"
            assert not seen[-1].incoming_from_publisher
            assert seen[-1].local_from_publisher
            # The retry at b finds a's resolved version newer: no conflict.
            stats = session.run()
            assert (stats.message_errors, stats.conflicts) == (0, 0)
            assert len(seen) == 2
            quiet = session.run()
            assert quiet.message_changes == quiet.conflicts == 0
            session.set_conflict_callback(None)
            with pytest.raises(ior.StateError):
                session.run()
        # No conflict item under this callback: one item, the longer one.
        items = list(b.items(b.find_folder("/Shared")))
        assert [i.subject for i in items] == ["Kickoff (A, longer)"]
        assert [i.subject for i in a.items(shared)] == ["Kickoff (A, longer)"]


def test_refusals_stay_listed_until_skipped(sqlite_uri):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    with ior.Store.open(pub) as s:
        sales = s.create_folder(s.create_root("Contoso"), "Sales")
        big = s.create_item(sales, ior.Content(body="x" * 3000))
    config = _config(pub, sub)
    options = config.options
    options.max_item_size = 1000
    config.options = options
    with ior.Session(config) as session:
        assert session.run().message_ignores == 1
        assert session.run().message_ignores == 1  # every pass
        [refusal] = session.refused()
        assert (refusal.key, refusal.reason, refusal.folder) == (
            big.key, "too_large", False)
        assert refusal.change_key == big.change_key
        assert refusal.direction == "publisher -> subscriber 1"
        assert "above the session's maximum of 1000" in refusal.why
        with pytest.raises(ior.NotFoundError):
            session.skip_refused(sales)
        session.skip_refused(big)
        assert session.refused()[0].skipped
        assert session.run().message_ignores == 0
        assert session.refused() == []


def test_verify_and_conflicts():
    with ior.Store.open("memory:a") as a, ior.Store.open("memory:b") as b:
        shared, original, config = _joint(a, b)
        with ior.Session(config, publisher=a, subscribers=[b]) as session:
            session.run()
            report = session.verify()
            assert (report.folders, report.items, report.differences) == (1, 2, ())
            _edit_both(a, b, original, "Kickoff (A)", "Kickoff (B)")
            # Not replicated yet: verify sees the two versions.
            report = session.verify()
            assert [d.kind for d in report.differences] == ["different_version"]
            assert report.differences[0].key == original.key
            assert report.differences[0].path == ""
            assert report.differing_folders == 1
            assert session.run().conflicts == 1
            conflicts = session.conflicts()
            assert [c.store for c in conflicts] == ["memory:a", "memory:b"]
            loser = conflicts[0].conflict_item
            assert {loser.subject, conflicts[0].item.subject} == {
                "Kickoff (A)", "Kickoff (B)"}
            with pytest.raises(ior.InvalidArgumentError, match="mine"):
                session.resolve_conflict(loser, "all")
            with pytest.raises(ior.StateError):  # not a conflict item
                session.resolve_conflict(original, "mine")
            session.resolve_conflict(loser, "theirs")
            session.run()
            assert session.conflicts() == []
            assert session.verify().differences == ()
            [item] = [i for i in b.items(b.find_folder("/Shared"))]
            assert item.subject == loser.subject


def test_config_parse_options_and_validate(sqlite_uri):
    text = f"""
      name: "Parsed"
      publisher: "{sqlite_uri('p')}"
      subscriber: "{sqlite_uri('s')}"
      mapping {{ publisher_path: "/A" subscriber_path: "/B" }}
    """
    config = ior.Config.parse(text)
    assert config.name == "Parsed"
    config.validate()
    options = config.options
    assert options == ior.SessionOptions()
    options.conflict_policy = ior.ConflictPolicy.LAST_WRITER_WINS
    options.replication_account = "repl@contoso.com"
    options.batch_size = 7
    options.verify_interval_seconds = 3600
    config.options = options
    assert config.options == options
    assert config.options.verify_interval_seconds == 3600
    with pytest.raises(ior.InvalidArgumentError, match="verify_interval"):
        options.verify_interval_seconds = 1 << 32
    assert options.verify_interval_seconds == 3600  # left as it was
    assert config.options.verify_interval_seconds == 3600
    detached = ior.SessionOptions(verify_interval_seconds=1 << 32)
    with pytest.raises(ior.InvalidArgumentError, match="verify_interval"):
        config.options = detached
    parsed = ior.Config.parse(text + "options { verify_interval_seconds: 60 }")
    assert parsed.options.verify_interval_seconds == 60
    with pytest.raises(ior.InvalidArgumentError, match="line"):
        ior.Config.parse("name: ")
    empty = ior.Config("Empty")
    with pytest.raises(ior.InvalidArgumentError) as e:
        empty.validate()
    assert len(str(e.value).splitlines()) >= 2  # every problem, one per line
    with pytest.raises(ior.InvalidArgumentError):
        ior.Session(empty)


def test_progress_can_cancel_and_the_next_pass_continues(sqlite_uri):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, posts=30)
    config = _config(pub, sub)
    options = config.options
    options.batch_size = 10
    config.options = options
    seen = []
    with ior.Session(config) as session:
        with pytest.raises(ior.CancelledError) as e:
            session.run(progress=lambda p: seen.append(p) or True)
        assert seen[0].mapping == "/Sales -> /Contoso/Sales"
        assert seen[0].direction == "publisher -> subscriber 1"
        partial = e.value.statistics
        assert 0 < partial.message_changes < 30
        rest = session.run()
        assert partial.message_changes + rest.message_changes == 30


def test_progress_exception_stops_the_pass_and_is_raised(sqlite_uri):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, posts=3)
    with ior.Session(_config(pub, sub)) as session:
        def explode(progress):
            raise KeyError("from progress")
        with pytest.raises(KeyError, match="from progress"):
            session.run(progress=explode)
        assert session.run().message_changes == 0  # the batch had committed


def test_logs_reach_callables_and_loggers(sqlite_uri, caplog):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, posts=1)
    config = _config(pub, sub)
    config.add_mapping("/Missing", "/Elsewhere")  # a Folder Error, logged
    lines = []
    try:
        ior.set_log(lambda level, subsystem, message:
                    lines.append((level, subsystem, message)))
        with ior.Session(config) as session:
            assert session.run().folder_errors == 1
        assert any(level == ior.LogLevel.INFO and "/Missing" in message
                   for level, _, message in lines)
        # A session's own handler takes its lines instead.
        lines.clear()
        logger = logging.getLogger("iorepl-test")
        with ior.Session(config) as session, caplog.at_level(logging.INFO):
            session.set_log(logger, ior.LogLevel.INFO)
            session.run()
        assert lines == []
        assert any("/Missing" in r.getMessage() for r in caplog.records)
        # Filtered below the maximum level.
        ior.set_log(lambda *a: lines.append(a), ior.LogLevel.ERROR)
        with ior.Session(config) as session:
            session.run()
        assert lines == []
    finally:
        ior.set_log(None)


def test_a_raising_log_handler_does_not_fail_the_pass(sqlite_uri):
    pub, sub = sqlite_uri("pub"), sqlite_uri("sub")
    _publisher(pub, posts=1)
    config = _config(pub, sub)
    config.add_mapping("/Missing", "/Elsewhere")
    reported = []
    import sys
    old_hook = sys.unraisablehook
    sys.unraisablehook = lambda args: reported.append(args.exc_value)
    try:
        with ior.Session(config) as session:
            session.set_log(lambda *a: 1 / 0)
            assert session.run().message_changes == 1
    finally:
        sys.unraisablehook = old_hook
    assert reported and isinstance(reported[0], ZeroDivisionError)


def test_config_options_fields_take_effect_when_assigned(sqlite_uri):
    # config.options used to be a copy: this changed nothing.
    config = ior.Config("Live")
    config.options.batch_size = 7
    assert config.options.batch_size == 7
    options = config.options
    options.max_item_size = 5000
    assert config.options.max_item_size == 5000
    with pytest.raises(ior.InvalidArgumentError, match="batch_size"):
        config.options.batch_size = 0
    assert config.options.batch_size == 7
    # Out of the C type's range: InvalidArgumentError, not OverflowError.
    for bad in (-1, 1 << 64):
        with pytest.raises(ior.InvalidArgumentError, match="out of range"):
            config.options.batch_bytes = bad
    with pytest.raises(ior.InvalidArgumentError, match="expected int"):
        config.options.batch_size = "7"
    assert repr(config.options).startswith("SessionOptions(replicate_deletions=")


def test_config_reads_back_and_shows_itself(sqlite_uri):
    config = ior.Config("Sales share")
    assert config.publisher == "" and config.subscribers == ()
    config.publisher = sqlite_uri("pub")
    config.add_subscriber(sqlite_uri("a"))
    config.add_subscriber(sqlite_uri("b"))
    config.add_mapping("/Sales", "/Contoso/Sales")
    config.add_mapping("/Shared", "/Shared", ior.Direction.BIDIRECTIONAL)
    assert config.publisher == sqlite_uri("pub")
    assert config.subscribers == (sqlite_uri("a"), sqlite_uri("b"))
    assert config.mappings == (
        ior.Mapping("/Sales", "/Contoso/Sales", ior.Direction.ONE_WAY),
        ior.Mapping("/Shared", "/Shared", ior.Direction.BIDIRECTIONAL),
    )
    assert config.type == ior.SessionType.PUBLIC_FOLDER
    assert repr(config) == (
        f"<Config 'Sales share' public_folder: {sqlite_uri('pub')} -> "
        f"{sqlite_uri('a')}, {sqlite_uri('b')}, 2 mappings>"
    )
    fb = ior.Config.parse(
        'name: "FB" type: FREE_BUSY publisher: "memory:p" subscriber: "memory:s"'
    )
    assert fb.type == ior.SessionType.FREE_BUSY
    assert fb.mappings[0].publisher_path == fb.mappings[0].subscriber_path
    with ior.Session(config) as session:
        assert repr(session) == "<Session 'Sales share' (open)>"
    assert repr(session) == "<Session 'Sales share' (closed)>"
    with ior.Store.open("memory:shown") as store:
        assert repr(store) == (
            f"<Store memory:shown replica {{{str(store.replica).upper()}}} epoch 0>"
        )
    assert repr(store) == "<Store memory:shown (closed)>"


def test_zero_counts_in_configuration_text_are_refused():
    # "batch_size: 0" used to mean 1000 silently; the setter refused it.
    base = 'name: "Z" publisher: "memory:p" subscriber: "memory:s" ' \
        'mapping { publisher_path: "/A" subscriber_path: "/B" } '
    for text, what in [
        ("options { batch_size: 0 }", "batch_size must be at least 1"),
        ("options { max_item_size: 0 }", "max_item_size must be positive"),
        ("max_tasks: 0", "max_tasks must be at least 1"),
    ]:
        with pytest.raises(ior.InvalidArgumentError, match=what):
            ior.Config.parse(base + text)
    assert ior.Config.parse(base).options.batch_size == 1000
