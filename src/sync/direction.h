// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// One direction of one mapping: export from the source, import at the
// destination, batch by batch, with the sync state advanced in each batch's
// transaction (DESIGN.md invariant 4), then the end-of-pass bookkeeping.
//
// State sanity: a state recorded against another source identity, or a
// source whose local change counter is behind what the state saw, is not
// trusted (the source was restored or re-created): the pass starts from
// nothing seen and compares everything by source key and PCL. A state whose
// CNSET does not reach the source's tombstone horizon may have missed purged
// tombstones: after the pass, the destination's copies of source keys the
// source no longer has are removed (IDSET given reconciliation).

#ifndef IOREPLICATION_SRC_SYNC_DIRECTION_H_
#define IOREPLICATION_SRC_SYNC_DIRECTION_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"
#include "sync/exporter.h"
#include "sync/importer.h"

namespace ioreplication::sync_internal {

// Runs `body` in a transaction of `store`: commits on success, rolls back
// on failure. When the caller has a transaction open already, `body` runs
// in it and the caller commits or rolls back (a replica group member
// applies many messages in one).
absl::Status Transact(Store& store, const std::function<absl::Status()>& body);

// Local change numbers 1..high (empty for 0).
GlobSet UpTo(GlobCnt high);

struct DirectionSpec {
  Store* source = nullptr;
  Store* dest = nullptr;
  // The sync state's name in the destination.
  std::string state_name;
  // Bidirectional mappings only (empty otherwise): the echo state the
  // destination keeps for the direction back, and the one the source keeps
  // for this direction.
  std::string back_echo_name;
  std::string own_echo_name;
  ImportOptions import;  // roots, policy, options
  ExportOptions export_options;
  // Log lines (reasons for ignores and errors, reconciliations).
  std::function<void(std::string_view)> log;
  // Called after each committed batch with the entries done so far; returning
  // false stops the pass there (the state stays consistent).
  std::function<bool(uint64_t done)> progress;
  // Time source for the state's last-pass stamp.
  std::function<FileTime()> now;
  // Read the next batch from the source while the current one is imported
  // (BatchReader), unless the source is bound to the caller's thread.
  bool read_ahead = true;
};

struct DirectionResult {
  SessionStatistics stats;
  bool cancelled = false;
};

// Runs one direction's pass. `result` counts what was committed, also when
// the pass fails midway (an error return): what it counts stays committed.
absl::Status RunDirection(const DirectionSpec& spec, DirectionResult& result);

// Runs `check` (when set: the compare-and-set of the caller's state), then
// applies `batch` with `importer` and runs `record` (which writes the
// caller's state), in one transaction of `dest`, once: change numbers the
// importer needs are reserved inside it (ChangeNumberSource). The
// importer's log lines go out after the transaction has ended, those of a
// rolled-back one not at all (Importer::Ended); in a transaction the caller
// holds open (Transact), when the batch is done.
absl::Status ApplyBatch(
    Store& dest, Importer& importer, ExportBatch& batch, BatchOutcome& outcome,
    const std::function<absl::Status()>& check,
    const std::function<absl::Status(const BatchOutcome&)>& record);

// How many entries (changes, deletions, scope exits) RunDirection would send
// now. Reads the same states and stream; writes nothing.
absl::StatusOr<uint64_t> CountPending(const DirectionSpec& spec);

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_DIRECTION_H_
