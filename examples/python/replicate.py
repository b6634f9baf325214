#!/usr/bin/python3
# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Scripting ioreplication from Python.

    replicate.py DIR

Contoso keeps its public folders in the built-in SQLite store; Fabrikam, a
Python application, keeps them in its own database through a host store
(sqlite_host_store.py). The script fills Contoso, shares /Announcements one
way and /Joint both ways, makes a conflicting edit, and prints each pass's
statistics and what Fabrikam ends up with. Exits non-zero on a surprise.
"""

import logging
import pathlib
import sys

import ioreplication as ior
from sqlite_host_store import SqliteHostStore


def fill_contoso(store: ior.Store) -> ior.Item:
    root = store.create_root("Contoso")
    news = store.create_folder(root, "Announcements")
    for week in range(1, 6):
        store.create_item(news, ior.Content(
            "IPM.Post", body=f"Week {week}: all systems normal.",
            props={ior.PR_SUBJECT: f"Weekly note {week}"}))
    joint = store.create_folder(root, "Joint")
    return store.create_item(joint, ior.Content(
        "IPM.Post", body="Kickoff on Monday.", props={ior.PR_SUBJECT: "Kickoff"}))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in ("contoso.db", "fabrikam-host.db"):
        for suffix in ("", "-wal", "-shm"):
            (out / (name + suffix)).unlink(missing_ok=True)

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    ior.set_log(logging.getLogger("ioreplication"), ior.LogLevel.INFO)

    contoso = ior.Store.open(f"sqlite:{out / 'contoso.db'}")
    fabrikam = ior.Store.from_host(SqliteHostStore(str(out / "fabrikam-host.db")))
    kickoff = fill_contoso(contoso)
    fabrikam.create_root("Fabrikam")

    config = ior.Config.parse(f"""
        name: "Contoso and Fabrikam"
        publisher: "sqlite:{out / 'contoso.db'}"
        subscriber: "host:fabrikam"
        mapping {{ publisher_path: "/Announcements"
                  subscriber_path: "/Partners/Contoso" }}
        mapping {{ publisher_path: "/Joint" subscriber_path: "/Joint"
                  direction: BIDIRECTIONAL }}
    """)
    with ior.Session(config, publisher=contoso, subscribers=[fabrikam]) as session:
        first = session.run()
        print(first.line)

        # Both sides edit the kickoff before the next pass: a conflict, and
        # by default both versions are kept and the owners told.
        edit = ior.Content.from_item(kickoff)
        edit.body = "Kickoff moved to Tuesday."
        contoso.modify_item(kickoff, edit)
        edit.body = "Kickoff on Monday, room 4."
        fabrikam.modify_item(kickoff, edit)
        second = session.run()
        print(second.line)
        print(f"{second.conflicts} conflict resolved")

    for path, folder in fabrikam.walk():
        count = sum(1 for _ in fabrikam.items(folder))
        print(f"  Fabrikam {path}: {count} items")

    news = list(fabrikam.items(fabrikam.find_folder("/Partners/Contoso")))
    joint = list(fabrikam.items(fabrikam.find_folder("/Joint")))
    contoso.close()
    fabrikam.close()
    if first.message_changes != 6 or second.conflicts != 1 or len(news) != 5:
        print("replicate.py: unexpected results", file=sys.stderr)
        return 1
    if sorted(i.message_class for i in joint) != [
            "IPM.Conflict.Message", "IPM.Post", "IPM.Post"]:
        print("replicate.py: the conflict was not kept", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
