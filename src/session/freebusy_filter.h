// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What makes a free/busy session one: a publisher user's message reaches a
// subscriber only when the subscriber's recipient list has the user's SMTP
// address (ioreplication/recipient.h).

#ifndef IOREPLICATION_SRC_SESSION_FREEBUSY_FILTER_H_
#define IOREPLICATION_SRC_SESSION_FREEBUSY_FILTER_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/session.h"
#include "ioreplication/store.h"
#include "sync/importer.h"

namespace ioreplication::session_internal {

using ItemFilter =
    std::function<std::optional<sync_internal::ImportOptions::Withhold>(
        const Item&)>;

// The filter for subscriber `subscriber` (0-based) of a free/busy session,
// from the recipient list in `store` at options.recipients_path, read now
// (once per mapping and pass). `log` gets a summary line when the store has
// no list. The filter holds a buffer: one session thread at a time calls it.
absl::StatusOr<ItemFilter> FreeBusyFilter(
    Store& store, const SessionOptions& options, size_t subscriber,
    const std::function<void(std::string_view)>& log);

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_FREEBUSY_FILTER_H_
