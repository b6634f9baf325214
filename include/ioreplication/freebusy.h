// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Free/busy messages (MS-OXOPFFB): one message per user in the public
// folders' free/busy system folder, holding when the user is busy, tentative
// or out of office over a publishing range of whole months.
//
// The wire form, which hosts bridging to MAPI pass through unchanged
// (SPEC-NOTES.md section 5):
//   - per kind, a PT_MV_LONG of months (year * 16 + month, ascending) and a
//     PT_MV_BINARY of the same length, one value per month;
//   - each value is 4-byte blocks: start and end as little-endian uint16,
//     minutes from 00:00 UTC on the 1st of that month, ascending, with
//     blocks that touch or overlap merged (as written; reading also takes
//     the looser forms Kopano and Evolution write, see
//     DecodeFreeBusyMonths);
//   - an event that crosses a month boundary is one block per month;
//   - a kind without events has neither property;
//   - "merged" holds busy and out of office together.
//
// In memory, times are minutes since 1601-01-01 00:00 UTC (the unit of
// PidTagFreeBusyPublishStart), and each kind is a list of half-open
// intervals [start, end).
//
// Example:
//   FreeBusyMessage m;
//   m.busy = {{FreeBusyMinutes(start), FreeBusyMinutes(end)}};
//   ...
//   PropertyBag bag;
//   if (absl::Status s = WriteFreeBusyProperties(m, &bag); !s.ok()) ...
//   absl::StatusOr<FreeBusyMessage> back = ReadFreeBusyProperties(bag);
//
// Thread safety: the functions are pure; the structs are values.

#ifndef IOREPLICATION_FREEBUSY_H_
#define IOREPLICATION_FREEBUSY_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/clock.h"
#include "ioreplication/export.h"
#include "ioreplication/property.h"

namespace ioreplication {

// A span of time, [start, end) in minutes since 1601-01-01 00:00 UTC.
struct FreeBusyInterval {
  int64_t start = 0;
  int64_t end = 0;
  friend bool operator==(const FreeBusyInterval&,
                         const FreeBusyInterval&) = default;
};

// Minutes since 1601-01-01 00:00 UTC, rounded down (an event that starts at
// 9:00:30 is busy from 9:00); FreeBusyMinutesCeil rounds up (one that ends
// then is busy until 9:01). Times before 1601 give 0, as FileTime does;
// FromFreeBusyMinutes takes minutes >= 0 (less gives 1601).
IOREPL_EXPORT int64_t FreeBusyMinutes(absl::Time t);
IOREPL_EXPORT int64_t FreeBusyMinutesCeil(absl::Time t);
IOREPL_EXPORT absl::Time FromFreeBusyMinutes(int64_t minutes);

// The range free/busy data can express: 1601-01-01 up to the largest
// PT_LONG minute (INT32_MAX, in year 5684).
inline constexpr int64_t kFreeBusyMaxMinute = 0x7FFFFFFF;

// Sorts intervals and merges those that overlap or touch; drops empty ones.
// The result is what every kind holds in a FreeBusyMessage.
IOREPL_EXPORT std::vector<FreeBusyInterval> NormalizeFreeBusyIntervals(
    std::vector<FreeBusyInterval> intervals);

// One kind's wire form: month keys (year * 16 + month) and, at the same
// index, that month's blocks (4 bytes each).
struct FreeBusyMonths {
  std::vector<int32_t> months;
  std::vector<std::string> blocks;
  friend bool operator==(const FreeBusyMonths&,
                         const FreeBusyMonths&) = default;
};

// Encodes `intervals` (any order; normalized first). InvalidArgumentError
// for an interval with start > end or outside [0, kFreeBusyMaxMinute].
IOREPL_EXPORT absl::StatusOr<FreeBusyMonths> EncodeFreeBusyMonths(
    std::span<const FreeBusyInterval> intervals);

// Decodes one kind into normalized intervals. Requires as many block values
// as months, months valid and strictly ascending, every value a multiple of
// 4 bytes, and every block inside its month, not reversed, and starting no
// earlier than the block before it; DataLossError naming the month and block
// otherwise. Accepts what real writers produce and normalizes it: an empty
// value (Evolution) is a month without blocks, an empty block ([0, 0] from
// Kopano) is dropped, and blocks that touch or overlap (Kopano's
// back-to-back meetings, or an interval that crosses a month boundary) are
// joined into one interval. `kind` names the properties in messages
// ("Busy").
IOREPL_EXPORT absl::StatusOr<std::vector<FreeBusyInterval>>
DecodeFreeBusyMonths(std::span<const int32_t> months,
                     std::span<const std::string> blocks,
                     std::string_view kind);

// A user's free/busy message.
struct FreeBusyMessage {
  // PidTagFreeBusyMessageEmailAddress: the legacy Exchange DN
  // ("/o=Contoso/ou=First Administrative Group/cn=Recipients/cn=jdoe").
  std::string legacy_dn;
  // PidTagSmtpAddress: what sessions match subscribers' contacts on.
  std::string smtp_address;
  // PidTagDisplayName.
  std::string display_name;
  // PidTagFreeBusyPublishStart / End: the published range, in minutes.
  int64_t publish_start = 0;
  int64_t publish_end = 0;
  // PidTagFreeBusyRangeTimestamp: when the data was published.
  FileTime range_timestamp;
  // PidTagFreeBusyCountMonths: 0..36.
  int32_t count_months = 0;
  // Normalized intervals of each kind. Merged (busy and out of office
  // together) is derived when writing.
  std::vector<FreeBusyInterval> tentative;
  std::vector<FreeBusyInterval> busy;
  std::vector<FreeBusyInterval> out_of_office;

  friend bool operator==(const FreeBusyMessage&,
                         const FreeBusyMessage&) = default;
};

// The message class free/busy items carry.
inline constexpr std::string_view kFreeBusyMessageClass = "IPM.Post.FreeBusy";

// "USER-/CN=RECIPIENTS/CN=JDOE": the subject a free/busy message is found
// by, from the legacy DN's part from the first "/cn=" (upper-cased), or from
// the SMTP address's local part when there is no DN.
IOREPL_EXPORT std::string FreeBusySubject(const FreeBusyMessage& message);

// Writes the message's properties into `bag` (subject, normalized subject,
// addresses, range, timestamps, and each kind's pair), removing the pair of
// a kind without intervals and the obsolete PidTagScheduleInfoFreeBusy.
// InvalidArgumentError, and `bag` unchanged, for a range outside
// [0, kFreeBusyMaxMinute] or reversed, count_months outside 0..36, or
// intervals that EncodeFreeBusyMonths refuses.
IOREPL_EXPORT absl::Status WriteFreeBusyProperties(
    const FreeBusyMessage& message, PropertyBag* bag);

// Reads a free/busy message from an item's properties, strictly: the range
// present and in order, count_months in 0..36 when present, each kind's
// pair both present or both absent and well formed (DecodeFreeBusyMonths).
// The merged pair is checked for form but not used. DataLossError naming
// the property otherwise.
IOREPL_EXPORT absl::StatusOr<FreeBusyMessage> ReadFreeBusyProperties(
    const PropertyBag& bag);

}  // namespace ioreplication

#endif  // IOREPLICATION_FREEBUSY_H_
