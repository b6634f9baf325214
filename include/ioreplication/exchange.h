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
// and checked (digest, framing, every record decoded) first, a frame at a
// time, so that memory does not grow with the file.
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
#include <vector>

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
  // Export replaces a file already at its path. Off by default: a file
  // still there may not have been imported yet, and once it is gone the
  // subscriber refuses every later file until a full export.
  bool overwrite = false;
};

struct ExchangeExportResult {
  uint64_t entries = 0;  // changes, deletions and scope exits in the file
  uint64_t bytes = 0;    // file size
};

// Writes the changes of `config`'s mappings that `publisher` has not exported
// before to `path`: to a file without a name in path's directory (so that
// an export that is killed leaves nothing behind), synced, then named
// `path`; only then is the export state advanced. AlreadyExistsError, before
// anything is written, when `path` exists and not options.overwrite.
// FailedPreconditionError for a bidirectional mapping or a missing
// publisher folder.
IOREPL_EXPORT absl::StatusOr<ExchangeExportResult> ExportExchangeFile(
    const SessionConfig& config, Store& publisher, const std::string& path,
    const ExchangeOptions& options);

struct ExchangeImportResult {
  // What the import committed, also when it stopped midway.
  SessionStatistics stats;
  // True when the subscriber already had everything in the file (nothing
  // was written).
  bool already_applied = false;
  // OK when the whole file is applied. Otherwise why the import stopped
  // midway (a store failed: disk full, I/O error): what `stats` counts
  // stays committed, the subscriber's import state still says the file is
  // not applied, and importing the same file again continues from there.
  absl::Status status;
};

// Applies the file at `path` to `subscriber`, the session's subscriber
// number `subscriber_index` (its URI names the import state). Refusals
// (see the file comment) are InvalidArgumentError for a file of another
// session, mappings or publisher or for something other than a regular
// file, DataLossError for a damaged one, FailedPreconditionError for a file
// that continues a missing one, PermissionDeniedError for a key mismatch;
// nothing is written then. A failure after writing began is the result's
// `status`. The file is read a frame at a time and never held whole in
// memory; no frame may exceed what an item of config.options.max_item_size
// needs. `hooks.log` receives per-object lines as in Session::Run.
IOREPL_EXPORT absl::StatusOr<ExchangeImportResult> ImportExchangeFile(
    const SessionConfig& config, Store& subscriber, size_t subscriber_index,
    const std::string& path, const ExchangeOptions& options,
    const SessionHooks& hooks = {});

// Applies the file at every subscriber: `subscribers[i]` is the session's
// subscriber i, and there is one per config.subscribers. The file and every
// subscriber are checked before anything is written anywhere: a refusal at
// any subscriber is the error (naming it), and nothing changed at any. Then
// each subscriber is applied in turn, and each result says what it
// committed; one that stops midway (its `status`) does not keep the others
// from theirs.
IOREPL_EXPORT absl::StatusOr<std::vector<ExchangeImportResult>>
ImportExchangeFile(const SessionConfig& config,
                   const std::vector<Store*>& subscribers,
                   const std::string& path, const ExchangeOptions& options,
                   const SessionHooks& hooks = {});

}  // namespace ioreplication

#endif  // IOREPLICATION_EXCHANGE_H_
