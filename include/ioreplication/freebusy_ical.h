// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iCalendar (RFC 5545) VFREEBUSY for a user's free/busy message, both ways:
// export, so any calendar client can show a partner's availability, and
// import, so a calendar server that publishes VFREEBUSY can be a free/busy
// publisher.
//
// The kinds map as calendar servers map them: busy is FBTYPE=BUSY,
// tentative FBTYPE=BUSY-TENTATIVE, out of office FBTYPE=BUSY-UNAVAILABLE.
// Free/busy data has minute precision; times are in UTC.
//
// Thread safety: pure functions.

#ifndef IOREPLICATION_FREEBUSY_ICAL_H_
#define IOREPLICATION_FREEBUSY_ICAL_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/freebusy.h"

namespace ioreplication {

// A VCALENDAR (METHOD:PUBLISH) holding one VFREEBUSY for `message`: UID
// and ORGANIZER from the SMTP address (CN from the display name), DTSTAMP
// from the range timestamp, DTSTART/DTEND from the published range, and one
// FREEBUSY line per kind with events. CRLF line ends; lines folded at 75
// octets without splitting a UTF-8 character.
IOREPL_EXPORT std::string RenderVFreeBusy(const FreeBusyMessage& message);

// Reads the one VFREEBUSY of a VCALENDAR (other components are skipped).
// Lines may end in CRLF or LF and are unfolded first.
//   - The user is the ORGANIZER (or else the only ATTENDEE), a mailto: URI
//     with a valid SMTP address; CN becomes the display name.
//   - DTSTART and DTEND, UTC date-times or dates, give the published range
//     (a TZID beside a UTC time is ignored);
//     without them the range spans the periods. DTSTAMP (UTC) becomes the
//     range timestamp.
//   - FREEBUSY periods are UTC start/end or start/duration; FBTYPE FREE is
//     skipped, and types other than the three above count as busy
//     (RFC 5545 section 3.2.9). Periods are clipped to the range.
//   - count_months is the range's length in months, at most 36.
// The legacy DN is left empty. InvalidArgumentError naming the line for
// anything malformed: no VCALENDAR or no VFREEBUSY or two, unbalanced
// BEGIN/END, a local (floating or TZID) time, a reversed period, a time
// outside what free/busy data can express (kFreeBusyMaxMinute).
// OutOfRangeError, before any parsing, for text longer than
// kMaxICalendarBytes.
IOREPL_EXPORT absl::StatusOr<FreeBusyMessage> ParseVFreeBusy(
    std::string_view text);

// The most iCalendar text ParseVFreeBusy takes: 16 MiB, some hundred
// thousand periods.
inline constexpr size_t kMaxICalendarBytes = size_t{16} << 20;

}  // namespace ioreplication

#endif  // IOREPLICATION_FREEBUSY_ICAL_H_
