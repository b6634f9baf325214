// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Exchange files: a session's changes carried as a file, for organizations
// that can only exchange files or mail (iorepl export / import).
//
// The publisher side exports what it has not exported before (its export
// state lives in the publisher store, advanced only once the file is safely
// written); the subscriber side imports. A file records, per mapping, which
// publisher changes a subscriber must already have for the file to apply
// (its base) and which it has afterwards (its end), so:
//   - a file applied twice changes nothing the second time;
//   - a file that continues one the subscriber never received is refused,
//     naming the mapping (import the missing file, or export with `full`,
//     which carries everything and applies anywhere);
//   - a file of another session, of other mappings or from another
//     publisher replica is refused;
//   - a damaged, truncated or tampered file is refused.
// Every refusal happens before anything is written: the whole file is read
// and checked (digest, framing, every record decoded) first.
//
// Integrity: files end with a SHA-256 digest of everything before it, or,
// when the session has an exchange key, an HMAC-SHA256 with that key (then
// a file made without the key, or with another, is refused). The format is
// in docs/exchange-files.md.
//
// Exchange files carry one-way changes: every mapping of an exported session
// must be ONE_WAY (a second session with the roles swapped carries the
// other way). Rights checks (require_matching_rights) need both stores and
// are not made.

#ifndef IOREPLICATION_EXCHANGE_H_
#define IOREPLICATION_EXCHANGE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/session.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"

namespace ioreplication {

struct ExchangeOptions {
  // Export everything in the mapped folders rather than what changed since
  // the last export (the recovery when a file was lost).
  bool full = false;
  // The exchange key (ResolveCredential(config.exchange_key)); empty when
  // the session has none.
  std::string key;
};

struct ExchangeExportResult {
  uint64_t entries = 0;  // changes, deletions and scope exits in the file
  uint64_t bytes = 0;    // file size
};

// Writes the changes of `config`'s mappings that `publisher` has not exported
// before to `path`: first to "<path>.tmp", synced, then renamed over `path`;
// only then is the export state advanced. FailedPreconditionError for a
// bidirectional mapping or a missing publisher folder.
IOREPL_EXPORT absl::StatusOr<ExchangeExportResult> ExportExchangeFile(
    const SessionConfig& config, Store& publisher, const std::string& path,
    const ExchangeOptions& options);

struct ExchangeImportResult {
  SessionStatistics stats;
  // True when the subscriber already had everything in the file (nothing
  // was written).
  bool already_applied = false;
};

// Applies the file at `path` to `subscriber`, the session's subscriber
// number `subscriber_index` (its URI names the import state). Refusals
// (see the file comment) are InvalidArgumentError for a file of another
// session, mappings or publisher, DataLossError for a damaged one,
// FailedPreconditionError for a file that continues a missing one,
// PermissionDeniedError for a key mismatch; nothing is written then.
// `hooks.log` receives per-object lines as in Session::Run.
IOREPL_EXPORT absl::StatusOr<ExchangeImportResult> ImportExchangeFile(
    const SessionConfig& config, Store& subscriber, size_t subscriber_index,
    const std::string& path, const ExchangeOptions& options,
    const SessionHooks& hooks = {});

}  // namespace ioreplication

#endif  // IOREPLICATION_EXCHANGE_H_
