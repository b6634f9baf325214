# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""The free/busy verbs of iorepl, end to end, with python3-icalendar as the
independent iCalendar parser: what `iorepl freebusy export` prints must parse
there with the same periods, and a calendar icalendar writes must import."""

import datetime as dt
import os
import subprocess

import icalendar
import pytest

IOREPL = os.environ["IOREPL"]
UTC = dt.timezone.utc
SITE = "/NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY/EX:%2Fo=Contoso%2Fou=First Site"


def iorepl(*args, ok=True):
    r = subprocess.run([IOREPL, *args], capture_output=True, text=True)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def ics_from_icalendar(organizer, periods, start, end, stamp):
    cal = icalendar.Calendar()
    cal.add("prodid", "-//test//python3-icalendar//EN")
    cal.add("version", "2.0")
    fb = icalendar.FreeBusy()
    fb.add("dtstamp", stamp)
    fb.add("dtstart", start)
    fb.add("dtend", end)
    fb.add("organizer", f"mailto:{organizer}", parameters={"CN": "Jane Doe"})
    for fbtype, a, b in periods:
        fb.add("freebusy", (a, b), parameters={"FBTYPE": fbtype})
    cal.add_component(fb)
    return cal.to_ical()


def parsed_periods(text):
    cal = icalendar.Calendar.from_ical(text)
    (fb,) = [c for c in cal.walk() if c.name == "VFREEBUSY"]
    lines = fb.get("FREEBUSY")
    lines = lines if isinstance(lines, list) else [lines]
    out = []
    for line in lines:
        for period in line.to_ical().decode().split(","):
            a, b = period.split("/")
            parse = lambda t: dt.datetime.strptime(t, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            out.append((line.params["FBTYPE"], parse(a), parse(b)))
    return fb, sorted(out)


def test_import_export_round_trip_through_icalendar(tmp_path):
    store = f"sqlite:{tmp_path}/contoso.db"
    start = dt.datetime(2026, 11, 1, tzinfo=UTC)
    end = dt.datetime(2027, 1, 1, tzinfo=UTC)
    periods = [
        ("BUSY", dt.datetime(2026, 11, 30, 23, tzinfo=UTC), dt.datetime(2026, 12, 1, 1, tzinfo=UTC)),
        ("BUSY-TENTATIVE", dt.datetime(2026, 12, 2, 9, tzinfo=UTC), dt.datetime(2026, 12, 2, 9, 30, tzinfo=UTC)),
        ("BUSY-UNAVAILABLE", dt.datetime(2026, 12, 20, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC)),
    ]
    ics = tmp_path / "jdoe.ics"
    ics.write_bytes(ics_from_icalendar("jdoe@contoso.com", periods, start, end,
                                       dt.datetime(2026, 11, 22, 8, 30, tzinfo=UTC)))
    r = iorepl("freebusy", "import", str(ics), "--store", store,
               "--legacy-dn", "/o=Contoso/ou=First Site/cn=Recipients/cn=jdoe")
    assert f"written to {SITE}: 1 busy, 1 tentative, 1 out-of-office" in r.stdout

    raw = subprocess.run([IOREPL, "freebusy", "export", "--user", "JDOE@contoso.com",
                          "--store", store], capture_output=True, check=True).stdout
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(l) <= 75 for l in raw.split(b"\r\n"))
    exported = raw.decode()
    fb, got = parsed_periods(exported.encode())
    assert got == sorted(periods)
    assert str(fb["ORGANIZER"]) == "mailto:jdoe@contoso.com"
    assert fb["ORGANIZER"].params["CN"] == "Jane Doe"
    assert fb.decoded("DTSTART") == start and fb.decoded("DTEND") == end
    assert fb.decoded("DTSTAMP") == dt.datetime(2026, 11, 22, 8, 30, tzinfo=UTC)


def test_status_lists_stale_and_ending_users(tmp_path):
    store = f"sqlite:{tmp_path}/s.db"
    now = dt.datetime.now(UTC).replace(microsecond=0)
    for user, stamp, end in [
        ("fresh@x.com", now, now + dt.timedelta(days=60)),
        ("old@x.com", now - dt.timedelta(days=3), now + dt.timedelta(days=60)),
        ("ending@x.com", now, now + dt.timedelta(days=2)),
    ]:
        ics = tmp_path / f"{user}.ics"
        ics.write_bytes(ics_from_icalendar(
            user, [("BUSY", now + dt.timedelta(hours=1), now + dt.timedelta(hours=2))],
            now - dt.timedelta(days=1), end, stamp))
        iorepl("freebusy", "import", str(ics), "--store", store, "--folder", SITE)
    r = iorepl("freebusy", "status", "--store", store, ok=False)
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert sorted(l.split("\t")[0] for l in lines[:-1]) == ["ending@x.com", "old@x.com"]
    assert "stale: published" in r.stdout and "3d ago" in r.stdout
    assert "range ends" in r.stdout
    assert lines[-1].startswith("3 free/busy messages under /NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY: 1 stale")
    # Thresholds that flag nobody: exit 0.
    r = iorepl("freebusy", "status", "--store", store, "--older-than", "4d",
               "--ends-within", "1d")
    assert "0 stale (older than 4d), 0 with ranges ending within 24h" in r.stdout
    bad = iorepl("freebusy", "status", "--store", store, "--older-than", "soon", ok=False)
    assert bad.returncode == 2 and "not a duration" in bad.stderr


def test_recipients_import_and_list(tmp_path):
    store = f"sqlite:{tmp_path}/f.db"
    csv = tmp_path / "r.csv"
    csv.write_text("smtp_address,display_name\r\nJDoe@Contoso.com,Jane Doe\r\n"
                   "\"rsmith@contoso.com\",\"Smith, Robert\"\r\n")
    r = iorepl("recipients", "import", str(csv), "--store", store)
    assert "2 added, 0 updated, 0 unchanged, 0 removed" in r.stdout
    listed = iorepl("recipients", "list", "--store", store).stdout
    assert listed == "JDoe@Contoso.com\tJane Doe\nrsmith@contoso.com\tSmith, Robert\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("smtp_address\nnot-an-address\n")
    r = iorepl("recipients", "import", str(bad), "--store", store, ok=False)
    assert r.returncode == 1 and "line 2: SMTP address \"not-an-address\"" in r.stderr
    # Nothing changed.
    assert iorepl("recipients", "list", "--store", store).stdout == listed
    r = iorepl("recipients", "list", ok=False)
    assert r.returncode == 2 and "needs --store URI" in r.stderr


def test_a_bad_calendar_is_refused_with_its_line(tmp_path):
    ics = tmp_path / "bad.ics"
    ics.write_text("BEGIN:VCALENDAR\nBEGIN:VFREEBUSY\nDTSTAMP:20261122T080000Z\n"
                   "ORGANIZER:mailto:a@x.com\nFREEBUSY:20261202T090000/PT1H\n"
                   "END:VFREEBUSY\nEND:VCALENDAR\n")
    r = iorepl("freebusy", "import", str(ics), "--store", f"sqlite:{tmp_path}/x.db",
               "--folder", SITE, ok=False)
    assert r.returncode == 1
    assert "line 5: FREEBUSY: \"20261202T090000\" is a local time" in r.stderr
    r = iorepl("freebusy", "export", "--user", "nobody@x.com", "--store",
               f"sqlite:{tmp_path}/x.db", ok=False)
    assert r.returncode == 2 and "no such store" in r.stderr
