// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A Transport (ioreplication/replica_group.h) over spool directories: each
// member reads its own directory, and an address is another member's
// directory (on a shared or synchronized file system, or one a mail
// delivery program writes into).
//
// Layout of a spool directory DIR: DIR/tmp/ holds messages being written,
// DIR/new/ the delivered ones, one file each, named
// "<FILETIME ticks>.<pid>.<random>.msg" so that names sort roughly by
// sending time and never collide. Send writes DIR/tmp/NAME, syncs it and
// renames it into DIR/new/ (atomic: a reader never sees half a message);
// Receive reads the oldest names first and removes each file it hands out.
// Files in new/ that are not regular or are larger than the limit are
// removed and skipped (a message that big could never be applied).
//
// Thread safety: one thread at a time per object; any number of senders
// and one receiver per directory, in any processes.

#ifndef IOREPLICATION_SPOOL_TRANSPORT_H_
#define IOREPLICATION_SPOOL_TRANSPORT_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/replica_group.h"

namespace ioreplication {

// The transport of the member whose spool directory is `own_dir` (created,
// with tmp/ and new/, when missing). Receive hands out files of at most
// `max_message_bytes`. InvalidArgumentError for an empty path; the file
// system's error when the directories cannot be made.
IOREPL_EXPORT absl::StatusOr<std::unique_ptr<Transport>> NewSpoolTransport(
    const std::string& own_dir, size_t max_message_bytes = 300 * 1024);

}  // namespace ioreplication

#endif  // IOREPLICATION_SPOOL_TRANSPORT_H_
