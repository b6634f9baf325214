// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Publishing: a user's free/busy message computed from the user's calendar
// (MS-OXOPFFB section 3.1.4.1), for a number of months from now.
//
// Example:
//   FreeBusyUser user;
//   user.smtp_address = "jdoe@contoso.com";
//   PublishOptions options;
//   absl::LoadTimeZone("America/Los_Angeles", &options.time_zone);
//   absl::StatusOr<PublishedFreeBusy> p =
//       PublishFreeBusy(user, calendar_items, options);
//   if (p.ok()) WriteFreeBusyProperties(p->message, &item.properties);
//
// Thread safety: pure functions.

#ifndef IOREPLICATION_FREEBUSY_PUBLISH_H_
#define IOREPLICATION_FREEBUSY_PUBLISH_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/export.h"
#include "ioreplication/freebusy.h"
#include "ioreplication/ids.h"
#include "ioreplication/item.h"

namespace ioreplication {

// Whose free/busy is published.
struct FreeBusyUser {
  std::string smtp_address;
  std::string display_name;
  std::string legacy_dn;  // may be empty
};

struct PublishOptions {
  // Months of data, 1..36 (MS-OXOPFFB's PidTagFreeBusyCountMonths).
  int32_t months = 2;
  // The user's time zone: where all-day events start and end, and where a
  // recurring series without its own zone keeps its wall-clock time.
  absl::TimeZone time_zone = absl::UTCTimeZone();
  // The moment of publishing (tests pin it).
  absl::Time now = absl::Now();
};

// The range published at `now`: from 00:00 UTC of the first day of the
// month or of the week (Sunday), whichever is earlier, to the same date
// `months` months later.
IOREPL_EXPORT FreeBusyInterval FreeBusyPublishRange(absl::Time now,
                                                    int32_t months);

struct PublishedFreeBusy {
  FreeBusyMessage message;
  // Calendar items that could not be read, with the reason; they are left
  // out, and the rest published.
  struct Skipped {
    SourceKey item;
    std::string reason;
  };
  std::vector<Skipped> skipped;
};

// Computes `user`'s message from `calendar`: every item whose message class
// is IPM.Appointment or below it, each occurrence within the range, by busy
// status (free and working elsewhere publish nothing), merged per kind.
// Other items are ignored. InvalidArgumentError for months outside 1..36.
IOREPL_EXPORT absl::StatusOr<PublishedFreeBusy> PublishFreeBusy(
    const FreeBusyUser& user, std::span<const Item> calendar,
    const PublishOptions& options);

}  // namespace ioreplication

#endif  // IOREPLICATION_FREEBUSY_PUBLISH_H_
